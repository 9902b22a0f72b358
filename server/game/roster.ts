import { nicknameKey, normalizeNickname } from '../../shared/nickname.js';
import { mergeSettings, type RoomSettingsPatch } from '../../shared/settings.js';
import { refuse, type Step } from './actions.js';
import { dropFromBuzz, everyoneLockedOut } from './buzz.js';
import { everyoneAnswered } from './classic.js';
import { endExam, everyoneSubmitted } from './exam.js';
import { closeQuestion, type Change } from './rounds.js';
import { playerChangedInPlace, type Player, type RoomState } from './state.js';
import { own } from './own.js';
import { banFor, banOf, bansOf } from './bans.js';
import { withEntry, withItem, type Transient } from './transient.js';

/** Matches a requested team to a configured one (case-insensitive); undefined when unknown. */
function findTeam(state: RoomState, team: string): string | undefined {
  return state.settings.teams.find((t) => t.toLowerCase() === team.trim().toLowerCase());
}

/** After someone leaves or drops, a question may have nobody left to wait for (not while paused). */
export function settle(state: RoomState, now: number): Change {
  if (state.pausedAt !== null) return { state, effects: [] };
  if (everyoneAnswered(state) || everyoneLockedOut(state)) return closeQuestion(state, now);
  if (everyoneSubmitted(state)) return endExam(state, now);
  return { state, effects: [] };
}

export interface JoinRequest {
  playerId: string;
  name: string;
  team?: string | null | undefined;
  profileId?: string | null | undefined;
  formerPlayerId?: string | null | undefined;
}

export function join(state: RoomState, req: JoinRequest, now: number, transient?: Transient): Step {
  const { playerId, team } = req;
  if (state.phase === 'finished') return refuse('WRONG_PHASE', 'This game has ended');
  if (own(state.players, playerId)) return refuse('BAD_REQUEST', 'You have already joined this room');
  const checked = normalizeNickname(req.name);
  if (!checked.ok) return refuse('NICKNAME_INVALID', checked.reason);
  const key = nicknameKey(checked.nickname);
  const profileId = req.profileId ?? null;
  const banned = banFor(state, { playerId, formerPlayerId: req.formerPlayerId ?? null, profileId, nameKey: key });
  if (banned) return banned;
  if (state.locked) return refuse('ROOM_LOCKED', 'The host has locked this room: ask them to unlock it');
  if (state.playerOrder.length >= state.maxPlayers) return refuse('ROOM_FULL', `This room is full (${state.maxPlayers} players)`);
  if (nameTaken(state.players, key)) return refuse('NICKNAME_TAKEN', `Someone here is already called "${checked.nickname}": pick another nickname`);
  let teamName: string | null = null;
  if (team) {
    const found = findTeam(state, team);
    if (!found) return refuse('UNKNOWN_TEAM', `There is no team "${team}" in this room: pick one from the list`);
    teamName = found;
  }
  const player: Player = { id: playerId, name: checked.nickname, nameKey: key, team: teamName, score: 0, streak: 0, connected: true, droppedAt: null, joinedAt: now, profileId };
  const players = withEntry(state.players, playerId, player, transient);
  // A new player is never dropping: the earliest-drop cache of the players object stays true when a window adds to it.
  if (players === state.players) nameKeys.get(players)?.add(key);
  return { state: { ...state, players, playerOrder: withItem(state.playerOrder, playerId, transient) }, effects: [] };
}

/**
 * Folded nicknames per `players` object: a join checks one set, not every player (10,000 joins
 * would be 50 million comparisons). A window's joins add to the set of the object they add to.
 */
const nameKeys = new WeakMap<RoomState['players'], Set<string>>();

function nameTaken(players: RoomState['players'], key: string): boolean {
  let keys = nameKeys.get(players);
  if (!keys) {
    keys = new Set(Object.values(players).map((p) => p.nameKey));
    nameKeys.set(players, keys);
  }
  return keys.has(key);
}

/**
 * A player's last socket came or went. A drop starts the presence grace (a deadline in the state):
 * until it runs out the player still counts as present, so a phone on bad Wi-Fi is waited for.
 */
export function setConnection(state: RoomState, playerId: string, connected: boolean, now: number, transient?: Transient): Step {
  const p = own(state.players, playerId);
  if (!p) return refuse(state.banned.includes(playerId) ? 'KICKED' : 'UNKNOWN_PLAYER', 'That player is not in this room');
  if (p.connected === connected) return { state, effects: [] };
  const droppedAt = !connected && state.presenceGraceMs > 0 ? now : null;
  const changed: Player = { ...p, connected, droppedAt };
  const players = withEntry(state.players, playerId, changed, transient);
  if (players === state.players) playerChangedInPlace(players, p, changed);
  return settle({ ...state, players }, now);
}

/** Players whose grace has run out count as away from now on; the question may close without them. */
export function expirePresence(state: RoomState, at: number): Change {
  const players = { ...state.players };
  for (const id of state.playerOrder) {
    const p = players[id];
    if (p && p.droppedAt !== null && p.droppedAt !== undefined && p.droppedAt + state.presenceGraceMs <= at) players[id] = { ...p, droppedAt: null };
  }
  return settle({ ...state, players }, at);
}

export function setTeam(state: RoomState, playerId: string, team: string | null): Step {
  const p = own(state.players, playerId);
  if (!p) return refuse(state.banned.includes(playerId) ? 'KICKED' : 'UNKNOWN_PLAYER', 'You are not in this room: join it with the code');
  if (state.phase === 'finished') return refuse('WRONG_PHASE', 'This game has ended');
  let teamName: string | null = null;
  if (team !== null) {
    const found = findTeam(state, team);
    if (!found) return refuse('UNKNOWN_TEAM', `There is no team "${team}" in this room: pick one from the list`);
    teamName = found;
  }
  return { state: { ...state, players: { ...state.players, [playerId]: { ...p, team: teamName } } }, effects: [] };
}

export function configure(state: RoomState, patch: RoomSettingsPatch): Step {
  if (state.phase !== 'lobby') return refuse('WRONG_PHASE', 'Settings can only change before the game starts');
  const merged = mergeSettings(state.settings, patch);
  if (!merged.ok) return refuse('INVALID_SETTINGS', merged.message);
  const teams = new Set(merged.settings.teams);
  const players = Object.fromEntries(
    Object.entries(state.players).map(([id, p]) => [id, p.team !== null && !teams.has(p.team) ? { ...p, team: null } : p]),
  );
  return { state: { ...state, settings: merged.settings, players }, effects: [] };
}

/**
 * Removes a player and bans their seat, their practice profile and their nickname from rejoining
 * (until the host lifts the ban); their open buzz or floor is released.
 */
export function kick(state: RoomState, playerId: string, now: number): Step {
  const player = own(state.players, playerId);
  if (!player) return refuse('UNKNOWN_PLAYER', 'That player is not in this room');
  const { [playerId]: _removed, ...players } = state.players;
  const removed: RoomState = {
    ...state,
    players,
    playerOrder: state.playerOrder.filter((id) => id !== playerId),
    banned: [...state.banned, playerId],
    bans: [...bansOf(state), banOf(player, now)],
  };
  const released = dropFromBuzz(removed, playerId, now);
  const settled = settle(released.state, now);
  return { state: settled.state, effects: [{ type: 'kicked', playerId }, ...released.effects, ...settled.effects] };
}

export function lock(state: RoomState, locked: boolean): Step {
  if (state.phase === 'finished') return refuse('WRONG_PHASE', 'This game has ended');
  return { state: { ...state, locked }, effects: [] };
}
