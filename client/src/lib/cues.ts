import type { RoomView } from '../../../shared/protocol/views.js';
import type { Cue } from './sound.js';

export type Haptic = 'buzz-won' | 'right' | 'wrong';

/**
 * The sounds (and, on phones, vibrations) a change of view calls for. Pure, so each game moment's
 * cue is unit-tested. The last-seconds ticks come from the countdown and the fanfare from the podium
 * (it plays as first place appears), not from view changes.
 */
export function cuesFor(prev: RoomView | null, next: RoomView, who: 'host' | 'phone'): { cues: Cue[]; haptics: Haptic[] } {
  const cues: Cue[] = [];
  const haptics: Haptic[] = [];
  const q = next.question;
  const pq = prev?.question ?? null;
  const newQuestion = !!q && q.id !== pq?.id;

  if (who === 'host' && next.phase === 'lobby' && prev?.phase === 'lobby' && next.playerCount > prev.playerCount) cues.push('join');
  if (next.phase === 'question' && q) {
    const wasReady = !!pq && pq.id === q.id && isGettingReady(prev!);
    if (newQuestion && isGettingReady(next)) cues.push('ready');
    else if ((newQuestion || wasReady) && !isGettingReady(next)) cues.push('question');
    const buzzed = (q.buzz?.holder || q.buzz?.adjudicating) && !(pq?.id === q.id && (pq.buzz?.holder || pq.buzz?.adjudicating));
    if (buzzed) cues.push('buzz');
    const lockedMore = pq?.id === q.id && (q.buzz?.lockedOut.length ?? 0) > (pq.buzz?.lockedOut.length ?? 0);
    if (lockedMore && who === 'host') cues.push('wrong');
    if (who === 'phone' && next.me?.holdsFloor && !prev?.me?.holdsFloor) haptics.push('buzz-won');
  }
  if (next.phase === 'reveal' && prev?.phase !== 'reveal') {
    if (who === 'host') cues.push(next.mode === 'buzz' && (next.reveal?.correctCount ?? 0) > 0 ? 'right' : 'reveal');
    const mine = next.me?.lastResult;
    if (who === 'phone' && mine && mine.choices) {
      cues.push(mine.correct ? 'right' : 'wrong');
      haptics.push(mine.correct ? 'right' : 'wrong');
    }
  }
  return { cues, haptics };
}

/** The question is announced but not open yet (the host's "get ready" count). */
export function isGettingReady(view: RoomView): boolean {
  return view.phase === 'question' && view.question !== null && view.question.opensAt !== null;
}

export const HAPTIC_PATTERNS: Record<Haptic, number | number[]> = {
  'buzz-won': [80, 40, 80],
  right: 120,
  wrong: [40, 60, 40, 60, 40],
};
