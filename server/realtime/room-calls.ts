import { fail, type Ack } from '../../shared/protocol/errors.js';
import type { GameExport } from '../../shared/protocol/export.js';
import type { JoinLinks, RoomView } from '../../shared/protocol/views.js';
import type { DeckSummary } from '../../shared/protocol/decks.js';
import type { Action } from '../game/actions.js';
import { deckSummary, type RoomDeck } from '../game/decks.js';
import { gameExport } from '../game/export.js';
import { own } from '../game/own.js';
import type { Member, Room } from './room.js';
import { newPlayerId, newSecret } from './tokens.js';

/**
 * Everything a node may ask of a room. Calls are plain data so that the node a socket is connected
 * to can run them on the node that owns the room; `member` is what the asking node has verified
 * about its socket (host token or session checked there, or by an earlier call).
 */
export type RoomCall =
  /** `formerPlayerId`: the seat this socket held here before a kick (it stays banned under any name). */
  | { op: 'join'; member: Omit<Member, 'role' | 'playerId'>; nickname: string; team: string | null; profileId: string | null; formerPlayerId?: string | null }
  | { op: 'resume'; member: Omit<Member, 'role' | 'playerId'>; sessionToken: string }
  /** `join`: the join links as the host's browser reached its node (PUBLIC_URL or its address). */
  | { op: 'host-attach'; member: Omit<Member, 'role' | 'playerId'>; hostToken: string; join?: JoinLinks }
  | { op: 'attach'; member: Member }
  | { op: 'detach'; socketId: string }
  | { op: 'act'; member: Member; action: Action; reply: 'view' | 'receipt' }
  | { op: 'export'; member: Member }
  | { op: 'question'; member: Member; questionId: string }
  /** The host's deck (POST /api/rooms/:code/deck), resolved by the asking node; null = random draw. */
  | { op: 'deck'; hostToken: string; deck: RoomDeck | null }
  /** Practice profiles of the players in the room (for a "weakest domains" deck). */
  | { op: 'profiles'; hostToken: string }
  | { op: 'info' };

/** What anyone may know about a room before joining it (GET /api/rooms/:code). */
export interface RoomInfo {
  code: string;
  mode: string;
  phase: string;
  playerCount: number;
  teams: string[];
  joinable: boolean;
}

export type CallResult =
  | Ack<{ playerId: string; sessionToken: string; view: RoomView }>
  | Ack<{ playerId: string; view: RoomView }>
  | Ack<{ view: RoomView }>
  | Ack<{ accepted: true; receivedAt: number; alreadyRecorded?: boolean }>
  | Ack<{ export: GameExport }>
  | Ack<{ inGame: boolean; at: number }>
  | Ack<{ info: RoomInfo }>
  | Ack<{ deck: DeckSummary }>
  | Ack<{ profileIds: string[] }>
  | Ack;

/** A socket bound by its node: attach it if the owner lost track of it (after a takeover), unless it was removed. */
function ensureMember(room: Room, member: Member): Ack {
  if (room.hasMember(member.socketId)) return { ok: true };
  if (member.role === 'player') {
    if (!member.playerId || !room.state.players[member.playerId]) {
      return fail(member.playerId && room.state.banned.includes(member.playerId) ? 'KICKED' : 'NOT_IN_ROOM', 'You are no longer in this room: join again with the code');
    }
  }
  room.attach(member);
  return { ok: true };
}

/**
 * Runs one call on the room's owner. The room applies it synchronously (it is the only writer of
 * its state); the answer waits, with a room log, until the change is durable.
 */
export function executeCall(room: Room, call: RoomCall): CallResult | Promise<CallResult> {
  return room.settle(applyCall(room, call));
}

function applyCall(room: Room, call: RoomCall): CallResult {
  switch (call.op) {
    case 'join': {
      const playerId = newPlayerId();
      const sessionToken = newSecret();
      const result = room.dispatch(
        { type: 'join', playerId, name: call.nickname, team: call.team, profileId: call.profileId, formerPlayerId: call.formerPlayerId ?? null },
        { token: sessionToken, playerId, profileId: call.profileId },
      );
      if (result.error) return fail(result.error.code, result.error.message);
      room.attach({ ...call.member, role: 'player', playerId });
      return { ok: true, playerId, sessionToken, view: room.view(call.member.socketId)! };
    }
    case 'resume': {
      const playerId = room.playerForSession(call.sessionToken);
      if (!playerId) return fail('SESSION_INVALID', 'Your seat in this room has expired: join again with the code');
      if (room.state.banned.includes(playerId)) return fail('KICKED', 'The host removed you from this room');
      if (!own(room.state.players, playerId)) return fail('SESSION_INVALID', 'Your seat in this room has expired: join again with the code');
      room.replaceSeat({ ...call.member, role: 'player', playerId });
      room.attach({ ...call.member, role: 'player', playerId });
      return { ok: true, playerId, view: room.view(call.member.socketId)! };
    }
    case 'host-attach': {
      if (!room.isHostToken(call.hostToken)) return fail('NOT_HOST', 'That host link does not control this room');
      if (call.join) room.setJoinLinks(call.join);
      room.replaceSeat({ ...call.member, role: 'host', playerId: null });
      room.attach({ ...call.member, role: 'host', playerId: null });
      return { ok: true, view: room.view(call.member.socketId)! };
    }
    case 'attach':
      return ensureMember(room, call.member);
    case 'detach':
      room.detach(call.socketId);
      return { ok: true };
    case 'act': {
      const bound = ensureMember(room, call.member);
      if (!bound.ok) return bound;
      const receivedAt = room.now();
      const result = room.dispatch(call.action);
      if (result.error) return fail(result.error.code, result.error.message);
      if (call.reply === 'view') return { ok: true, view: room.view(call.member.socketId)! };
      // No extra view to a player: the ack says it all, and the client records its own answer.
      if (call.action.type !== 'answer') return { ok: true, accepted: true, receivedAt };
      const repeat = result.effects.find((e) => e.type === 'answer-repeated');
      return { ok: true, accepted: true, receivedAt: repeat?.receivedAt ?? receivedAt, alreadyRecorded: repeat !== undefined };
    }
    case 'export':
      if (room.state.phase !== 'finished') return fail('WRONG_PHASE', 'Results can be downloaded once the game has finished');
      return { ok: true, export: gameExport(room.state, room.now()) };
    case 'info': {
      const s = room.state;
      const joinable = !s.locked && s.phase !== 'finished' && s.playerOrder.length < s.maxPlayers;
      return { ok: true, info: { code: s.code, mode: s.settings.mode, phase: s.phase, playerCount: s.playerOrder.length, teams: s.settings.teams, joinable } };
    }
    case 'deck': {
      if (!room.isHostToken(call.hostToken)) return fail('NOT_HOST', 'That host link does not control this room');
      const result = room.dispatch({ type: 'set-deck', by: { role: 'host' }, deck: call.deck });
      if (result.error) return fail(result.error.code, result.error.message);
      return { ok: true, deck: deckSummary(room.state.deck) };
    }
    case 'profiles':
      if (!room.isHostToken(call.hostToken)) return fail('NOT_HOST', 'That host link does not control this room');
      return { ok: true, profileIds: room.profileIds() };
    case 'question': {
      const bound = ensureMember(room, call.member);
      if (!bound.ok) return bound;
      return { ok: true, inGame: room.state.questions.some((q) => q.question.id === call.questionId), at: room.now() };
    }
  }
}
