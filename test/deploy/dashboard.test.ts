import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../server/metrics.js';

const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'grafana', 'cca-quiz-dashboard.json'), 'utf8')) as {
  title: string;
  uid: string;
  panels: { title: string; targets: { expr: string; refId: string }[]; datasource: { uid: string }; gridPos: { x: number; y: number; w: number; h: number } }[];
  templating: { list: { name: string }[] };
};

const FUNCTIONS = new Set(['sum', 'max', 'min', 'avg', 'count', 'rate', 'irate', 'increase', 'histogram_quantile', 'label_values', 'by', 'without', 'on', 'ignoring']);
// Labels Prometheus (prometheus-operator) attaches to every scraped series.
const TARGET_LABELS = new Set(['namespace', 'pod', 'instance', 'job', 'service', 'container', 'endpoint']);

/** Metric names and `by (...)` labels of one PromQL expression (enough PromQL for these panels). */
function parsePromQL(expr: string): { metrics: string[]; byLabels: string[]; matcherLabels: string[] } {
  const byLabels = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()).filter(Boolean));
  const matcherLabels = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]!));
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\bby\s*\([^)]*\)/g, '');
  const metrics = [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)].map((m) => m[0]).filter((t) => !FUNCTIONS.has(t));
  return { metrics, byLabels, matcherLabels };
}

describe('the Grafana dashboard', () => {
  const registry = new Metrics().registry;
  // Registered metrics, with what a histogram exposes under its name.
  const labelsOf = new Map<string, Set<string>>();
  registry.getMetricsAsArray().forEach((m) => {
    const labels = new Set<string>((m as unknown as { labelNames: string[] }).labelNames ?? []);
    const type = (m as unknown as { type: string }).type;
    const names = type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => m.name + s) : [m.name];
    for (const n of names) labelsOf.set(n, n.endsWith('_bucket') ? new Set([...labels, 'le']) : labels);
  });
  // The gauges read at scrape time are registered when the app wires them.
  const withGauges = new Metrics();
  withGauges.observe({ sockets: () => 0, roomsByPhase: () => ({}) });
  for (const m of withGauges.registry.getMetricsAsArray()) if (!labelsOf.has(m.name)) labelsOf.set(m.name, new Set((m as unknown as { labelNames: string[] }).labelNames ?? []));

  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

  it('has the panels the issue asks for', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const want of ['Rooms by phase', 'Connected sockets', 'Handler latency (all events)', 'Acks by error code', 'Redis latency', 'Room takeovers', 'Limited connections and joins']) expect(titles).toContain(want);
    expect(new Set(dashboard.panels.map((p) => p.datasource.uid))).toEqual(new Set(['${datasource}']));
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'namespace']);
  });

  it('every PromQL metric name is one server/metrics.ts registers', () => {
    expect(exprs.length).toBeGreaterThanOrEqual(12);
    const used = new Set<string>();
    for (const { panel, expr } of exprs) {
      const { metrics } = parsePromQL(expr);
      expect(metrics.length, `${panel}: ${expr}`).toBe(1);
      for (const m of metrics) {
        expect(labelsOf.has(m), `${panel}: ${m} is not registered`).toBe(true);
        used.add(m.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    for (const own of ['cca_rooms', 'cca_connected_sockets', 'cca_handler_duration_seconds', 'cca_acks_total', 'cca_redis_command_duration_seconds', 'cca_room_takeovers_total', 'cca_joins_limited_total']) expect(used).toContain(own);
  });

  it('every label it groups or filters by exists on that metric (or comes from the scrape)', () => {
    for (const { panel, expr } of exprs) {
      const { metrics, byLabels, matcherLabels } = parsePromQL(expr);
      const labels = labelsOf.get(metrics[0]!)!;
      for (const l of [...byLabels, ...matcherLabels]) expect(labels.has(l) || TARGET_LABELS.has(l), `${panel}: label ${l} on ${metrics[0]}`).toBe(true);
    }
  });

  it('the parser sees through a wrong name (the check is not vacuous)', () => {
    expect(parsePromQL('sum by (code) (rate(cca_ack_total{code!="ok"}[5m]))').metrics).toEqual(['cca_ack_total']);
    expect(labelsOf.has('cca_ack_total')).toBe(false);
  });

  it('panels do not overlap on the grid', () => {
    const cells = new Set<string>();
    for (const p of dashboard.panels)
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), p.title).toBe(false);
          cells.add(`${x},${y}`);
        }
  });
});
