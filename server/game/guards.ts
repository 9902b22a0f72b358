import { selectionProblem } from '../../shared/question.js';
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
  const problem = selectionProblem(gq.question.type, gq.question.choices.length, choices);
  return problem ? refuse('INVALID_CHOICE', problem) : null;
}
