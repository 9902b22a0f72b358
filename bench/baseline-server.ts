/**
 * The baseline: a bare Socket.IO server that carries the same traffic as cca-quiz (create, join,
 * start/next, answers with acks, buzzes, one view per socket per change, views of the same size:
 * the real server's own views per role and phase, see view-templates.ts) with no validation, no
 * game rules and no projection. Latency ratios against it isolate what the
 * real server adds on top of Socket.IO itself. The same traffic includes what the real server sends
 * besides views of changes: its 10 s heartbeat (Socket.IO's default is 25 s) and the host screen's
 * live answer count, at most every 500 ms while answers come in.
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';

type Ack = (r: unknown) => void;
interface BareRoom {
  host: string;
  players: Map<string, string>;
  index: number;
  phase: 'lobby' | 'question' | 'reveal' | 'leaderboard';
  answered: Set<string>;
  holder: string | null;
  questionCount: number;
  /** A host view is due (answers came in since the last one); cleared by any broadcast. */
  hostUpdate: NodeJS.Timeout | null;
}

/** The real server's defaults: GatewayOptions.pingIntervalMs and RoomDeps.broadcastThrottleMs. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 8_000;
const HOST_UPDATE_MS = 500;

type Template = Record<string, unknown> & { question: object | null };
const templates = JSON.parse(process.env.VIEW_TEMPLATE ?? '{}') as Record<'host' | 'player', Record<BareRoom['phase'], Template>>;
const rooms = new Map<string, BareRoom>();
const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 16 * 1024, pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS });
let nextId = 0;

/** The view a role gets in the room's phase: the real server's bytes, with this room's code, time and question. */
function viewOf(room: BareRoom, code: string, role: 'host' | 'player', serverTime = Date.now()) {
  const template = templates[role][room.phase];
  const question = template.question && { ...template.question, index: room.index, id: `q${room.index}`, buzz: room.holder ? { holder: room.holder } : null };
  return { ...template, code, phase: room.phase, serverTime, question };
}

/** One time for the whole broadcast, as the real server stamps it: the last socket's view shows the whole send. */
function send(room: BareRoom, code: string) {
  if (room.hostUpdate) clearTimeout(room.hostUpdate);
  room.hostUpdate = null;
  const serverTime = Date.now();
  io.to(room.host).emit('room:view', viewOf(room, code, 'host', serverTime));
  for (const socketId of room.players.values()) io.to(socketId).emit('room:view', viewOf(room, code, 'player', serverTime));
}

io.on('connection', (socket: Socket) => {
  socket.on('net:ping', () => {});
  socket.on('room:create', (p: { settings?: { questionCount?: number } }, ack: Ack) => {
    const code = `B${(nextId++).toString(36).toUpperCase().padStart(5, '0')}`;
    const room: BareRoom = { host: socket.id, players: new Map(), index: -1, phase: 'lobby', answered: new Set(), holder: null, questionCount: p.settings?.questionCount ?? 5, hostUpdate: null };
    rooms.set(code, room);
    socket.data = { code, playerId: null };
    ack({ ok: true, code, hostToken: 'x'.repeat(32), joinUrl: '', view: viewOf(room, code, 'host') });
  });
  socket.on('room:join', (p: { code: string }, ack: Ack) => {
    const room = rooms.get(p.code);
    if (!room) return ack({ ok: false, error: { code: 'ROOM_NOT_FOUND', message: '' } });
    const playerId = `p${nextId++}`;
    room.players.set(playerId, socket.id);
    socket.data = { code: p.code, playerId };
    ack({ ok: true, playerId, sessionToken: 'x'.repeat(32), view: viewOf(room, p.code, 'player') });
  });
  socket.on('host:command', (p: { command: string }, ack: Ack) => {
    const code = (socket.data as { code: string }).code;
    const room = rooms.get(code)!;
    if (p.command === 'reveal') room.phase = 'reveal';
    else if (room.phase === 'reveal') room.phase = 'leaderboard';
    else {
      room.index++;
      room.phase = 'question';
      room.answered.clear();
      room.holder = null;
    }
    send(room, code);
    ack({ ok: true, view: viewOf(room, code, 'host') });
  });
  socket.on('player:answer', (_p: unknown, ack: Ack) => {
    const { code, playerId } = socket.data as { code: string; playerId: string };
    const room = rooms.get(code)!;
    if (room.phase !== 'question' || room.answered.has(playerId)) return ack({ ok: false, error: { code: 'ALREADY_ANSWERED', message: '' } });
    room.answered.add(playerId);
    ack({ ok: true, accepted: true, receivedAt: Date.now() });
    if (room.answered.size === room.players.size) {
      room.phase = 'reveal';
      send(room, code);
    } else
      room.hostUpdate ??= setTimeout(() => {
        room.hostUpdate = null;
        io.to(room.host).emit('room:view', viewOf(room, code, 'host'));
      }, HOST_UPDATE_MS);
  });
  socket.on('player:buzz', (_p: unknown, ack: Ack) => {
    const { code, playerId } = socket.data as { code: string; playerId: string };
    const room = rooms.get(code)!;
    if (room.holder) return ack({ ok: false, error: { code: 'FLOOR_TAKEN', message: '' } });
    room.holder = playerId;
    ack({ ok: true, accepted: true, receivedAt: Date.now() });
    send(room, code);
  });
});

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  process.stdout.write(JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${port}` }) + '\n');
});

// A normal exit on SIGTERM, so `--cpu-prof` (bench --profile) writes the baseline's profile too.
process.on('SIGTERM', () => process.exit(0));
