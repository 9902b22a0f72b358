export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles in milliseconds, rounded to 0.1 ms. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
  return { count: s.length, p50: at(50), p95: at(95), p99: at(99), max: Math.round(s.at(-1)! * 10) / 10 };
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/** The median of the values that exist (null when none do); rounded to 0.01. */
export function median(values: (number | null | undefined)[]): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  return Math.round(m * 100) / 100;
}

/** CPU-seconds per 1,000 events (answers, views); null without events. */
export const per1000 = (cpuSeconds: number, events: number): number | null => (events > 0 ? Math.round((cpuSeconds / events) * 1000 * 1000) / 1000 : null);
