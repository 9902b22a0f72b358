import { selectionProblem } from '../../shared/question.js';
import { refuse, type ReducerError, type Step } from './actions.js';
import { currentQuestion, type GameQuestion, type Player, type RoomState, type Round } from './state.js';
import { own } from './own.js';

/** Shared preconditions for in-question player actions; each returns the precise refusal. */
export function playerInRoom(state: RoomState, playerId: string): Player | ReducerError {
  const p = own(state.players, playerId);
  if (p) return p;
  if (state.banned.includes(playerId)) return refuse('KICKED', 'The host removed you from this room');
  return refuse('UNKNOWN_PLAYER', 'You are not in this room: join it with the code');
}

export function openQuestionFor(
  state: RoomState,
  questionId: string,
): { round: Round; gq: GameQuestion } | ReducerError {
  const current = currentQuestion(state);
  const open = state.phase === 'question' && current?.question.id === questionId;
  // A question that closed (the one on the reveal, or any earlier one): the tap came too late.
  if (!open && state.results.some((r) => r.questionId === questionId)) return refuse('LATE', TOO_LATE);
  if (state.phase !== 'question' || !state.round) return refuse('WRONG_PHASE', 'No question is open right now');
  if (state.pausedAt !== null) return refuse('PAUSED', 'The game is paused: wait for the host to resume');
  if (!open) return refuse('STALE_QUESTION', 'That question is no longer on screen');
  if ((state.round.opensAt ?? null) !== null) return refuse('NOT_OPEN_YET', 'Get ready: the question opens in a moment');
  return { round: state.round, gq: current };
}

export const TOO_LATE = 'Too late: the question closed';

const sameChoices = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * The very answer this player already gave to this question, sent again (a phone's outbox after
 * a reconnect): accepted without counting again. Null when it is not a repeat (the usual rules apply).
 */
export function repeatedAnswer(state: RoomState, playerId: string, questionId: string, choices: readonly number[]): Step | null {
  // The exam has its own answer events, where changing an answer is allowed.
  if (!own(state.players, playerId) || state.settings.mode === 'exam') return null;
  const sorted = [...choices].sort((x, y) => x - y);
  const round = state.round;
  let prior: { choices: number[] | null; at: number | null } | undefined;
  if (state.phase === 'question' && round && currentQuestion(state)?.question.id === questionId) {
    prior = own(round.answers, playerId) ?? round.buzz?.attempts.find((a) => a.playerId === playerId);
  } else {
    const result = state.results.find((r) => r.questionId === questionId);
    const mine = (result ? own(result.perPlayer, playerId) : undefined);
    if (mine) prior = { choices: mine.choices, at: null };
  }
  if (!prior?.choices || !sameChoices(prior.choices, sorted)) return null;
  return { state, effects: [{ type: 'answer-repeated', playerId, receivedAt: prior.at }] };
}

export function validChoices(gq: GameQuestion, choices: readonly number[]): ReducerError | null {
  const problem = selectionProblem(gq.question.type, gq.question.choices.length, choices);
  return problem ? refuse('INVALID_CHOICE', problem) : null;
}
