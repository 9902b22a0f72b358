import { normalizeProtestReason, type ProtestDecision } from '../../shared/protocol/protests.js';
import { isRefusal, refuse, type Effect, type OutcomeCorrection, type Step } from './actions.js';
import { playerInRoom } from './guards.js';
import { timeLimitMs } from './rounds.js';
import { BUZZ_POINTS, CLASSIC_MAX_POINTS, buzzPoints, classicPoints, streakBonus } from './scoring.js';
import type { Player, Protest, QuestionResult, RoomState, ScoreEvent } from './state.js';
import { own } from './own.js';

/** One per player per question bounds it too; this keeps a 10,000-seat room's state and host view small. */
export const MAX_PROTESTS_PER_ROOM = 500;

export const protestsOf = (state: RoomState): Protest[] => state.protests ?? [];

/** Counts for the stores exactly as the room's question outcome does. */
const counted = (state: RoomState, r: QuestionResult['perPlayer'][string]) => r.choices !== null || state.settings.mode === 'buzz';

/**
 * A player protests their judged answer: only a question of this room that was revealed (not the
 * open one, not one still to come), while the game runs, never in a mock exam (no per-question judging).
 */
export function fileProtest(state: RoomState, playerId: string, questionId: string, rawReason: string, now: number): Step {
  const player = playerInRoom(state, playerId);
  if (isRefusal(player)) return player;
  if (state.settings.mode === 'exam') return refuse('WRONG_MODE', 'A mock exam has no per-question judging to protest: its debrief comes at the end');
  if (!state.questions.some((q) => q.question.id === questionId)) return refuse('UNKNOWN_QUESTION', 'That question is not part of this game');
  const result = state.results.find((r) => r.questionId === questionId);
  if (!result) return refuse('NOT_REVEALED', 'You can protest an answer once it has been revealed');
  if (state.phase === 'finished') return refuse('WRONG_PHASE', 'The game is over: protests are closed');
  if (result.voided) return refuse('QUESTION_VOIDED', 'That question was already voided: it counts for nobody');
  const mine = own(result.perPlayer, playerId);
  if (!mine || mine.choices === null) return refuse('NOTHING_TO_PROTEST', 'You gave no answer to that question, so there is nothing to re-judge');
  const id = `${result.index}:${playerId}`;
  const protests = protestsOf(state);
  if (protests.some((p) => p.id === id)) return refuse('ALREADY_PROTESTED', 'You already protested this question');
  const reason = normalizeProtestReason(rawReason);
  if (!reason.ok) return refuse('REASON_INVALID', reason.reason);
  if (protests.length >= MAX_PROTESTS_PER_ROOM) return refuse('TOO_MANY_PROTESTS', 'This room has too many protests already: talk to the host');
  const protest: Protest = { id, playerId, questionId, questionIndex: result.index, reason: reason.reason, at: now, decision: null, decidedAt: null };
  return { state: { ...state, protests: [...protests, protest] }, effects: [{ type: 'protest-filed', protest }] };
}

/**
 * The host decides a protest (also after the game ended, so the last question's protests can be
 * settled on the podium). Void and re-score rewrite that question's score events, so every score
 * stays the sum of its events and the leaderboard, teams and export follow.
 */
export function decideProtest(state: RoomState, protestId: string, decision: ProtestDecision, now: number): Step {
  const protests = protestsOf(state);
  const at = protests.findIndex((p) => p.id === protestId);
  const protest = protests[at];
  if (!protest) return refuse('UNKNOWN_PROTEST', 'There is no such protest in this room');
  if (protest.decision !== null) return refuse('ALREADY_DECIDED', `That protest was already decided (${protest.decision})`);
  const resultAt = state.results.findIndex((r) => r.index === protest.questionIndex);
  const result = state.results[resultAt]!;
  let next: RoomState = state;
  let corrections: OutcomeCorrection[] = [];
  if (decision === 'rescore') {
    if (result.voided) return refuse('QUESTION_VOIDED', 'That question was voided: there is nothing to re-score');
    const player = playerInRoom(state, protest.playerId);
    if (isRefusal(player)) return player;
    if (own(result.perPlayer, protest.playerId)!.correct) return refuse('ALREADY_CORRECT', 'That answer already counts as correct');
    ({ state: next, corrections } = rescore(state, result, player));
  } else if (decision === 'void' && !result.voided) {
    ({ state: next, corrections } = voidQuestion(state, result));
  }
  const decided: Protest = { ...protest, decision, decidedAt: now };
  const newResult = next.results[resultAt]!;
  const effects: Effect[] = [{ type: 'protest-decided', protest: decided, result: newResult, corrections }];
  return { state: { ...next, protests: protests.map((p, i) => (i === at ? decided : p)) }, effects };
}

/** Drops `drop` events from the log and applies `add`; scores move by the difference. */
function rewriteEvents(state: RoomState, drop: (e: ScoreEvent) => boolean, add: ScoreEvent[]): RoomState {
  const players = { ...state.players };
  const kept: ScoreEvent[] = [];
  for (const e of state.scoreLog) {
    if (!drop(e)) {
      kept.push(e);
      continue;
    }
    const p = players[e.playerId];
    if (p) players[e.playerId] = { ...p, score: p.score - e.points };
  }
  for (const e of add) {
    const p = players[e.playerId];
    if (p) players[e.playerId] = { ...p, score: p.score + e.points };
  }
  return { ...state, players, scoreLog: [...kept, ...add] };
}

/** Consecutive correct answers up to (not including) question `before`, voided questions skipped. */
function streakBefore(state: RoomState, playerId: string, before: number): number {
  let n = 0;
  for (let i = state.results.length - 1; i >= 0; i--) {
    const r = state.results[i]!;
    if (r.index >= before || r.voided) continue;
    if (!own(r.perPlayer, playerId)?.correct) break;
    n++;
  }
  return n;
}

/**
 * Streaks follow the corrected history (a voided question neither extends nor breaks one). Bonuses
 * already paid on later questions stay: players saw them, and re-scoring them would chain.
 */
function recomputeStreaks(state: RoomState): RoomState {
  if (state.settings.mode === 'buzz') return state;
  const players: Record<string, Player> = { ...state.players };
  for (const [id, p] of Object.entries(players)) {
    const streak = streakBefore(state, id, Number.POSITIVE_INFINITY);
    if (streak !== p.streak) players[id] = { ...p, streak };
  }
  return { ...state, players };
}

function withResult(state: RoomState, result: QuestionResult): RoomState {
  return { ...state, results: state.results.map((r) => (r.index === result.index ? result : r)) };
}

/** Nobody's points from that question count; its answers leave the accuracy and the stats too. */
function voidQuestion(state: RoomState, result: QuestionResult): { state: RoomState; corrections: OutcomeCorrection[] } {
  const corrections: OutcomeCorrection[] = [];
  const perPlayer: QuestionResult['perPlayer'] = {};
  for (const [playerId, r] of Object.entries(result.perPlayer)) {
    const answered = counted(state, r);
    if (r.points !== 0 || answered) {
      corrections.push({ playerId, points: -r.points, answered: answered ? -1 : 0, correct: answered && r.correct ? -1 : 0, timeMs: answered ? -(r.elapsedMs ?? 0) : 0 });
    }
    perPlayer[playerId] = { ...r, points: 0 };
  }
  let next = rewriteEvents(state, (e) => e.questionId === result.questionId, []);
  next = withResult(next, { ...result, perPlayer, voided: true });
  return { state: recomputeStreaks(next), corrections };
}

/**
 * The protester's answer counts as correct with the points it would have earned: Classic speed
 * points from their own server-measured answer time (the same formula as at the close), plus the
 * streak bonus their streak before that question gives; Buzz-in +15 if they buzzed before the
 * choices (their −5 is undone), else +10; Study the flat 1000 (none unless scoring is on).
 */
function rescore(state: RoomState, result: QuestionResult, player: Player): { state: RoomState; corrections: OutcomeCorrection[] } {
  const mine = result.perPlayer[player.id]!;
  const q = result.questionId;
  const events: ScoreEvent[] = [];
  if (state.settings.mode === 'buzz') {
    const early = mine.points === BUZZ_POINTS.neg;
    events.push({ playerId: player.id, questionId: q, points: buzzPoints(true, early), reason: early ? 'power' : 'correct' });
  } else if (state.settings.mode !== 'study' || state.settings.studyScoring === true) {
    // Study without scoring: the answer becomes right, still for no points.
    const classic = state.settings.mode === 'classic';
    const limit = timeLimitMs(state);
    const base = classic && limit !== null ? classicPoints(mine.elapsedMs ?? 0, limit, state.settings.speedScoring) : CLASSIC_MAX_POINTS;
    events.push({ playerId: player.id, questionId: q, points: base, reason: 'correct' });
    const bonus = classic && state.settings.streakBonus ? streakBonus(streakBefore(state, player.id, result.index) + 1) : 0;
    if (bonus > 0) events.push({ playerId: player.id, questionId: q, points: bonus, reason: 'streak' });
  }
  const points = events.reduce((s, e) => s + e.points, 0);
  let next = rewriteEvents(state, (e) => e.questionId === q && e.playerId === player.id, events);
  next = withResult(next, { ...result, perPlayer: { ...result.perPlayer, [player.id]: { ...mine, correct: true, points } } });
  const correction: OutcomeCorrection = { playerId: player.id, points: points - mine.points, answered: 0, correct: counted(state, mine) ? 1 : 0, timeMs: 0 };
  return { state: recomputeStreaks(next), corrections: [correction] };
}
