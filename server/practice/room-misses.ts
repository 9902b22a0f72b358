import { isPresent, type Player, type QuestionResult, type RoomState } from '../game/state.js';
import { missed, reviewed } from './reviews.js';
import type { PlayerPractice } from './engine.js';

/** Room questions already fed are remembered this far back per profile (replays come within minutes). */
export const FED_KEPT = 2_000;

/** A room question a profiled player got wrong or left unanswered. */
export interface RoomMiss {
  profileId: string;
  questionId: string;
  /** Room instance and question: feeding the same key again is a no-op. */
  key: string;
  /** The texts of the choices picked (room order is shuffled; the bank order is found from them); null = no answer. */
  picked?: string[] | null;
}

/**
 * The misses of a closed room question, per profiled player still in the room:
 * - Classic and Study: a wrong answer, or no answer from a player who had joined by the time the
 *   question opened and still counted as present when it closed (someone who had left did not miss it).
 * - Buzz-in: only a wrong buzz answer, or silence while holding the floor (both are attempts in the
 *   result). Never buzzing is not a miss: the first buzz locks everyone else out.
 * - Room mock exam: every wrong or blank question of a sheet, whether submitted or collected at the
 *   end; a player with no sheet counts if they joined before the start and were present at the end.
 */
export function roomMisses(state: RoomState, result: QuestionResult, profiles: readonly (readonly [playerId: string, profileId: string])[]): RoomMiss[] {
  // The code alone could come back for a later room; its creation time makes the key one room's.
  const key = `${state.code}:${state.createdAt}:${result.questionId}`;
  const out: RoomMiss[] = [];
  for (const [playerId, profileId] of profiles) {
    const player = state.players[playerId];
    if (!player) continue; // kicked
    const answer = result.perPlayer[playerId];
    if (answer ? answer.correct : !silenceIsMiss(state, player)) continue;
    const shown = state.questions[result.index]?.question;
    const picked = answer?.choices && shown?.id === result.questionId ? answer.choices.map((c) => shown.choices[c] ?? '') : null;
    out.push({ profileId, questionId: result.questionId, key, picked });
  }
  return out;
}

function silenceIsMiss(state: RoomState, player: Player): boolean {
  if (state.settings.mode === 'buzz') return false;
  if (state.settings.mode === 'exam') {
    const exam = state.exam;
    if (!exam) return false;
    return exam.sheets[player.id] !== undefined || (player.joinedAt <= exam.startedAt && isPresent(player));
  }
  const openedAt = state.round?.openedAt ?? null;
  return openedAt !== null && player.joinedAt <= openedAt && isPresent(player);
}

/**
 * Adds one profile's room misses to its review queue, pure. A key already fed changes nothing (a
 * replayed result or a retried write leaves the card and its schedule as they are). A question not
 * queued yet gets a fresh card; one already queued (from practice or another room) lapses: due soon.
 * Null when nothing is new, so the caller writes nothing.
 */
export function addRoomMisses(
  p: PlayerPractice,
  misses: readonly RoomMiss[],
  now: number,
  bankChoices: (questionId: string) => readonly string[] | undefined = () => undefined,
): { player: PlayerPractice; added: number } | null {
  const fed = new Set(p.fedMisses ?? []);
  const at = new Date(now);
  const reviews = { ...p.reviews };
  const keys: string[] = [];
  for (const m of misses) {
    if (fed.has(m.key)) continue;
    fed.add(m.key);
    keys.push(m.key);
    const card = reviews[m.questionId];
    const answer = bankAnswer(m.picked, bankChoices(m.questionId));
    reviews[m.questionId] = card ? reviewed(card, false, at, answer) : missed(m.questionId, at, answer);
  }
  if (keys.length === 0) return null;
  return { player: { ...p, reviews, fedMisses: [...(p.fedMisses ?? []), ...keys].slice(-FED_KEPT) }, added: keys.length };
}

/** Picked texts back to bank indices; undefined (not recorded) when a text is not in the bank's question. */
function bankAnswer(picked: string[] | null | undefined, choices: readonly string[] | undefined): number[] | null | undefined {
  if (picked === null) return null;
  if (!picked || !choices) return undefined;
  const idx = picked.map((t) => choices.indexOf(t));
  return idx.some((i) => i < 0) ? undefined : idx.sort((a, b) => a - b);
}
