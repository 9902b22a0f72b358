import { nextPresenceExpiry, type BuzzRound, type Round, type RoomState } from './state.js';

const plus = (t: number | null, delta: number): number | null => (t === null ? null : t + delta);

/**
 * Moves a round's clock forward by `delta` ms (after a pause or a buzz freeze).
 * `choicesAt` stays: it records when players really saw the choices, for power/neg decisions.
 */
export function shiftRound(round: Round, delta: number, { includeBuzzWindow }: { includeBuzzWindow: boolean }): Round {
  const buzz: BuzzRound | null = round.buzz && {
    ...round.buzz,
    nextWordAt: plus(round.buzz.nextWordAt, delta),
    adjudicateAt: includeBuzzWindow ? plus(round.buzz.adjudicateAt, delta) : round.buzz.adjudicateAt,
    floor: round.buzz.floor && includeBuzzWindow ? { ...round.buzz.floor, deadline: round.buzz.floor.deadline + delta } : round.buzz.floor,
  };
  return {
    ...round,
    opensAt: plus(round.opensAt ?? null, delta),
    openedAt: plus(round.openedAt, delta),
    deadline: plus(round.deadline, delta),
    frozenAt: includeBuzzWindow ? plus(round.frozenAt, delta) : round.frozenAt,
    buzz,
  };
}

export type DeadlineKind = 'presence' | 'open' | 'adjudicate' | 'floor' | 'word' | 'question' | 'exam';

type Timer = { at: number; kind: DeadlineKind };

/**
 * The earliest pending deadline and what it is; null when nothing is timed. Presence graces run
 * on wall time in every phase until the end (a player away 15 s is away, paused or not).
 */
export function nextTimer(state: RoomState): Timer | null {
  if (state.phase === 'finished') return null;
  const presence = nextPresenceExpiry(state);
  const game = gameTimer(state);
  if (presence === null) return game;
  return game === null || presence < game.at ? { at: presence, kind: 'presence' } : game;
}

function gameTimer(state: RoomState): Timer | null {
  if (state.phase === 'exam') return state.pausedAt === null && state.exam ? { at: state.exam.deadline, kind: 'exam' } : null;
  const round = state.round;
  if (state.phase !== 'question' || state.pausedAt !== null || !round) return null;
  // Get ready: nothing else runs until the question opens.
  if ((round.opensAt ?? null) !== null) return { at: round.opensAt!, kind: 'open' };
  const candidates: { at: number | null; kind: DeadlineKind }[] = [];
  if (round.buzz) {
    candidates.push({ at: round.buzz.adjudicateAt, kind: 'adjudicate' }, { at: round.buzz.floor?.deadline ?? null, kind: 'floor' });
  }
  if (round.frozenAt === null) {
    candidates.push({ at: round.buzz?.nextWordAt ?? null, kind: 'word' }, { at: round.deadline, kind: 'question' });
  }
  let best: Timer | null = null;
  for (const c of candidates) if (c.at !== null && (best === null || c.at < best.at)) best = { at: c.at, kind: c.kind };
  return best;
}

/** When the room's scheduler should fire a `timeout` action next. */
export function nextDeadline(state: RoomState): number | null {
  return nextTimer(state)?.at ?? null;
}
