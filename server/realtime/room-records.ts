import type { OutcomeCorrection } from '../game/actions.js';
import type { Protest, QuestionResult, RoomState } from '../game/state.js';
import { isoWeek, type ProtestEntry, type QuestionCorrection, type QuestionOutcome, type RoomScore } from '../storage/types.js';

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

/** Absolute room scores, for the room leaderboard (safe to write again). */
export function roomScores(state: RoomState): RoomScore[] {
  return Object.values(state.players).map((p) => ({ playerId: p.id, name: p.name, score: p.score }));
}

/** A closed question as the weekly board and per-domain stats record it (once, by its id). */
export function questionOutcome(state: RoomState, result: QuestionResult, keyOf: (playerId: string) => string, now: number): QuestionOutcome {
  const players = Object.values(state.players).map((p) => {
    const r = result.perPlayer[p.id];
    return {
      key: keyOf(p.id),
      name: p.name,
      points: r?.points ?? 0,
      answered: r !== undefined && (r.choices !== null || state.settings.mode === 'buzz'),
      correct: r?.correct ?? false,
      timeMs: r?.elapsedMs ?? 0,
    };
  });
  return {
    id: outcomeId(state, result.index),
    roomCode: state.code,
    week: outcomeWeek(result, now),
    board: state.settings.mode === 'exam' ? 'exam' : 'quiz',
    domain: result.domain,
    scores: roomScores(state),
    players,
  };
}

/** A closed question's answers by players who joined with a practice profile. */
export interface ProfiledAnswer {
  profileId: string;
  /** The question close it comes from: counted once per profile, however often it is replayed. */
  outcomeId: string;
  /** The bank question, so its 5-domain domain counts too. */
  questionId: string;
  domain: QuestionResult['domain'];
  correct: boolean;
  timeMs: number;
}

export function profiledAnswers(state: RoomState, result: QuestionResult, profiles: ReadonlyMap<string, string>): ProfiledAnswer[] {
  return Object.entries(result.perPlayer)
    .filter(([playerId, r]) => profiles.has(playerId) && (r.choices !== null || state.settings.mode === 'buzz'))
    .map(([playerId, r]) => ({ profileId: profiles.get(playerId)!, outcomeId: outcomeId(state, result.index), questionId: result.questionId, domain: result.domain, correct: r.correct, timeMs: r.elapsedMs ?? 0 }));
}
