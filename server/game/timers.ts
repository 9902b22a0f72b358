import type { BuzzRound, Round, RoomState } from './state.js';

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
    openedAt: plus(round.openedAt, delta),
    deadline: plus(round.deadline, delta),
    frozenAt: includeBuzzWindow ? plus(round.frozenAt, delta) : round.frozenAt,
    buzz,
  };
}

export type DeadlineKind = 'adjudicate' | 'floor' | 'word' | 'question' | 'exam';

/** The earliest pending deadline and what it is; null when nothing is timed (lobby, paused, reveal...). */
export function nextTimer(state: RoomState): { at: number; kind: DeadlineKind } | null {
  if (state.phase === 'exam') return state.pausedAt === null && state.exam ? { at: state.exam.deadline, kind: 'exam' } : null;
  const round = state.round;
  if (state.phase !== 'question' || state.pausedAt !== null || !round) return null;
  const candidates: { at: number | null; kind: DeadlineKind }[] = [];
  if (round.buzz) {
    candidates.push({ at: round.buzz.adjudicateAt, kind: 'adjudicate' }, { at: round.buzz.floor?.deadline ?? null, kind: 'floor' });
  }
  if (round.frozenAt === null) {
    candidates.push({ at: round.buzz?.nextWordAt ?? null, kind: 'word' }, { at: round.deadline, kind: 'question' });
  }
  let best: { at: number; kind: DeadlineKind } | null = null;
  for (const c of candidates) if (c.at !== null && (best === null || c.at < best.at)) best = { at: c.at, kind: c.kind };
  return best;
}

/** When the room's scheduler should fire a `timeout` action next. */
export function nextDeadline(state: RoomState): number | null {
  return nextTimer(state)?.at ?? null;
}
