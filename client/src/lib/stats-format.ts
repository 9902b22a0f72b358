/**
 * Numbers, dates and chart scales for the stats page, in the browser's locale (`undefined` = the
 * browser's own; tests pass one). Pure functions, no DOM.
 */

export type Locale = string | undefined;

/** Ratings are written without grouping (like chess ratings), in the locale's digits. */
export const formatRating = (n: number, locale?: Locale) => new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 0 }).format(n);

/** 0..1 as a percentage. */
export const formatPercent = (ratio: number, locale?: Locale) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);

export const formatSeconds = (ms: number, locale?: Locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(ms / 1000);

/** A short date for chart ticks (day and month). */
export const formatDay = (t: number | string, locale?: Locale) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(t));

/** A full date and time (next review, exam attempts). */
export const formatDateTime = (t: number | string, locale?: Locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(t));

/** A rating's status in words: no bare "1263?". */
export const ratingStatus = (provisional: boolean) => (provisional ? 'provisional: still settling after few answers' : 'settled');

/** What the rating deviation means, in plain words. */
export function deviationInWords(deviation: number, locale?: Locale): string {
  return `Rating deviation ${formatRating(deviation, locale)}: your true level is likely within ${formatRating(2 * deviation, locale)} points of this rating; it narrows as you answer.`;
}

/** Round tick values covering [lo, hi]: about `count` of them, on steps of 1, 2 or 5 × 10^n. */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [Math.round(lo)];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Math.round(v));
  return ticks;
}

export interface TrendGeometry {
  /** SVG polyline points inside the plot area. */
  line: string;
  yTicks: { value: number; y: number }[];
  xTicks: { at: number; x: number }[];
  plot: { left: number; right: number; top: number; bottom: number };
}

/** Lays out a rating-over-time line in a `width` × `height` viewBox with room for the axes. */
export function trendGeometry(points: readonly { at: number; rating: number }[], width = 320, height = 180): TrendGeometry {
  const plot = { left: 40, right: width - 12, top: 10, bottom: height - 34 };
  const values = points.map((p) => p.rating);
  const ticks = niceTicks(Math.min(...values) - 15, Math.max(...values) + 15);
  const lo = Math.min(ticks[0]!, ...values);
  const hi = Math.max(ticks.at(-1)!, ...values, lo + 1);
  const t0 = points[0]?.at ?? 0;
  const t1 = Math.max(points.at(-1)?.at ?? 0, t0 + 1);
  // Answers in one sitting are seconds apart: space them by order then, by time otherwise.
  const byOrder = t1 - t0 < 60_000 * points.length;
  const x = (i: number) => plot.left + (byOrder ? i / Math.max(1, points.length - 1) : (points[i]!.at - t0) / (t1 - t0)) * (plot.right - plot.left);
  const y = (v: number) => plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.rating).toFixed(1)}`).join(' ');
  const ends = points.length > 1 ? [0, points.length - 1] : [0];
  return {
    line,
    yTicks: ticks.map((value) => ({ value, y: y(value) })),
    xTicks: ends.map((i) => ({ at: points[i]!.at, x: x(i) })),
    plot,
  };
}
