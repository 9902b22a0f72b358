import { DOMAIN_WEIGHT, type DomainId } from '../../shared/domains.js';
import { publicPart, solutionPart, type QuestionRecord } from '../../shared/question.js';
import type { RoomSettings } from '../../shared/settings.js';
import type { QuestionBank } from './bank.js';
import type { Rng } from './rng.js';
import type { GameQuestion } from './state.js';

export type DrawFilter = Pick<RoomSettings, 'domains' | 'difficulties' | 'blueprintWeighted' | 'questionCount'>;

export function questionPool(bank: QuestionBank, filter: Pick<DrawFilter, 'domains' | 'difficulties'>): QuestionRecord[] {
  const domains = new Set(filter.domains);
  const difficulties = new Set<number>(filter.difficulties);
  return bank.questions.filter(
    (q) => (domains.size === 0 || domains.has(q.domain)) && (difficulties.size === 0 || difficulties.has(q.difficulty)),
  );
}

/**
 * How many questions each domain gets: floors of the weighted quotas, then the leftover slots go to
 * domains drawn in proportion to their remainders, so small games still visit light domains over time.
 * A domain never gets more than it has; its surplus flows to the others.
 */
export function allocateByWeight(available: Partial<Record<DomainId, number>>, count: number, rng: Rng): Partial<Record<DomainId, number>> {
  const alloc: Partial<Record<DomainId, number>> = {};
  let open = (Object.keys(available) as DomainId[]).filter((d) => (available[d] ?? 0) > 0);
  let left = Math.min(count, open.reduce((s, d) => s + (available[d] ?? 0), 0));
  while (left > 0 && open.length > 0) {
    const totalWeight = open.reduce((s, d) => s + DOMAIN_WEIGHT[d], 0);
    const quotas = open.map((d) => ({ d, q: (left * DOMAIN_WEIGHT[d]) / totalWeight }));
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

/** Draws a game's questions without repeats: filtered, optionally weighted by the exam blueprint. */
export function drawQuestions(bank: QuestionBank, filter: DrawFilter, rng: Rng): GameQuestion[] {
  const pool = questionPool(bank, filter);
  let picked: QuestionRecord[];
  if (filter.blueprintWeighted) {
    const byDomain = new Map<DomainId, QuestionRecord[]>();
    for (const q of pool) byDomain.set(q.domain, [...(byDomain.get(q.domain) ?? []), q]);
    const available = Object.fromEntries([...byDomain].map(([d, qs]) => [d, qs.length]));
    const alloc = allocateByWeight(available, filter.questionCount, rng);
    picked = [...byDomain].flatMap(([d, qs]) => rng.shuffle(qs).slice(0, alloc[d] ?? 0));
    picked = rng.shuffle(picked);
  } else {
    picked = rng.shuffle(pool).slice(0, filter.questionCount);
  }
  return picked.map((q) => prepareQuestion(q, rng));
}
