import type { OutcomeCorrection } from '../game/actions.js';
import type { Protest, QuestionResult, RoomState } from '../game/state.js';
import { isoWeek, type ProtestEntry, type QuestionCorrection } from '../storage/types.js';

/** The id a closed question is recorded under: once per question close (room code, room start, index). */
export const outcomeId = (state: RoomState, index: number): string => `${state.code}:${state.createdAt}:${index}`;

/** The week a question counts in: when it closed (so a later correction lands on the same board). */
export const outcomeWeek = (result: QuestionResult, now: number): string => isoWeek(new Date(result.closedAt ?? now));

/** A protest as filed with the question's flags; decisions overwrite it (same question, room, player). */
export function protestEntry(roomCode: string, p: Protest): ProtestEntry {
  return {
    questionId: p.questionId,
    by: p.playerId,
    roomCode,
    reason: p.reason,
    at: new Date(p.at).toISOString(),
    decision: p.decision,
    decidedAt: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
  };
}

/** A decision's deltas for the stores, guarded by the outcome's id and the protest's (applied once). */
export function questionCorrection(
  state: RoomState,
  protest: Protest,
  result: QuestionResult,
  corrections: OutcomeCorrection[],
  keyOf: (playerId: string) => string,
  now: number,
): QuestionCorrection {
  return {
    id: `${outcomeId(state, result.index)}:protest:${protest.id}`,
    roomCode: state.code,
    week: outcomeWeek(result, now),
    board: state.settings.mode === 'exam' ? 'exam' : 'quiz',
    domain: result.domain,
    scores: Object.values(state.players).map((p) => ({ playerId: p.id, name: p.name, score: p.score })),
    players: corrections.map((c) => ({ key: keyOf(c.playerId), name: state.players[c.playerId]?.name ?? c.playerId, points: c.points, answered: c.answered, correct: c.correct, timeMs: c.timeMs })),
  };
}
