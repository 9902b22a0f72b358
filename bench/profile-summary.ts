/** `tsx bench/profile-summary.ts FILE.cpuprofile [N]`: the functions with the most self time. */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, top = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[]; startTime: number; endTime: number };
const self = new Map<string, number>();
const hits = new Map<number, number>();
for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
let total = 0;
for (const n of profile.nodes) {
  const h = hits.get(n.id) ?? 0;
  total += h;
  const where = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '');
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + h);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
console.log(`samples: ${total}, wall ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
for (const [k, v] of rows) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
