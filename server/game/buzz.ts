import { isCorrectSelection } from '../../shared/question.js';
import { isRefusal, refuse, type Step } from './actions.js';
import { openQuestionFor, playerInRoom, validChoices } from './guards.js';
import { applyScores, closeQuestion, timeLimitMs, type Change } from './rounds.js';
import { buzzPoints } from './scoring.js';
import { shiftRound } from './timers.js';
import { activePlayers, isPresent, type BuzzRound, type PendingBuzz, type RoomState, type Round, type ScoreEvent } from './state.js';
import { own } from './own.js';

const withBuzz = (state: RoomState, round: Round, buzz: Partial<BuzzRound>, extra: Partial<Round> = {}): RoomState => ({
  ...state,
  round: { ...round, ...extra, buzz: { ...round.buzz!, ...buzz } },
});

export function everyoneLockedOut(state: RoomState): boolean {
  const b = state.round?.buzz;
  if (!b || state.phase !== 'question') return false;
  const locked = new Set(b.lockedOut);
  let anyone = false;
  for (const id of state.playerOrder) {
    const p = own(state.players, id);
    if (!p || !isPresent(p)) continue;
    if (!locked.has(id)) return false;
    anyone = true;
  }
  return anyone;
}

/**
 * A buzz. The first one freezes the question clock and opens an adjudication window of
 * (cap − its own compensation): no later buzz can have an earlier compensated time after that.
 * With compensation off the window is empty and the first arrival takes the floor at once.
 */
export function buzz(state: RoomState, playerId: string, questionId: string, latencyMs: number, now: number): Step {
  const player = playerInRoom(state, playerId);
  if (isRefusal(player)) return player;
  const open = openQuestionFor(state, questionId);
  if (isRefusal(open)) return open;
  const { round } = open;
  const b = round.buzz;
  if (!b) return refuse('WRONG_PHASE', 'Buzzing is only for Buzz-in games');
  if (b.lockedOut.includes(playerId)) return refuse('LOCKED_OUT', 'You are locked out of this question');
  // Your own buzz comes first: the holder (or a buzz still being weighed) buzzing again is no one else's floor.
  if (b.floor?.playerId === playerId) return refuse('ALREADY_BUZZED', 'You already have the floor: pick your answer');
  if (b.pending.some((p) => p.playerId === playerId)) return refuse('ALREADY_BUZZED', 'You already buzzed');
  if (b.floor || (b.adjudicateAt !== null && now >= b.adjudicateAt)) return refuse('FLOOR_TAKEN', 'Someone else buzzed first');
  if (round.frozenAt === null && round.deadline !== null && now >= round.deadline) return refuse('LATE', 'Too late: the question closed');

  const { buzzCompensation, buzzCompensationCapMs: cap } = state.settings;
  const compensation = buzzCompensation ? Math.min(Math.max(latencyMs, 0), cap) : 0;
  const entry: PendingBuzz = { playerId, arrivedAt: now, effectiveAt: now - compensation };
  if (b.adjudicateAt !== null) {
    const waiting = withBuzz(state, round, { pending: [...b.pending, entry] });
    // Everyone who could still buzz has buzzed: nobody can arrive to win, so decide now.
    return everyoneBuzzed(waiting) ? awardFloor(waiting, now) : { state: waiting, effects: [] };
  }

  const windowMs = buzzCompensation ? cap - compensation : 0;
  const frozen = withBuzz(state, round, { pending: [entry], adjudicateAt: now + windowMs }, { frozenAt: now });
  return windowMs > 0 && !everyoneBuzzed(frozen) ? { state: frozen, effects: [] } : awardFloor(frozen, now);
}

function everyoneBuzzed(state: RoomState): boolean {
  const b = state.round!.buzz!;
  const eligible = activePlayers(state).filter((p) => isPresent(p) && !b.lockedOut.includes(p.id));
  return eligible.every((p) => b.pending.some((x) => x.playerId === p.id));
}

/** Ends the adjudication window: the earliest compensated buzz (then earliest arrival) gets the floor. */
export function awardFloor(state: RoomState, at: number): Change {
  const round = state.round!;
  const b = round.buzz!;
  const [winner] = [...b.pending].sort((x, y) => x.effectiveAt - y.effectiveAt || x.arrivedAt - y.arrivedAt);
  if (!winner) return unfreeze(withBuzz(state, round, { adjudicateAt: null }), at);
  const floor = {
    playerId: winner.playerId,
    deadline: at + state.settings.buzzAnswerSec * 1000,
    beforeChoices: b.choicesAt === null || winner.effectiveAt < b.choicesAt,
  };
  return { state: withBuzz(state, round, { pending: [], adjudicateAt: null, floor }), effects: [{ type: 'buzz-won', playerId: winner.playerId }] };
}

/** The question clock runs again, shifted by how long it stood still. */
export function unfreeze(state: RoomState, at: number): Change {
  const round = state.round!;
  if (round.frozenAt === null) return { state, effects: [] };
  const shifted = shiftRound(round, at - round.frozenAt, { includeBuzzWindow: false });
  return { state: { ...state, round: { ...shifted, frozenAt: null } }, effects: [] };
}

/**
 * The floor holder's answer (or silence when `choices` is null): right ends the question;
 * wrong or silent locks them out, applies the neg if they buzzed early, and play resumes.
 */
export function resolveFloor(state: RoomState, choices: number[] | null, correct: boolean, at: number): Change {
  const round = state.round!;
  const b = round.buzz!;
  const floor = b.floor!;
  const points = buzzPoints(correct, floor.beforeChoices);
  const questionId = state.questions[round.index]!.question.id;
  const attempt = { playerId: floor.playerId, choices, correct, points, at };
  const events: ScoreEvent[] =
    points === 0 ? [] : [{ playerId: floor.playerId, questionId, points, reason: correct ? (floor.beforeChoices ? 'power' : 'correct') : 'neg' }];
  const scored = applyScores(withBuzz(state, round, { attempts: [...b.attempts, attempt] }), events);
  if (correct) {
    const closed = closeQuestion(scored.state, at);
    return { state: closed.state, effects: [...scored.effects, ...closed.effects] };
  }
  const r = scored.state.round!;
  const released = withBuzz(scored.state, r, { floor: null, lockedOut: [...r.buzz!.lockedOut, floor.playerId] });
  const resumed = unfreeze(released, at);
  if (everyoneLockedOut(resumed.state)) {
    const closed = closeQuestion(resumed.state, at);
    return { state: closed.state, effects: [...scored.effects, ...closed.effects] };
  }
  return { state: resumed.state, effects: scored.effects };
}

export function answerOnFloor(state: RoomState, playerId: string, questionId: string, choices: number[], now: number): Step {
  const player = playerInRoom(state, playerId);
  if (isRefusal(player)) return player;
  const open = openQuestionFor(state, questionId);
  if (isRefusal(open)) return open;
  const b = open.round.buzz!;
  if (b.lockedOut.includes(playerId)) return refuse('LOCKED_OUT', 'You are locked out of this question');
  if (b.floor?.playerId !== playerId) return refuse('NOT_YOUR_TURN', 'Buzz first: only the player who won the buzz may answer');
  if (now >= b.floor.deadline) return refuse('LATE', 'Too late: your time to answer ran out');
  const bad = validChoices(open.gq, choices);
  if (bad) return bad;
  const sorted = [...choices].sort((x, y) => x - y);
  return resolveFloor(state, sorted, isCorrectSelection(sorted, open.gq.solution.answer), now);
}

/** The next word of the prompt; the last one shows the choices and starts the answer clock. */
export function revealWord(state: RoomState, at: number): Change {
  const round = state.round!;
  const b = round.buzz!;
  const revealedWords = b.revealedWords + 1;
  if (revealedWords < b.words) return { state: withBuzz(state, round, { revealedWords, nextWordAt: at + b.msPerWord }), effects: [] };
  const limit = timeLimitMs(state);
  return {
    state: withBuzz(state, round, { revealedWords: b.words, nextWordAt: null, choicesAt: at }, { openedAt: at, deadline: limit === null ? null : at + limit }),
    effects: [],
  };
}

/** A player leaves mid-buzz (kicked): their pending buzz or floor goes away without a penalty. */
export function dropFromBuzz(state: RoomState, playerId: string, at: number): Change {
  const round = state.round;
  const b = round?.buzz;
  if (!round || !b || state.phase !== 'question') return { state, effects: [] };
  if (b.floor?.playerId === playerId) return unfreeze(withBuzz(state, round, { floor: null }), at);
  if (!b.pending.some((p) => p.playerId === playerId)) return { state, effects: [] };
  const pending = b.pending.filter((p) => p.playerId !== playerId);
  if (pending.length > 0) return { state: withBuzz(state, round, { pending }), effects: [] };
  return unfreeze(withBuzz(state, round, { pending, adjudicateAt: null }), at);
}
