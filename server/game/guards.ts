import { refuse, type ReducerError } from './actions.js';
import { currentQuestion, type GameQuestion, type Player, type RoomState, type Round } from './state.js';

/** Shared preconditions for in-question player actions; each returns the precise refusal. */
export function playerInRoom(state: RoomState, playerId: string): Player | ReducerError {
  const p = state.players[playerId];
  if (p) return p;
  if (state.banned.includes(playerId)) return refuse('KICKED', 'you were removed from this room');
  return refuse('UNKNOWN_PLAYER', `no player ${playerId} in this room`);
}

export function openQuestionFor(
  state: RoomState,
  questionId: string,
): { round: Round; gq: GameQuestion } | ReducerError {
  const closed = currentQuestion(state);
  if ((state.phase === 'reveal' || state.phase === 'leaderboard') && closed?.question.id === questionId) {
    return refuse('LATE', 'the answer window has closed');
  }
  if (state.phase !== 'question' || !state.round) return refuse('WRONG_PHASE', `no question is open (phase: ${state.phase})`);
  if (state.pausedAt !== null) return refuse('PAUSED', 'the game is paused');
  const gq = currentQuestion(state)!;
  if (gq.question.id !== questionId) return refuse('STALE_QUESTION', `question ${questionId} is not the open question`);
  return { round: state.round, gq };
}

export function validChoices(gq: GameQuestion, choices: readonly number[]): ReducerError | null {
  const n = gq.question.choices.length;
  if (choices.some((c) => !Number.isInteger(c) || c < 0 || c >= n)) return refuse('INVALID_CHOICE', `choices must be 0-${n - 1}`);
  if (new Set(choices).size !== choices.length) return refuse('INVALID_CHOICE', 'a choice is listed twice');
  if (gq.question.type !== 'multiple' && choices.length !== 1) return refuse('INVALID_CHOICE', 'pick exactly one choice');
  if (gq.question.type === 'multiple' && choices.length >= n) return refuse('INVALID_CHOICE', 'pick fewer than all choices');
  return null;
}
