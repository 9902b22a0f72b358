/**
 * `tsx bench/profile-summary.ts FILE.cpuprofile [N] [--inclusive]`: the functions with the most self
 * time, or with `--inclusive` the most time including what they call (where the cost comes from).
 * `--last SEC`: only the profile's last SEC seconds (say, a keynote's answers after its long join).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const lastAt = args.indexOf('--last');
const lastSec = lastAt >= 0 ? Number(args.splice(lastAt, 2)[1]) : Infinity;
const [file, top = '30'] = args.filter((a) => !a.startsWith('--'));
const profile = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
const hits = new Map<number, number>();
const from = profile.endTime - lastSec * 1e6;
let at = profile.startTime;
profile.samples.forEach((s, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from) hits.set(s, (hits.get(s) ?? 0) + 1);
});
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const keyOf = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber + 1}`;

const cost = new Map<string, number>();
let total = 0;
for (const n of profile.nodes) total += hits.get(n.id) ?? 0;
if (!inclusive) {
  for (const n of profile.nodes) cost.set(keyOf(n), (cost.get(keyOf(n)) ?? 0) + (hits.get(n.id) ?? 0));
} else {
  // A function counts once per sample even when it recurses (its key is on the path only once).
  const walk = (id: number, onPath: Set<string>): number => {
    const n = byId.get(id)!;
    const key = keyOf(n);
    const fresh = !onPath.has(key);
    if (fresh) onPath.add(key);
    let sum = hits.get(id) ?? 0;
    for (const c of n.children ?? []) sum += walk(c, onPath);
    if (fresh) {
      onPath.delete(key);
      cost.set(key, (cost.get(key) ?? 0) + sum);
    }
    return sum;
  };
  walk(profile.nodes[0]!.id, new Set());
}
const rows = [...cost].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`samples: ${total}, wall ${(Math.min(lastSec * 1e6, profile.endTime - profile.startTime) / 1e6).toFixed(1)} s (${inclusive ? 'inclusive' : 'self'} time)`);
for (const [k, v] of rows) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
