import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { AckFor, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.js';
import { fail, type Ack } from '../../shared/protocol/errors.js';
import { isUploadedId } from '../../shared/protocol/decks.js';
import type { JoinLinks, RoomView } from '../../shared/protocol/views.js';
import type { Action } from '../game/actions.js';
import type { RoomDirectory } from '../cluster/directory.js';
import { socketNodeLink, type InterServerEvents } from '../cluster/socket-link.js';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Profiles } from '../practice/profiles.js';
import type { FlagStore } from '../storage/types.js';
import { hasVisibleText } from '../../shared/nickname.js';
import { OpenConnections, type JoinLimits } from './limits.js';
import { joinLinks, requestOrigin, type InterfaceList } from './join-links.js';
import { EventBudget } from './event-budget.js';
import { LatencyTracker } from './latency.js';
import { executeCall, type CallResult, type RoomCall } from './room-calls.js';
import { packViews, unpackViews } from './view-packs.js';
import { sendViews } from './view-encoder.js';
import type { Member, Outbox } from './room.js';
import { EventTable, type GameSocket, type SocketData, type WrapperDeps } from './wrapper.js';


export type GameServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface GatewayOptions {
  /** Times calls between nodes (the system clock unless a test drives it). */
  clock?: Clock;
  /** Resolves practice profile tokens sent with room:join. */
  profiles?: Profiles;
  log: Logger;
  metrics?: Metrics;
  flags: FlagStore;
  /** Connection and join limits per client address and per room. */
  limits?: JoinLimits;
  allowedOrigins: string[];
  publicUrl?: string | undefined;
  /** Behind this many trusted proxies X-Forwarded-Host/-Proto say which address the host used. */
  trustProxyHops?: number;
  /** Open connections per client address on this node (idle ones included); unset = no cap. */
  maxOpenConnectionsPerAddress?: number;
  /** The address the server listens on (a specific one limits the LAN links to it). */
  bindHost?: string;
  /** Tests pass fixed interfaces; os.networkInterfaces otherwise. */
  networkInterfaces?: InterfaceList;
  /** Events per socket per second, and the burst on top. */
  eventsPerSecond?: number;
  pingIntervalMs?: number;
  /** Several nodes: Socket.IO packets for sockets on other nodes travel through this Redis. */
  redis?: Redis;
  /** False while the node shuts down: new connections are refused (the proxy sends them elsewhere). */
  accepting?: () => boolean;
}

/** Payloads are small JSON; anything bigger than this closes the connection (Socket.IO refuses it). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/**
 * Same-origin requests and listed origins may connect; non-browser clients send no Origin. The
 * page's host is X-Forwarded-Host only behind a trusted proxy: anyone can send that header.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, allowed: string[], trustProxyHops: number): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const forwarded = trustProxyHops > 0 ? req.headers['x-forwarded-host'] : undefined;
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || req.headers.host;
  try {
    if (new URL(origin).host === host) return true;
  } catch {
    return false;
  }
  return allowed.includes(origin);
}

export function createGameServer(http: HttpServer, opts: GatewayOptions): GameServer {
  const open = opts.maxOpenConnectionsPerAddress ? new OpenConnections(opts.maxOpenConnectionsPerAddress, opts.trustProxyHops ?? 0) : null;
  const io: GameServer = new Server(http, {
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    // The heartbeat doubles as the latency probe for buzz compensation: a sample every 10 s per
    // socket (the median of the last five is used) without extra messages on a busy server.
    pingInterval: opts.pingIntervalMs ?? 10_000,
    pingTimeout: 8_000,
    connectionStateRecovery: undefined,
    allowRequest: (req, done) => {
      if (!originAllowed(req, opts.allowedOrigins, opts.trustProxyHops ?? 0)) return done('origin not allowed', false);
      if (opts.accepting && !opts.accepting()) return done('shutting down', false);
      if (open && !open.admits(req)) return done('too many open connections', false);
      if (!opts.limits) return done(null, true);
      opts.limits.connection(req).then(
        (ok) => done(ok ? null : 'too many connections', ok),
        () => done(null, true),
      );
    },
    // Redis Streams adapter: packets survive a short Redis outage (the stream is re-read from the
    // last offset), unlike pub/sub; see the README's "Scaling out" for the choice.
    // A fast heartbeat: a call between nodes waits for every node the adapter knows, so a dead node
    // must leave that list within seconds.
    ...(opts.redis
      ? { adapter: createAdapter(opts.redis, { streamName: 'cca:socket.io', maxLen: 10_000, heartbeatInterval: 1_000, heartbeatTimeout: 3_000 }) }
      : {}),
  });
  // Engine.IO connections, not Socket.IO ones: a client that never joins a namespace holds memory too.
  if (open) io.engine.on('connection', (conn: { request: IncomingMessage; once(e: 'close', f: () => void): void }) => conn.once('close', open.opened(conn.request)));
  return io;
}

/** The socket leaves its room; a kicked one remembers its seat there (joins from it name that seat). */
function unbindSocket(socket: GameSocket, kicked: boolean): void {
  if (kicked && socket.data.roomCode && socket.data.playerId) socket.data.kickedFrom.set(socket.data.roomCode, socket.data.playerId);
  Object.assign(socket.data, { roomCode: null, role: null, playerId: null });
}

/**
 * How rooms reach sockets: straight to a socket on this node; through the adapter (Redis) to a
 * socket on another node, a broadcast's views as one message per node. `unboundRemote` tells another node that a room let its socket go.
 */
export function socketOutbox(io: GameServer, unboundRemote: (member: Member, kicked: boolean) => void = () => {}, ownNodeId: () => string = () => ''): Outbox {
  return {
    views: (deliveries) => {
      const remote = new Map<string, [string, RoomView][]>();
      const local: [GameSocket, RoomView][] = [];
      const here = ownNodeId();
      for (const { member, view } of deliveries) {
        const socket = io.sockets.sockets.get(member.socketId);
        if (socket) local.push([socket, view]);
        // A socket on this node that is gone stays gone.
        else if (member.nodeId !== here) {
          const list = remote.get(member.nodeId) ?? [];
          list.push([member.socketId, view]);
          remote.set(member.nodeId, list);
        }
      }
      // Other nodes first: they send their share while this node sends its own.
      for (const [nodeId, views] of remote) io.serverSideEmit('cca:views', packViews(nodeId, views));
      sendViews(local);
    },
    emit: (socketId, event, ...args) => {
      const local = io.sockets.sockets.get(socketId) as GameSocket | undefined;
      // Its calls answer SESSION_REPLACED from now on (a socket on another node answers NOT_IN_ROOM).
      if (local && event === 'session:replaced') local.data.replacedIn = local.data.roomCode;
      // Room events carry no acks, so widening the emit typing is safe here.
      const target = local ?? io.to(socketId);
      (target.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    unbound: (member, kicked) => {
      const socket = io.sockets.sockets.get(member.socketId) as GameSocket | undefined;
      if (socket) unbindSocket(socket, kicked);
      else unboundRemote(member, kicked);
    },
  };
}

const INVALID_SESSION = 'That room or link is no longer valid: join again with the code on the big screen';

/**
 * A stranger learns nothing from a resume or host attach: "no such room", "bad token" and "seat
 * expired" are one answer, so guessing room codes tells nothing apart.
 */
function strangerSafe<T extends CallResult>(result: T): T {
  if (result.ok || !['ROOM_NOT_FOUND', 'NOT_HOST', 'SESSION_INVALID'].includes(result.error.code)) return result;
  return fail('SESSION_INVALID', INVALID_SESSION) as T;
}

/** Wires every client event to the rooms. Handlers stay thin: the reducer holds the rules. */
export function attachGateway(io: GameServer, directory: RoomDirectory, opts: GatewayOptions): void {
  // A budget of two seconds' worth: a burst (reconnect, resume, answer) fits, a flood does not.
  const budget = () => new EventBudget((opts.eventsPerSecond ?? 20) * 2, 2_000);
  const deps: WrapperDeps = {
    log: opts.log,
    maxStrikes: 200,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const nodeId = directory.nodeId;

  const memberOf = (socket: GameSocket): Member => ({ socketId: socket.id, nodeId, role: socket.data.role!, playerId: socket.data.playerId });

  /**
   * Runs a call on the room's owner and then `settle` on its result: synchronously for a room this
   * node runs, so acks leave in the order the room applied the calls.
   */
  const callRoom = <T>(code: string, call: RoomCall, settle: (r: CallResult) => T): T | Promise<T> => {
    const result = directory.call(code, call);
    return result instanceof Promise ? result.then(settle) : settle(result);
  };

  function leaveCurrentRoom(socket: GameSocket): void {
    const code = socket.data.roomCode;
    if (code) void directory.call(code, { op: 'detach', socketId: socket.id });
    unbindSocket(socket, false);
  }

  /** Binds the socket to the room it just joined, resumed or attached to on the owner. */
  function bound<T extends CallResult>(socket: GameSocket, code: string, role: 'host' | 'player', result: T, previous: string | null): T {
    if (!result.ok) return result;
    if (previous && previous !== code) void directory.call(previous, { op: 'detach', socketId: socket.id });
    const playerId = 'playerId' in result ? result.playerId : null;
    Object.assign(socket.data, { roomCode: code, role, playerId, replacedIn: null });
    return result;
  }

  /** Calls the room and binds the socket on success, whether the room runs here or on another node. */
  function enter<T extends CallResult>(socket: GameSocket, code: string, role: 'host' | 'player', call: RoomCall): T | Promise<T> {
    const previous = socket.data.roomCode;
    return callRoom(code, call, (r) => bound(socket, code, role, r as T, previous));
  }

  /** PUBLIC_URL, else the address this host's browser used (X-Forwarded-* only behind a trusted proxy). */
  function linksFor(socket: GameSocket, code: string): JoinLinks {
    return joinLinks({
      code,
      publicUrl: opts.publicUrl,
      hostOrigin: requestOrigin(socket.request.headers, (opts.trustProxyHops ?? 0) > 0),
      localPort: socket.request.socket.localPort ?? 0,
      ...(opts.networkInterfaces ? { interfaces: opts.networkInterfaces } : {}),
      ...(opts.bindHost !== undefined ? { bindHost: opts.bindHost } : {}),
    });
  }

  /** A call in the caller's room; a room that is gone unbinds the socket. */
  function inRoom<T extends CallResult>(socket: GameSocket, call: RoomCall): T | Promise<T> {
    const code = socket.data.roomCode;
    if (!code) return fail('NOT_IN_ROOM', 'Join or host a room first') as T;
    return callRoom(code, call, (r) => {
      if (!r.ok && (r.error.code === 'ROOM_NOT_FOUND' || r.error.code === 'KICKED')) unbindSocket(socket, r.error.code === 'KICKED');
      return r as T;
    });
  }

  /** Runs a host or player action in the caller's room and answers with the fresh view. */
  const act = (socket: GameSocket, build: () => Action) =>
    inRoom<Ack<{ view: RoomView }>>(socket, { op: 'act', member: memberOf(socket), action: build(), reply: 'view' });

  /** A player's answer or buzz: the ack carries only when the server received it. */
  const playerAct = <T extends CallResult = Ack<{ accepted: true; receivedAt: number }>>(socket: GameSocket, action: Action) =>
    inRoom<T>(socket, { op: 'act', member: memberOf(socket), action, reply: 'receipt' });

  directory.connectSockets({
    bindings: () => {
      const byRoom = new Map<string, Member[]>();
      for (const raw of io.sockets.sockets.values()) {
        const socket = raw as GameSocket;
        if (!socket.data.roomCode || !socket.data.role) continue;
        const list = byRoom.get(socket.data.roomCode) ?? [];
        list.push(memberOf(socket));
        byRoom.set(socket.data.roomCode, list);
      }
      return byRoom;
    },
    unbind: (socketId, kicked) => {
      const socket = io.sockets.sockets.get(socketId) as GameSocket | undefined;
      if (socket) unbindSocket(socket, kicked);
    },
    // A room this node just took over: its own sockets in that room are members again.
    reattach: (room) => {
      for (const raw of io.sockets.sockets.values()) {
        const socket = raw as GameSocket;
        if (socket.data.roomCode === room.code && socket.data.role) void executeCall(room, { op: 'attach', member: memberOf(socket) });
      }
    },
    link: socketNodeLink(io as never, nodeId, opts.clock ?? systemClock, (request) => directory.answer(request), (notice) => directory.heard(notice)),
  });
  io.on('cca:views', (pack) => {
    if (pack.to !== nodeId) return;
    sendViews(unpackViews(pack).flatMap(([socketId, view]) => {
      const socket = io.sockets.sockets.get(socketId);
      return socket ? [[socket, view] as [GameSocket, RoomView]] : [];
    }));
  });

  const here = (s: GameSocket) => ({ socketId: s.id, nodeId });
  const events = new EventTable(deps);
  events.on('time:sync', 'none', (_s, p) => ({ ok: true, clientTime: p.clientTime, serverTime: Date.now() }));

  events.on('room:create', 'none', async (s, p) => {
    const limited = await opts.limits?.createRoom(s);
    if (limited) return limited;
    const created = await directory.open(p.settings ?? {});
    if (!created.ok) return fail('INVALID_SETTINGS', created.message);
    if (s.data.roomCode) leaveCurrentRoom(s);
    const code = created.room.code;
    const join = linksFor(s, code);
    const attached = (await executeCall(created.room, { op: 'host-attach', member: here(s), hostToken: created.hostToken, join })) as Ack<{ view: RoomView }>;
    if (!attached.ok) return attached;
    Object.assign(s.data, { roomCode: code, role: 'host', playerId: null, replacedIn: null });
    return { ok: true, code, hostToken: created.hostToken, joinUrl: join.url, view: attached.view };
  });

  events.on('host:attach', 'none', async (s, p) => {
    const limited = await opts.limits?.resume(s);
    if (limited) return limited;
    const call: RoomCall = { op: 'host-attach', member: here(s), hostToken: p.hostToken, join: linksFor(s, p.code) };
    return strangerSafe(await enter<Ack<{ view: RoomView }>>(s, p.code, 'host', call));
  });

  events.on('room:join', 'none', async (s, p) => {
    const profile = p.profileToken && opts.profiles ? await opts.profiles.authenticate(p.profileToken) : null;
    if (p.profileToken && !profile) return fail('SESSION_INVALID', 'Your practice profile was not recognised: join without it, or recover it on the Practice page');
    const limited = await opts.limits?.join(s, p.code);
    if (limited) return limited;
    return enter<Ack<{ playerId: string; sessionToken: string; view: RoomView }>>(s, p.code, 'player', {
      op: 'join',
      member: here(s),
      nickname: p.nickname,
      team: p.team ?? null,
      profileId: profile?.id ?? null,
      formerPlayerId: s.data.kickedFrom.get(p.code) ?? null,
    });
  });

  events.on('room:resume', 'none', async (s, p) => {
    const limited = await opts.limits?.resume(s);
    if (limited) return limited;
    return strangerSafe(await enter<Ack<{ playerId: string; view: RoomView }>>(s, p.code, 'player', { op: 'resume', member: here(s), sessionToken: p.sessionToken }));
  });

  const host = { role: 'host' } as const;
  events.on('host:configure', 'host', (s, p) => act(s, () => ({ type: 'configure', by: host, settings: p.settings })));
  events.on('host:command', 'host', (s, p) => act(s, () => ({ type: p.command, by: host })));
  events.on('host:kick', 'host', (s, p) => act(s, () => ({ type: 'kick', by: host, playerId: p.playerId })));
  events.on('host:unban', 'host', (s, p) => act(s, () => ({ type: 'unban', by: host, playerId: p.playerId })));
  events.on('host:lock', 'host', (s, p) => act(s, () => ({ type: 'lock', by: host, locked: p.locked })));

  events.on('player:team', 'player', (s, p) => act(s, () => ({ type: 'set-team', playerId: s.data.playerId!, team: p.team })));
  events.on('player:answer', 'player', (s, p) =>
    playerAct<AckFor<'player:answer'>>(s, { type: 'answer', playerId: s.data.playerId!, questionId: p.questionId, choices: p.choices }),
  );
  events.on('player:buzz', 'player', (s, p) =>
    playerAct(s, { type: 'buzz', playerId: s.data.playerId!, questionId: p.questionId, latencyMs: s.data.latency.oneWayMs() }),
  );

  // Room mock exam: answers and flags are acked without a view (the phone keeps its own sheet); a submit returns the view.
  events.on('exam:answer', 'player', (s, p) =>
    playerAct(s, { type: 'exam-answer', playerId: s.data.playerId!, questionId: p.questionId, choices: p.choices }),
  );
  events.on('exam:flag', 'player', (s, p) =>
    playerAct(s, { type: 'exam-flag', playerId: s.data.playerId!, questionId: p.questionId, flagged: p.flagged }),
  );
  events.on('exam:submit', 'player', (s) => act(s, () => ({ type: 'exam-submit', playerId: s.data.playerId! })));

  events.on('player:protest', 'player', (s, p) =>
    act(s, () => ({ type: 'protest', playerId: s.data.playerId!, questionId: p.questionId, reason: p.reason })),
  );
  events.on('host:protest', 'host', (s, p) => act(s, () => ({ type: 'decide-protest', by: host, protestId: p.protestId, decision: p.decision })));

  events.on('host:export', 'host', (s) => inRoom(s, { op: 'export', member: memberOf(s) }));

  events.on('question:flag', 'none', async (s, p) => {
    const code = s.data.roomCode;
    if (!code || !s.data.role) return fail('NOT_IN_ROOM', 'Join a room to flag its questions');
    // The flag list is the bank's: a question of the host's own deck is theirs to fix.
    if (!hasVisibleText(p.reason)) return fail('REASON_INVALID', 'Say in a few words what looks wrong (letters or numbers, not just symbols you cannot see)');
    if (isUploadedId(p.questionId)) return fail('UNKNOWN_QUESTION', "This question comes from the host's own deck, not the bank: tell the host");
    const found = (await inRoom(s, { op: 'question', member: memberOf(s), questionId: p.questionId })) as Ack<{ inGame: boolean; at: number }>;
    if (!found.ok) return found;
    if (!found.inGame) return fail('STALE_QUESTION', 'That question is not part of this game');
    const by = s.data.role === 'host' ? 'host' : s.data.playerId!;
    const recorded = await opts.flags.addFlag({ questionId: p.questionId, reason: p.reason, roomCode: code, by, at: new Date(found.at) });
    return { ok: true, recorded };
  });

  io.on('connection', (raw) => {
    const socket = raw as GameSocket;
    Object.assign(socket.data, { roomCode: null, role: null, playerId: null, latency: new LatencyTracker(), budget: budget(), strikes: 0, kickedFrom: new Map<string, string>(), replacedIn: null });
    events.attach(socket);

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
      const code = socket.data.roomCode;
      if (code) void directory.call(code, { op: 'detach', socketId: socket.id });
    });
  });
}
