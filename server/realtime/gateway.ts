import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.js';
import { fail, type Ack } from '../../shared/protocol/errors.js';
import type { RoomView } from '../../shared/protocol/views.js';
import type { Action, ReduceResult } from '../game/actions.js';
import { gameExport } from '../game/export.js';
import type { Logger } from '../log.js';
import type { Profiles } from '../practice/profiles.js';
import type { FlagStore } from '../storage/types.js';
import { LatencyTracker } from './latency.js';
import type { RoomRegistry } from './registry.js';
import type { Outbox, Room } from './room.js';
import { newPlayerId, newSecret } from './tokens.js';
import { refuseUnknownEvents, register, type GameSocket, type SocketData, type WrapperDeps } from './wrapper.js';

export type GameServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayOptions {
  /** Resolves practice profile tokens sent with room:join. */
  profiles?: Profiles;
  log: Logger;
  flags: FlagStore;
  allowedOrigins: string[];
  publicUrl?: string | undefined;
  /** Events per socket per second, and the burst on top. */
  eventsPerSecond?: number;
  pingIntervalMs?: number;
}

/** Payloads are small JSON; anything bigger than this closes the connection (Socket.IO refuses it). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** Same-origin requests and listed origins may connect; non-browser clients send no Origin. */
function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  try {
    if (new URL(origin).host === host) return true;
  } catch {
    return false;
  }
  return allowed.includes(origin);
}

export function createGameServer(http: HttpServer, opts: GatewayOptions): GameServer {
  return new Server(http, {
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    // The heartbeat doubles as the latency probe for buzz compensation: a sample every 10 s per
    // socket (the median of the last five is used) without extra messages on a busy server.
    pingInterval: opts.pingIntervalMs ?? 10_000,
    pingTimeout: 8_000,
    connectionStateRecovery: undefined,
    allowRequest: (req, done) => done(null, originAllowed(req, opts.allowedOrigins)),
  });
}

export function socketOutbox(io: GameServer): Outbox {
  return {
    // Room events carry no acks, so the broadcast operator's typing is safe to widen here.
    emit: (socketId, event, ...args) => (io.to(socketId).emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
    unbound: (socketId) => {
      const socket = io.sockets.sockets.get(socketId);
      if (socket) Object.assign(socket.data, { roomCode: null, role: null, playerId: null });
    },
  };
}

const refusal = (r: ReduceResult) => fail(r.error!.code, r.error!.message);

/** Wires every client event to the rooms. Handlers stay thin: the reducer holds the rules. */
export function attachGateway(io: GameServer, registry: RoomRegistry, opts: GatewayOptions): void {
  const deps: WrapperDeps = {
    limiter: new RateLimiterMemory({ points: (opts.eventsPerSecond ?? 20) * 2, duration: 2 }),
    log: opts.log,
    maxStrikes: 200,
  };

  const roomOf = (socket: GameSocket): Room | undefined => (socket.data.roomCode ? registry.get(socket.data.roomCode) : undefined);

  function leaveCurrentRoom(socket: GameSocket): void {
    roomOf(socket)?.detach(socket.id);
    Object.assign(socket.data, { roomCode: null, role: null, playerId: null });
  }

  function bind(socket: GameSocket, room: Room, role: 'host' | 'player', playerId: string | null): RoomView {
    if (socket.data.roomCode) leaveCurrentRoom(socket);
    Object.assign(socket.data, { roomCode: room.code, role, playerId });
    room.attach({ socketId: socket.id, role, playerId });
    return room.view(socket.id)!;
  }

  function joinUrl(socket: GameSocket, code: string): string {
    const base =
      opts.publicUrl ?? `${socket.handshake.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${socket.handshake.headers.host ?? 'localhost'}`;
    return `${base.replace(/\/$/, '')}/join/${code}`;
  }

  /** Runs a host or player action in the caller's room and answers with the fresh view. */
  function act(socket: GameSocket, build: (room: Room) => Action): Ack<{ view: RoomView }> {
    const room = roomOf(socket);
    if (!room) return fail('ROOM_NOT_FOUND', 'this room no longer exists');
    const result = room.dispatch(build(room));
    if (result.error) return refusal(result);
    return { ok: true, view: room.view(socket.id)! };
  }

  function playerAct(socket: GameSocket, action: Action): Ack<{ accepted: true; receivedAt: number }> {
    const room = roomOf(socket);
    if (!room) return fail('ROOM_NOT_FOUND', 'this room no longer exists');
    const receivedAt = room.now();
    const result = room.dispatch(action);
    if (result.error) return refusal(result);
    // No extra view to the actor: the ack says it all, and the client records its own answer.
    return { ok: true, accepted: true, receivedAt };
  }

  const noRoom = (code: string) => fail('ROOM_NOT_FOUND', `no room ${code}`);

  io.on('connection', (raw) => {
    const socket = raw as GameSocket;
    Object.assign(socket.data, { roomCode: null, role: null, playerId: null, latency: new LatencyTracker(), strikes: 0 });
    refuseUnknownEvents(socket, deps);

    register(socket, deps, 'time:sync', 'none', (_s, p) => ({ ok: true, clientTime: p.clientTime, serverTime: Date.now() }));

    register(socket, deps, 'room:create', 'none', (s, p) => {
      const created = registry.create(p.settings ?? {});
      if (!created.ok) return fail('INVALID_SETTINGS', created.message);
      const view = bind(s, created.room, 'host', null);
      return { ok: true, code: created.room.code, hostToken: created.hostToken, joinUrl: joinUrl(s, created.room.code), view };
    });

    register(socket, deps, 'host:attach', 'none', (s, p) => {
      const room = registry.get(p.code);
      if (!room) return noRoom(p.code);
      if (!room.isHostToken(p.hostToken)) return fail('NOT_HOST', 'that host token does not control this room');
      return { ok: true, view: bind(s, room, 'host', null) };
    });

    register(socket, deps, 'room:join', 'none', async (s, p) => {
      const room = registry.get(p.code);
      if (!room) return noRoom(p.code);
      const profile = p.profileToken && opts.profiles ? await opts.profiles.authenticate(p.profileToken) : null;
      if (p.profileToken && !profile) return fail('SESSION_INVALID', 'that practice profile token is not valid: join without it or recover your profile');
      const playerId = newPlayerId();
      const result = room.dispatch({ type: 'join', playerId, name: p.nickname, team: p.team ?? null });
      if (result.error) return refusal(result);
      const sessionToken = newSecret();
      room.addSession(sessionToken, playerId);
      if (profile) room.linkProfile(playerId, profile.id);
      return { ok: true, playerId, sessionToken, view: bind(s, room, 'player', playerId) };
    });

    register(socket, deps, 'room:resume', 'none', (s, p) => {
      const room = registry.get(p.code);
      if (!room) return noRoom(p.code);
      const playerId = room.playerForSession(p.sessionToken);
      if (!playerId) return fail('SESSION_INVALID', 'this session is not part of the room');
      if (room.state.banned.includes(playerId)) return fail('KICKED', 'you were removed from this room');
      return { ok: true, playerId, view: bind(s, room, 'player', playerId) };
    });

    const host = { role: 'host' } as const;
    register(socket, deps, 'host:configure', 'host', (s, p) => act(s, () => ({ type: 'configure', by: host, settings: p.settings })));
    register(socket, deps, 'host:command', 'host', (s, p) => act(s, () => ({ type: p.command, by: host })));
    register(socket, deps, 'host:kick', 'host', (s, p) => act(s, () => ({ type: 'kick', by: host, playerId: p.playerId })));
    register(socket, deps, 'host:lock', 'host', (s, p) => act(s, () => ({ type: 'lock', by: host, locked: p.locked })));

    register(socket, deps, 'player:team', 'player', (s, p) => act(s, () => ({ type: 'set-team', playerId: s.data.playerId!, team: p.team })));
    register(socket, deps, 'player:answer', 'player', (s, p) =>
      playerAct(s, { type: 'answer', playerId: s.data.playerId!, questionId: p.questionId, choices: p.choices }),
    );
    register(socket, deps, 'player:buzz', 'player', (s, p) =>
      playerAct(s, { type: 'buzz', playerId: s.data.playerId!, questionId: p.questionId, latencyMs: s.data.latency.oneWayMs() }),
    );

    // Room mock exam: answers and flags are acked without a view (the phone keeps its own sheet); a submit returns the view.
    register(socket, deps, 'exam:answer', 'player', (s, p) =>
      playerAct(s, { type: 'exam-answer', playerId: s.data.playerId!, questionId: p.questionId, choices: p.choices }),
    );
    register(socket, deps, 'exam:flag', 'player', (s, p) =>
      playerAct(s, { type: 'exam-flag', playerId: s.data.playerId!, questionId: p.questionId, flagged: p.flagged }),
    );
    register(socket, deps, 'exam:submit', 'player', (s) => act(s, () => ({ type: 'exam-submit', playerId: s.data.playerId! })));

    register(socket, deps, 'host:export', 'host', (s) => {
      const room = roomOf(s);
      if (!room) return fail('ROOM_NOT_FOUND', 'this room no longer exists');
      if (room.state.phase !== 'finished') return fail('WRONG_PHASE', 'results can be exported once the game has finished');
      return { ok: true, export: gameExport(room.state, room.now()) };
    });

    register(socket, deps, 'question:flag', 'none', async (s, p) => {
      const room = roomOf(s);
      if (!room || !s.data.role) return fail('NOT_IN_ROOM', 'join a room to flag its questions');
      if (!room.state.questions.some((q) => q.question.id === p.questionId)) return fail('STALE_QUESTION', 'that question is not part of this game');
      const by = s.data.role === 'host' ? 'host' : s.data.playerId!;
      const recorded = await opts.flags.addFlag({ questionId: p.questionId, reason: p.reason, roomCode: room.code, by, at: new Date(room.now()) });
      return { ok: true, recorded };
    });

    // The server times its own round trips (never a client clock): one ping now for an early
    // sample, then Socket.IO's own heartbeat (server ping → client pong), which costs no extra messages.
    const sent = performance.now();
    socket.timeout(5_000).emit('net:ping', Date.now(), (err: Error | null) => {
      if (!err) socket.data.latency.add(performance.now() - sent);
    });
    let heartbeatSentAt = 0;
    socket.conn.on('packetCreate', (packet: { type: string }) => {
      if (packet.type === 'ping') heartbeatSentAt = performance.now();
    });
    socket.conn.on('packet', (packet: { type: string }) => {
      if (packet.type === 'pong' && heartbeatSentAt > 0) socket.data.latency.add(performance.now() - heartbeatSentAt);
    });

    socket.on('disconnect', () => {
      roomOf(socket)?.detach(socket.id);
    });
  });
}
