import { COMPETENCIES } from '../shared/curriculum.js';
import { DOMAIN_IDS } from '../shared/domains.js';
import { echoingChoice, gamingFigures, longestChance, percent } from './lint-figures.js';
import type { BankProblem, LoadedQuestion } from './loader.js';

/** Bank-level rules against test-wise guessing and stale sources (issue 13). */
export const BALANCE_LIMITS = {
  /** Keyed answer uniquely longest in at most this share of single-choice questions, bank-wide... */
  maxLongestKeyBank: 0.3,
  /** ...and in any one domain. */
  maxLongestKeyDomain: 0.35,
  /** Multiple-answer keys among the k longest: at most chance plus this share (bank-wide)... */
  maxLeanOverChance: 0.05,
  /** ...and at least chance minus this share, bank-wide and per domain: keys must not be the short choices either. */
  minLeanUnderChance: 0.1,
  /**
   * The key uniquely longest in at least the chance share (mean of 1/n over questions with one uniquely longest
   * choice) minus this, bank-wide...
   */
  minLongestKeyUnderChanceBank: 0.1,
  /** ...and minus this in a domain with at least `minSingle` single-choice questions. */
  minLongestKeyUnderChanceDomain: 0.15,
  trueShare: { min: 0.45, max: 0.55 },
  minPerCompetency: 10,
  /** Shares need enough questions to mean something: a rule waits until its sample has this many. */
  minSingle: 20,
  minMultiple: 10,
  /** A domain's multiple-answer floor waits for this many of its multiple-answer questions. */
  minMultipleDomain: 5,
  minTrueFalse: 10,
  /** Coverage only means something for a full bank: the smallest one that could satisfy it. */
  minBankForCoverage: 27 * 10,
} as const;

/** A question with this topic is about what changes next and may cite `/en/latest/` docs. */
export const NEXT_RELEASE_TOPIC = 'next-release';

const BANK = '(bank)';
/** Shares are compared with this slack so a figure exactly at a limit passes despite float rounding. */
const EPS = 1e-9;
const list = (ids: readonly string[]) => ids.join(', ');

function longestKey(questions: LoadedQuestion[], out: BankProblem[]): void {
  const check = (scope: string, qs: LoadedQuestion[], max: number) => {
    const f = gamingFigures(qs.map((q) => q.record));
    if (f.single < BALANCE_LIMITS.minSingle) return;
    const share = f.longestKeyIds.length / f.single;
    if (share <= max + EPS) return;
    out.push({
      file: BANK,
      field: 'choices',
      message: `${scope}: the key is the uniquely longest choice in ${f.longestKeyIds.length} of ${f.single} single-choice questions (${percent(share)}); at most ${percent(max)} allowed. Longest keys: ${list(f.longestKeyIds)}`,
    });
  };
  check('bank', questions, BALANCE_LIMITS.maxLongestKeyBank);
  for (const d of DOMAIN_IDS) {
    check(`domain ${d}`, questions.filter((q) => q.record.domain === d), BALANCE_LIMITS.maxLongestKeyDomain);
  }
}

/** The reverse tell: keys so rarely the longest choice that a player who rules out the longest one gains. */
function longestKeyFloor(questions: LoadedQuestion[], out: BankProblem[]): void {
  const counts = (qs: LoadedQuestion[]) => {
    const f = gamingFigures(qs.map((q) => q.record));
    const withLongest = qs.filter((q) => q.record.type === 'single' && longestChance(q.record) > 0).length;
    return { f, withLongest, text: `${f.longestKeyIds.length} of ${f.single} keys uniquely longest, ${withLongest} question(s) with a uniquely longest choice` };
  };
  const check = (scope: string, qs: LoadedQuestion[], margin: number, detail: (own: string) => string) => {
    const { f, text } = counts(qs);
    if (f.single < BALANCE_LIMITS.minSingle) return;
    const share = f.longestKeyIds.length / f.single;
    const min = f.longestKeyChance - margin;
    if (share >= min - EPS) return;
    out.push({
      file: BANK,
      field: 'choices',
      message: `${scope}: the key is the uniquely longest choice in only ${f.longestKeyIds.length} of ${f.single} single-choice questions (${percent(share)}), chance is ${percent(f.longestKeyChance)}; at least chance - ${percent(margin)} (${percent(min)}) required: make some keys as specific as the distractors. ${detail(text)}`,
    });
  };
  const domains = DOMAIN_IDS.map((d) => [d, questions.filter((q) => q.record.domain === d)] as const).filter(([, qs]) => qs.length > 0);
  check('bank', questions, BALANCE_LIMITS.minLongestKeyUnderChanceBank, () => `By domain: ${domains.map(([d, qs]) => `${d} ${counts(qs).text}`).join('; ')}`);
  for (const [d, qs] of domains) {
    check(`domain ${d}`, qs, BALANCE_LIMITS.minLongestKeyUnderChanceDomain, (own) => `Counts: ${own}`);
  }
}

function multipleLean(questions: LoadedQuestion[], out: BankProblem[]): void {
  const f = gamingFigures(questions.map((q) => q.record));
  if (f.multiple >= BALANCE_LIMITS.minMultiple && f.lean > f.leanChance + BALANCE_LIMITS.maxLeanOverChance + EPS) {
    out.push({
      file: BANK,
      field: 'choices',
      message: `multiple-answer keys are among the longest choices ${percent(f.lean)} of the time over ${f.multiple} questions, chance is ${percent(f.leanChance)}; at most chance + ${percent(BALANCE_LIMITS.maxLeanOverChance)} allowed. Every key among the longest: ${list(f.leanIds)}`,
    });
  }
  const floor = (scope: string, qs: LoadedQuestion[], minSample: number) => {
    const g = gamingFigures(qs.map((q) => q.record));
    const margin = BALANCE_LIMITS.minLeanUnderChance;
    if (g.multiple < minSample || g.lean >= g.leanChance - margin - EPS) return;
    out.push({
      file: BANK,
      field: 'choices',
      message: `${scope}: multiple-answer keys are among the longest choices only ${percent(g.lean)} of the time over ${g.multiple} questions, chance is ${percent(g.leanChance)}; at least chance - ${percent(margin)} required. Every key among the shortest: ${list(g.shortKeyIds)}`,
    });
  };
  floor('bank', questions, BALANCE_LIMITS.minMultiple);
  for (const d of DOMAIN_IDS) {
    floor(`domain ${d}`, questions.filter((q) => q.record.domain === d), BALANCE_LIMITS.minMultipleDomain);
  }
}

function trueFalse(questions: LoadedQuestion[], out: BankProblem[]): void {
  const f = gamingFigures(questions.map((q) => q.record));
  if (f.trueFalse < BALANCE_LIMITS.minTrueFalse) return;
  const share = f.trueKeyedIds.length / f.trueFalse;
  const { min, max } = BALANCE_LIMITS.trueShare;
  if (share >= min - EPS && share <= max + EPS) return;
  const [side, ids] = share < min ? ['False', f.falseKeyedIds] : ['True', f.trueKeyedIds];
  out.push({
    file: BANK,
    field: 'answer',
    message: `${f.trueKeyedIds.length} of ${f.trueFalse} true/false questions are keyed True (${percent(share)}); ${percent(min)}-${percent(max)} required. Keyed ${side}: ${list(ids)}`,
  });
}

function echo(q: LoadedQuestion, out: BankProblem[]): void {
  const e = echoingChoice(q.record);
  if (!e) return;
  out.push({
    file: q.file,
    id: q.record.id,
    field: `choices[${e.index}]`,
    message: `only this choice repeats the prompt's wording (${e.words.length} words: ${e.words.join(', ')}), the others share none: it gives the answer away`,
  });
}

/** docs.cilium.io pages must name a version: /en/stable/ or /en/vX.Y/; /en/latest/ follows the next development branch. */
export function docsVersionProblem(url: string, topic: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.hostname.toLowerCase() !== 'docs.cilium.io') return null;
  const path = parsed.pathname;
  if (/^\/en\/(stable|v\d+\.\d+)\//.test(path)) return null;
  if (/^\/en\/latest\//.test(path)) {
    if (topic === NEXT_RELEASE_TOPIC) return null;
    return `${url} cites /en/latest/, which follows the next development branch: use /en/v1.19/ or /en/stable/ (only topic "${NEXT_RELEASE_TOPIC}" questions may cite latest)`;
  }
  return `${url} is not a versioned docs page: use /en/v1.19/... or /en/stable/...`;
}

function versionedSources(q: LoadedQuestion, out: BankProblem[]): void {
  const { record, file } = q;
  const urls: [string, string][] = [['source.url', record.source.url]];
  record.verified.against.forEach((u, i) => urls.push([`verified.against[${i}]`, u]));
  record.review?.against.forEach((u, i) => urls.push([`review.against[${i}]`, u]));
  for (const [field, url] of urls) {
    const problem = docsVersionProblem(url, record.topic);
    if (problem) out.push({ file, id: record.id, field, message: problem });
  }
  if (!record.verified.versions) {
    out.push({ file, id: record.id, field: 'verified.versions', message: "missing: list the Cilium versions whose docs confirm the question, e.g. ['1.18', '1.19']" });
  }
}

function coverage(questions: LoadedQuestion[], out: BankProblem[]): void {
  if (questions.length < BALANCE_LIMITS.minBankForCoverage) return;
  for (const c of COMPETENCIES) {
    const ids = questions.filter((q) => q.record.competency === c.id).map((q) => q.record.id);
    if (ids.length >= BALANCE_LIMITS.minPerCompetency) continue;
    out.push({
      file: BANK,
      field: 'competency',
      message: `competency ${c.id} (${c.domain}) has ${ids.length} question(s), at least ${BALANCE_LIMITS.minPerCompetency} needed${ids.length ? `: ${list(ids)}` : ''}`,
    });
  }
}

/** The balance rules: per-question problems first (echo, sources), then the bank-wide figures. */
export function lintBalance(questions: LoadedQuestion[]): BankProblem[] {
  const out: BankProblem[] = [];
  for (const q of questions) {
    echo(q, out);
    versionedSources(q, out);
  }
  longestKey(questions, out);
  longestKeyFloor(questions, out);
  multipleLean(questions, out);
  trueFalse(questions, out);
  coverage(questions, out);
  return out;
}
