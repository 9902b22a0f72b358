import { DEFAULT_OUTLINE, outlineDomainOf, outlineWeights, type OutlineId } from '../../shared/curriculum.js';
import { publicPart, solutionPart, type QuestionRecord } from '../../shared/question.js';
import type { RoomSettings } from '../../shared/settings.js';
import type { QuestionBank } from './bank.js';
import type { Rng } from './rng.js';
import type { GameQuestion } from './state.js';

/** `outline` picks the blueprint weights (and which domain of a question counts); absent in old snapshots = the default. */
export type DrawFilter = Pick<RoomSettings, 'domains' | 'difficulties' | 'blueprintWeighted' | 'questionCount'> & { outline?: OutlineId };

/** The questions matching the filter; `domains` are domains of the filter's outline. */
export function questionPool(bank: QuestionBank, filter: Pick<DrawFilter, 'domains' | 'difficulties' | 'outline'>): QuestionRecord[] {
  const domains = new Set<string>(filter.domains);
  const difficulties = new Set<number>(filter.difficulties);
  const outline = filter.outline ?? DEFAULT_OUTLINE;
  return bank.questions.filter(
    (q) => (domains.size === 0 || domains.has(outlineDomainOf(q, outline))) && (difficulties.size === 0 || difficulties.has(q.difficulty)),
  );
}

/**
 * How many questions each domain gets: floors of the weighted quotas, then the leftover slots go to
 * domains drawn in proportion to their remainders, so small games still visit light domains over time.
 * A domain never gets more than it has; its surplus flows to the others.
 */
export function allocateByWeight<D extends string>(
  available: Partial<Record<D, number>>,
  count: number,
  rng: Rng,
  weights: ReadonlyMap<string, number> = outlineWeights(DEFAULT_OUTLINE),
): Partial<Record<D, number>> {
  const alloc: Partial<Record<D, number>> = {};
  const weight = (d: D) => weights.get(d) ?? 0;
  let open = (Object.keys(available) as D[]).filter((d) => (available[d] ?? 0) > 0 && weight(d) > 0);
  let left = Math.min(count, open.reduce((s, d) => s + (available[d] ?? 0), 0));
  while (left > 0 && open.length > 0) {
    const totalWeight = open.reduce((s, d) => s + weight(d), 0);
    const quotas = open.map((d) => ({ d, q: (left * weight(d)) / totalWeight }));
    let given = 0;
    for (const { d, q } of quotas) {
      const room = (available[d] ?? 0) - (alloc[d] ?? 0);
      const take = Math.min(Math.floor(q), room);
      alloc[d] = (alloc[d] ?? 0) + take;
      given += take;
    }
    let extra = left - given;
    const remainders = quotas
      .map(({ d, q }) => ({ d, r: q - Math.floor(q) }))
      .filter(({ d, r }) => r > 0 && (alloc[d] ?? 0) < (available[d] ?? 0));
    while (extra > 0 && remainders.length > 0 && given < left) {
      const sum = remainders.reduce((s, x) => s + x.r, 0);
      let pick = rng.next() * sum;
      let i = 0;
      while (i < remainders.length - 1 && pick >= remainders[i]!.r) pick -= remainders[i++]!.r;
      const { d } = remainders.splice(i, 1)[0]!;
      alloc[d] = (alloc[d] ?? 0) + 1;
      given++;
      extra--;
    }
    left -= given;
    open = open.filter((d) => (alloc[d] ?? 0) < (available[d] ?? 0));
    if (given === 0) break;
  }
  return alloc;
}

/** Puts a question's choices in a seeded on-screen order (true/false stays True, False) and remaps the answer. */
export function prepareQuestion(record: QuestionRecord, rng: Rng): GameQuestion {
  const question = publicPart(record);
  const solution = solutionPart(record);
  if (record.type === 'true-false') return { question, solution };
  const order = rng.shuffle(record.choices.map((_, i) => i));
  question.choices = order.map((i) => record.choices[i]!);
  solution.answer = record.answer.map((a) => order.indexOf(a)).sort((a, b) => a - b);
  return { question, solution };
}

/**
 * One question per fact key, picked at random: questions sharing a `fact` test the same thing (or one's
 * distractor answers another), so a game never holds two of them. A pool without fact keys is left as is.
 */
export function onePerFact(pool: readonly QuestionRecord[], rng: Rng): QuestionRecord[] {
  if (!pool.some((q) => q.fact)) return [...pool];
  // Positions, not records, are shuffled (the same random numbers, so the same draw): marking kept
  // positions needs no set of hundreds of records per game.
  const seen = new Set<string>();
  const kept = new Uint8Array(pool.length);
  for (const i of rng.shuffle(pool.map((_, i) => i))) {
    const fact = pool[i]!.fact;
    if (fact && seen.has(fact)) continue;
    if (fact) seen.add(fact);
    kept[i] = 1;
  }
  return pool.filter((_, i) => kept[i] === 1);
}

/**
 * Draws a game's questions without repeats and at most one per fact: filtered, optionally weighted by
 * the blueprint of the chosen outline (for cca-2025 each question counts in its `domain2025`).
 */
export function drawQuestions(bank: QuestionBank, filter: DrawFilter, rng: Rng): GameQuestion[] {
  const pool = onePerFact(questionPool(bank, filter), rng);
  const outline = filter.outline ?? DEFAULT_OUTLINE;
  let picked: QuestionRecord[];
  if (filter.blueprintWeighted) {
    const byDomain = new Map<string, QuestionRecord[]>();
    for (const q of pool) {
      const d = outlineDomainOf(q, outline);
      const list = byDomain.get(d);
      if (list) list.push(q);
      else byDomain.set(d, [q]);
    }
    const available = Object.fromEntries([...byDomain].map(([d, qs]) => [d, qs.length]));
    const alloc = allocateByWeight(available, filter.questionCount, rng, outlineWeights(outline));
    picked = [...byDomain].flatMap(([d, qs]) => rng.shuffle(qs).slice(0, alloc[d] ?? 0));
    picked = rng.shuffle(picked);
  } else {
    picked = rng.shuffle(pool).slice(0, filter.questionCount);
  }
  return picked.map((q) => prepareQuestion(q, rng));
}
