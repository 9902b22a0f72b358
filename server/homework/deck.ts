import type { OutlineId } from '../../shared/curriculum.js';
import { formatDeckProblem, type DeckProblem, type DeckSpec } from '../../shared/protocol/decks.js';
import { HOMEWORK_LIMITS } from '../../shared/protocol/homework.js';
import type { QuestionRecord } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import { resolveDeck } from '../game/decks.js';
import { drawQuestions, onePerFact } from '../game/draw.js';
import { Rng } from '../game/rng.js';
import type { AssignedQuestion } from './store.js';

export type DeckOutcome =
  | { ok: true; questions: AssignedQuestion[] }
  | { ok: false; code: 'DECK_INVALID' | 'DECK_EMPTY' | 'DECK_TOO_LARGE'; message: string; problems: DeckProblem[] };

const refuse = (code: 'DECK_INVALID' | 'DECK_EMPTY' | 'DECK_TOO_LARGE', problems: DeckProblem[]): DeckOutcome => ({
  ok: false,
  code,
  message: problems.slice(0, 3).map(formatDeckProblem).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''),
  problems,
});

/**
 * An assignment's questions, through the shared `resolveDeck`, copied so later bank edits do not change
 * it. Ids and uploads keep every question in order; random (blueprint-weighted) and topics draw `count`,
 * seeded, one per fact. "Weakest domains" needs a room's players, so homework refuses it.
 */
export function resolveHomeworkDeck(spec: DeckSpec, count: number, bank: QuestionBank, outline: OutlineId, seed: number, today: string): DeckOutcome {
  if (spec.kind === 'weakest') return refuse('DECK_INVALID', [{ field: 'deck.kind', message: "the group's weakest domains come from the players of a room: for homework pick topics, ids or an uploaded deck" }]);
  const r = resolveDeck(spec, bank, { today });
  if (!r.ok) return refuse(r.code, r.problems);
  const rng = new Rng(seed);
  let picked: QuestionRecord[];
  if (spec.kind === 'random') {
    const filter = { domains: [], difficulties: [], blueprintWeighted: true, questionCount: count, outline };
    picked = drawQuestions(bank, filter, rng).map((g) => bank.byId.get(g.question.id)!);
  } else if (spec.kind === 'topics') picked = rng.shuffle(onePerFact(r.questions, rng)).slice(0, count);
  else picked = r.questions;
  if (picked.length === 0) return refuse('DECK_EMPTY', [{ message: 'that deck selects no questions' }]);
  if (picked.length > HOMEWORK_LIMITS.maxQuestions) return refuse('DECK_TOO_LARGE', [{ message: `an assignment has at most ${HOMEWORK_LIMITS.maxQuestions} questions (this deck has ${picked.length})` }]);
  return { ok: true, questions: picked.map((q) => ({ ...structuredClone(q), reviewed: !r.unreviewed })) };
}
