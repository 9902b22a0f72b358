import { COMPETENCIES, OUTLINES, outlineDomainOf, type OutlineId } from '../../shared/curriculum.js';
import { DOMAINS, DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import { QUESTION_STYLES, QUESTION_TYPES, type QuestionRecord } from '../../shared/question.js';
import { BALANCE_LIMITS } from '../lint-balance.js';
import { gamingFigures, percent } from '../lint-figures.js';
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
const countBy = (keys: readonly string[], pick: (q: QuestionRecord) => string) => {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;
  for (const q of records) out[pick(q)] = (out[pick(q)] ?? 0) + 1;
  return out;
};
const byOutline = (id: OutlineId) => countBy(OUTLINES.find((o) => o.id === id)!.domains.map((d) => d.id), (q) => outlineDomainOf(q, id));
const byDomain = byOutline('cca-2024') as Record<DomainId, number>;
const byCompetency = countBy(COMPETENCIES.map((c) => c.id), (q) => q.competency);

/** The figures as plain numbers (the linter's messages name the ids). */
function gaming(qs: readonly QuestionRecord[]) {
  const f = gamingFigures(qs);
  const share = (n: number, of: number) => (of === 0 ? null : Number((n / of).toFixed(4)));
  return {
    single: f.single,
    longestKey: f.longestKeyIds.length,
    longestKeyShare: share(f.longestKeyIds.length, f.single),
    longestKeyChance: Number(f.longestKeyChance.toFixed(4)),
    multiple: f.multiple,
    lean: Number(f.lean.toFixed(4)),
    leanChance: Number(f.leanChance.toFixed(4)),
    trueFalse: f.trueFalse,
    trueKeyed: f.trueKeyedIds.length,
    trueShare: share(f.trueKeyedIds.length, f.trueFalse),
    echo: f.echoIds.length,
  };
}
const gamingByDomain = Object.fromEntries(DOMAIN_IDS.map((d) => [d, gaming(records.filter((q) => q.domain === d))]));

if (json) {
  console.log(JSON.stringify({ total, byDomain, byDomain2025: byOutline('cca-2025'), byCompetency, gaming: { bank: gaming(records), byDomain: gamingByDomain } }));
  process.exit(0);
}

const pct = (n: number) => (total === 0 ? 0 : (100 * n) / total);
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');

const widths = [34, 6, 8, 8, 8];
for (const o of OUTLINES) {
  const counts = byOutline(o.id as OutlineId);
  console.log(`${o.name} [${o.id}]`);
  console.log(row(['Domain', 'Count', 'Share', 'Weight', 'Diff'], widths));
  for (const d of o.domains) {
    const share = pct(counts[d.id]!);
    const diff = share - d.weight;
    console.log(row([d.name, counts[d.id]!, share.toFixed(1) + '%', d.weight + '%', (diff >= 0 ? '+' : '') + diff.toFixed(1)], widths));
  }
  console.log(row(['Total', total, '', '', ''], widths) + '\n');
}

const min = BALANCE_LIMITS.minPerCompetency;
console.log(`Competencies (8-domain outline; at least ${min} each)`);
for (const d of DOMAINS) {
  for (const c of COMPETENCIES.filter((x) => x.domain === d.id)) {
    const n = byCompetency[c.id]!;
    console.log(row([`  ${c.id}`, n, n < min ? `UNDER ${min}` : ''], [36, 5, 9]) + `  ${c.name}`);
  }
}
const under = COMPETENCIES.filter((c) => byCompetency[c.id]! < min).length;
console.log(`${under} of ${COMPETENCIES.length} competencies under ${min}\n`);

const L = BALANCE_LIMITS;
console.log(
  `Anti-gaming (limits: longest key <= ${percent(L.maxLongestKeyBank)} bank, <= ${percent(L.maxLongestKeyDomain)} per domain, >= chance - ${percent(L.minLongestKeyUnderChanceBank)} bank, >= chance - ${percent(L.minLongestKeyUnderChanceDomain)} per domain; multiple lean chance - ${percent(L.minLeanUnderChance)} to chance + ${percent(L.maxLeanOverChance)}; true/false ${percent(L.trueShare.min)}-${percent(L.trueShare.max)} True; no echo)`,
);
const gw = [32, 22, 8, 24, 18, 5];
console.log(row(['Scope', 'Longest key (single)', 'Chance', 'Multiple lean/chance', 'True/false True', 'Echo'], gw));
for (const [name, qs] of [...DOMAINS.map((d) => [d.name, records.filter((q) => q.domain === d.id)] as const), ['BANK', records] as const]) {
  const g = gaming(qs);
  const of = (n: number, m: number) => `${n}/${m} ${m === 0 ? '-' : percent(n / m)}`;
  console.log(row([name, of(g.longestKey, g.single), percent(g.longestKeyChance), `${percent(g.lean)} / ${percent(g.leanChance)}`, of(g.trueKeyed, g.trueFalse), g.echo], gw));
}

function breakdown(title: string, keys: readonly (string | number)[], pick: (q: QuestionRecord) => string | number) {
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
const withFact = records.filter((q) => q.fact).length;
console.log(`With a fact key: ${withFact}; verified against 1.18/1.19 recorded: ${records.filter((q) => q.verified.versions).length}`);
