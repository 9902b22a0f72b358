import { basename, dirname } from 'node:path';
import { lintBalance } from './lint-balance.js';
import type { BankProblem, LoadedQuestion } from './loader.js';

/**
 * The one switch for the balance rules of questions/lint-balance.ts (longest key, multiple-answer lean,
 * true/false share, prompt echo, versioned docs, verified.versions, competency coverage). Off while the
 * writers bring the bank up to them; `npm run questions:check -- --balance` applies them already.
 */
export const BANK_BALANCE_RULES_ENFORCED = true;

/** Hosts a question's sources may point at; subdomains count (www.cncf.io). */
export const ALLOWED_SOURCE_HOSTS = [
  'docs.cilium.io',
  'cilium.io',
  'isovalent.com',
  'ebpf.io',
  'kubernetes.io',
  'gateway-api.sigs.k8s.io',
  'cncf.io',
] as const;

export const LINT_LIMITS = {
  /** No answer position may hold more than this share of single-choice answers... */
  maxPositionShare: 0.35,
  /** ...once the bank has enough single-choice questions for shares to mean something. */
  minSingleForPositionRule: 20,
  maxChoiceLengthRatio: 2.5,
  /** Jaccard similarity of word trigrams at or above which two prompts count as near-duplicates. */
  nearDuplicateSimilarity: 0.8,
} as const;

const REFERS_TO_OTHER_CHOICES =
  /\b(all|none|both|neither)\s+of\s+(the\s+)?(above|these|those|the\s+options|the\s+choices)\b|\b(options?|choices?|answers?)\s+[a-f1-6]\s+(and|&|or)\s+[a-f1-6]\b|^\s*[a-f]\s+(and|&)\s+[a-f]\s*$/i;

export function isAllowedSource(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.toLowerCase();
  if (host === 'github.com') return /^\/cilium\//i.test(parsed.pathname);
  return ALLOWED_SOURCE_HOSTS.some((h) => host === h || host.endsWith('.' + h));
}

function lintChoices(q: LoadedQuestion, out: BankProblem[]): void {
  const { record, file } = q;
  record.choices.forEach((c, i) => {
    if (REFERS_TO_OTHER_CHOICES.test(c)) {
      out.push({ file, id: record.id, field: `choices[${i}]`, message: `"${c}" refers to other choices (all/none of the above)` });
    }
  });
  if (record.type === 'true-false') return;
  const lengths = record.choices.map((c) => c.length);
  const shortest = Math.min(...lengths);
  const longest = Math.max(...lengths);
  if (longest > LINT_LIMITS.maxChoiceLengthRatio * shortest) {
    const i = lengths.indexOf(longest);
    out.push({
      file,
      id: record.id,
      field: `choices[${i}]`,
      message: `choice is ${longest} characters, more than ${LINT_LIMITS.maxChoiceLengthRatio}x the shortest (${shortest}): length gives the answer away`,
    });
  }
}

function lintSources(q: LoadedQuestion, out: BankProblem[]): void {
  const { record, file } = q;
  const urls: [string, string][] = [['source.url', record.source.url]];
  record.verified.against.forEach((u, i) => urls.push([`verified.against[${i}]`, u]));
  record.review?.against.forEach((u, i) => urls.push([`review.against[${i}]`, u]));
  for (const [field, url] of urls) {
    if (!isAllowedSource(url)) out.push({ file, id: record.id, field, message: `${url} is not on an allowed host (https: ${ALLOWED_SOURCE_HOSTS.join(', ')}, github.com/cilium)` });
  }
}

function lintFolder(q: LoadedQuestion, out: BankProblem[]): void {
  const folder = basename(dirname(q.file));
  if (folder !== q.record.domain && folder !== 'bank') {
    out.push({ file: q.file, id: q.record.id, field: 'domain', message: `domain "${q.record.domain}" does not match its folder "${folder}"` });
  }
}

function lintPositions(questions: LoadedQuestion[], out: BankProblem[]): void {
  const single = questions.filter((q) => q.record.type === 'single');
  if (single.length < LINT_LIMITS.minSingleForPositionRule) return;
  const counts = new Map<number, LoadedQuestion[]>();
  for (const q of single) {
    const pos = q.record.answer[0]!;
    counts.set(pos, [...(counts.get(pos) ?? []), q]);
  }
  for (const [pos, qs] of [...counts].sort((a, b) => a[0] - b[0])) {
    const share = qs.length / single.length;
    if (share > LINT_LIMITS.maxPositionShare) {
      const byFile = new Map<string, number>();
      for (const q of qs) byFile.set(q.file, (byFile.get(q.file) ?? 0) + 1);
      const worst = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([f, n]) => `${f} (${n})`).join(', ');
      out.push({
        file: '(bank)',
        field: 'answer',
        message: `${qs.length} of ${single.length} single-choice answers (${(share * 100).toFixed(1)}%) are at position ${pos}; at most ${LINT_LIMITS.maxPositionShare * 100}% allowed. Most in: ${worst}`,
      });
    }
  }
}

function trigrams(text: string): Set<string> {
  const words = text.toLowerCase().replace(/[^a-z0-9./:-]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  const grams = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) grams.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  if (words.length < 3) grams.add(words.join(' '));
  return grams;
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

function lintNearDuplicates(questions: LoadedQuestion[], out: BankProblem[]): void {
  const grams = questions.map((q) => trigrams(q.record.prompt));
  for (let i = 0; i < questions.length; i++) {
    for (let j = i + 1; j < questions.length; j++) {
      const s = similarity(grams[i]!, grams[j]!);
      if (s >= LINT_LIMITS.nearDuplicateSimilarity) {
        const a = questions[i]!;
        const b = questions[j]!;
        out.push({ file: b.file, id: b.record.id, field: 'prompt', message: `near-duplicate of ${a.record.id} in ${a.file} (similarity ${s.toFixed(2)})` });
      }
    }
  }
}

/** The per-question rules (choices, sources), without the folder and bank-level rules: uploaded decks use these. */
export function lintQuestion(q: LoadedQuestion): BankProblem[] {
  const out: BankProblem[] = [];
  lintChoices(q, out);
  lintSources(q, out);
  return out;
}

/** Bank-quality rules on top of the schema: each returns precise problems, none throws. */
export function lintBank(questions: LoadedQuestion[], opts: { balance?: boolean } = {}): BankProblem[] {
  const out: BankProblem[] = [];
  for (const q of questions) {
    lintChoices(q, out);
    lintSources(q, out);
    lintFolder(q, out);
  }
  lintPositions(questions, out);
  lintNearDuplicates(questions, out);
  if (opts.balance ?? BANK_BALANCE_RULES_ENFORCED) out.push(...lintBalance(questions));
  return out;
}
