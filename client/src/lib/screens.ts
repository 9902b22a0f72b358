import type { RoomView } from '../../../shared/protocol/views.js';

export type PlayerScreen = 'lobby' | 'exam' | 'read' | 'buzz' | 'floor' | 'locked-out' | 'choose' | 'answered' | 'waiting' | 'reveal' | 'leaderboard' | 'finished';

/** What a player's phone shows for a view: derived, never stored. */
export function playerScreen(view: RoomView): PlayerScreen {
  const q = view.question;
  const me = view.me;
  switch (view.phase) {
    case 'lobby':
      return 'lobby';
    case 'exam':
      return 'exam';
    case 'reveal':
      return 'reveal';
    case 'leaderboard':
      return 'leaderboard';
    case 'finished':
      return 'finished';
    case 'question':
      if (!q || !me) return 'waiting';
      if (view.mode === 'buzz') {
        if (me.lockedOut) return 'locked-out';
        if (me.holdsFloor) return 'floor';
        if (q.buzz?.holder || q.buzz?.adjudicating) return 'waiting';
        return 'buzz';
      }
      if (me.myChoices) return 'answered';
      return q.choices ? 'choose' : 'read';
  }
}

/** Seconds to show on a countdown: frozen while paused or while a buzzer holds the floor. */
export function secondsLeft(view: RoomView, serverNow: number): number | null {
  const q = view.question;
  if (!q || view.phase !== 'question' || q.deadline === null) return null;
  const frozen = view.paused || !!q.buzz?.holder || !!q.buzz?.adjudicating;
  const ms = frozen ? (q.remainingMs ?? 0) : Math.max(0, q.deadline - serverNow);
  return Math.ceil(ms / 1000);
}

export function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] ?? s[v] ?? s[0]!);
}
