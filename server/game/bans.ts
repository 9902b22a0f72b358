import { refuse, type ReducerError, type Step } from './actions.js';
import type { Ban, Player, RoomState } from './state.js';

export const bansOf = (state: RoomState): Ban[] => state.bans ?? [];

const KICKED = 'The host removed you from this room';

/** Why someone may not join: their seat, their practice profile or their nickname was kicked here. */
export function banFor(state: RoomState, who: { playerId: string; formerPlayerId: string | null; profileId: string | null; nameKey: string }): ReducerError | null {
  const seats = [who.playerId, who.formerPlayerId].filter((id): id is string => id !== null);
  if (seats.some((id) => state.banned.includes(id))) return refuse('KICKED', KICKED);
  for (const b of bansOf(state)) {
    if (seats.includes(b.playerId) || (who.profileId !== null && b.profileId === who.profileId)) return refuse('KICKED', KICKED);
    if (b.nameKey === who.nameKey) return refuse('KICKED', `The host removed "${b.name}" from this room: that nickname cannot join again`);
  }
  return null;
}

/** The ban a kick of this player records. */
export function banOf(player: Player, at: number): Ban {
  return { playerId: player.id, name: player.name, nameKey: player.nameKey, profileId: player.profileId ?? null, at };
}

/** The host lifts a ban: seat, profile and nickname may join again. */
export function unban(state: RoomState, playerId: string): Step {
  const bans = bansOf(state);
  if (!state.banned.includes(playerId) && !bans.some((b) => b.playerId === playerId)) return refuse('UNKNOWN_PLAYER', 'Nobody with that id is banned from this room');
  return {
    state: { ...state, banned: state.banned.filter((id) => id !== playerId), bans: bans.filter((b) => b.playerId !== playerId) },
    effects: [],
  };
}
