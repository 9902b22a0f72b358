import { DOMAINS, DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import { QUESTION_STYLES, QUESTION_TYPES } from '../../shared/question.js';
import { formatProblem, loadBankFiles } from '../loader.js';
import { cliOptions } from './args.js';

const { dir, json } = cliOptions();
const { questions, problems } = await loadBankFiles(dir);
if (problems.length > 0) {
  for (const p of problems) console.error(formatProblem(p));
  process.exit(1);
}
const records = questions.map((q) => q.record);
const total = records.length;
const byDomain = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 0])) as Record<DomainId, number>;
for (const q of records) byDomain[q.domain]++;

if (json) {
  console.log(JSON.stringify({ total, byDomain }));
  process.exit(0);
}

const pct = (n: number) => (total === 0 ? 0 : (100 * n) / total);
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');

const widths = [32, 6, 8, 8, 8];
console.log(row(['Domain', 'Count', 'Share', 'Weight', 'Diff'], widths));
for (const d of DOMAINS) {
  const share = pct(byDomain[d.id]);
  const diff = share - d.weight;
  console.log(row([d.name, byDomain[d.id], share.toFixed(1) + '%', d.weight + '%', (diff >= 0 ? '+' : '') + diff.toFixed(1)], widths));
}
console.log(row(['Total', total, '', '', ''], widths));

function breakdown(title: string, keys: readonly (string | number)[], pick: (q: (typeof records)[number]) => string | number) {
  console.log(`\n${title}`);
  for (const k of keys) {
    const n = records.filter((q) => pick(q) === k).length;
    console.log(row([`  ${k}`, n, pct(n).toFixed(1) + '%'], [30, 6, 8]));
  }
}
breakdown('By type', QUESTION_TYPES, (q) => q.type);
breakdown('By difficulty (1 easy, 2 medium, 3 hard)', [1, 2, 3], (q) => q.difficulty);
breakdown('By style', QUESTION_STYLES, (q) => q.style);
const understanding = records.filter((q) => q.style !== 'recall').length;
console.log(`\nUnderstanding (not recall): ${understanding} (${pct(understanding).toFixed(1)}%)`);
const reviewed = records.filter((q) => q.review).length;
console.log(`Second-reader reviewed: ${reviewed} (${pct(reviewed).toFixed(1)}%)`);
