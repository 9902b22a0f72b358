import { fork, type ChildProcess } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/protocol/errors.js';
import { HOST_COMMANDS, PROTOCOL_VERSION } from '../../shared/protocol/events.js';
import type { GameExport } from '../../shared/protocol/export.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { Bot } from '../helpers/bot.js';
import type { HarnessRequest, InvariantReport } from '../helpers/harness-server.js';
import { FUZZ_SEED } from './seed.js';
import { deriveSeed, malformedPayload, randomEventName, randomFieldsPayload, randomSettings, randomString, randomToken, Rng, VALID_EVENTS } from './generators.js';

/**
 * Seeded fuzz over real sockets: 50 clients send tens of thousands of random, malformed and valid
 * events at a server in its own process while an honest room plays a real game with real timers.
 * The server must stay up, answer every acked event with a well-formed ack, keep its scoring
 * invariants, and give its memory back once the rooms are gone. Replay a run with FUZZ_SEED=<seed>.
 */

const P = PROTOCOL_VERSION;
const SEED = FUZZ_SEED;
const CLIENTS = 50;
/** FUZZ_EVENTS overrides the volume for a longer soak; the assertions need at least 30,000. */
const TOTAL_EVENTS = process.env.FUZZ_EVENTS ? Number(process.env.FUZZ_EVENTS) : 33_000;
/** Hard stops: the fuzz ends by itself even if the server slows right down. */
const MAX_EVENTS = Math.max(60_000, TOTAL_EVENTS * 2);
const FUZZ_TIME_LIMIT_MS = process.env.FUZZ_EVENTS ? 600_000 : 45_000;
const MAX_IN_FLIGHT = 6;
const ACK_TIMEOUT_MS = 10_000;
/** Heap after the fuzz, its rooms expired and GC run, may exceed the baseline by at most this. */
const HEAP_MARGIN_BYTES = 8 * 1024 * 1024;
const ERROR_CODE_SET = new Set<string>(ERROR_CODES);

type ClientSocket = Socket;

// --- the harness process ----------------------------------------------------------------------

class Harness {
  private nextId = 1;
  private pending = new Map<number, (msg: Record<string, unknown>) => void>();
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  stderr = '';

  private constructor(readonly child: ChildProcess, readonly url: string) {
    child.on('message', (raw) => {
      const msg = raw as { id: number } & Record<string, unknown>;
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    });
    child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    child.on('exit', (code, signal) => (this.exited = { code, signal }));
  }

  static start(): Promise<Harness> {
    const child = fork('test/helpers/harness-server.ts', [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`harness did not start: ${stderr}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`harness exited with ${code}: ${stderr}`)));
      child.once('message', (msg) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new Harness(child, (msg as { url: string }).url));
      });
    });
  }

  request<T extends object>(type: HarnessRequest['type'], timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`harness did not answer ${type}`)), timeoutMs);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        if (typeof msg.error === 'string') reject(new Error(`harness ${type}: ${msg.error}`));
        else resolve(msg as T);
      });
      this.child.send({ id, type } satisfies HarnessRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.request('stop', 15_000).catch(() => this.child.kill('SIGKILL'));
    await gone;
  }
}

// --- bookkeeping ------------------------------------------------------------------------------

interface Stats {
  sent: number;
  acked: number;
  noAckSent: number;
  /** Acks per code ("ok" for success). */
  codes: Record<string, number>;
  /** Per category of what was sent. */
  categories: Record<string, number>;
  /** Acks that were not `{ ok: true, … }` or `{ ok: false, error: { code ∈ ERROR_CODES, message } }`. */
  badAcks: string[];
  /** Acks that never came although the socket stayed connected. */
  lostAcks: string[];
  /** Server closes of sockets that had sent nothing over the 16 KB limit, with what was in flight. */
  unexpectedCloses: string[];
  /** Acked events whose socket closed before the answer (an oversized payload on the same socket, say). */
  cutOff: number;
  /** Payloads sent with an ack but a wrong number of arguments (no payload, or extras). */
  arity: { sent: number; answered: number; silent: number };
  disconnects: Record<string, number>;
  reconnects: number;
  connectFailures: number;
}

const stats: Stats = {
  sent: 0,
  acked: 0,
  noAckSent: 0,
  codes: {},
  categories: {},
  badAcks: [],
  lostAcks: [],
  unexpectedCloses: [],
  cutOff: 0,
  arity: { sent: 0, answered: 0, silent: 0 },
  disconnects: {},
  reconnects: 0,
  connectFailures: 0,
};
// Own properties only: keys such as `toString` must not read Object.prototype's members.
const bump = (rec: Record<string, number>, key: string) => (rec[key] = (Object.hasOwn(rec, key) ? rec[key]! : 0) + 1);

/** Checks one ack against the protocol's shape and counts its code. */
function recordAck(event: string, ack: unknown): void {
  stats.acked++;
  const a = ack as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (a && typeof a === 'object' && a.ok === true) return void bump(stats.codes, 'ok');
  if (a && typeof a === 'object' && a.ok === false && a.error && typeof a.error === 'object') {
    const { code, message } = a.error;
    if (typeof code === 'string' && ERROR_CODE_SET.has(code) && typeof message === 'string' && message.length > 0) return void bump(stats.codes, code);
  }
  bump(stats.codes, 'MALFORMED_ACK');
  if (stats.badAcks.length < 20) stats.badAcks.push(`${event}: ${JSON.stringify(ack)?.slice(0, 200)}`);
}

// --- the fuzz clients -------------------------------------------------------------------------

/** Rooms fuzz clients created (the honest room is never listed): others join them by code. */
const fuzzRooms: { code: string; hostToken: string }[] = [];
const fuzzCodes: string[] = [];

class FuzzClient {
  socket!: ClientSocket;
  role: 'none' | 'host' | 'player' = 'none';
  view: RoomView | null = null;
  sessions: { code: string; token: string }[] = [];
  myRooms: { code: string; hostToken: string }[] = [];
  inFlight = new Set<Promise<void>>();
  /** What this socket has in flight, and whether it sent something over the buffer limit. */
  private pendingCategories = new Map<number, string>();
  private nextCall = 0;
  private sentOversize = false;

  constructor(readonly index: number, readonly rng: Rng, readonly url: string) {}

  connect(): Promise<boolean> {
    const socket = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 });
    this.socket = socket;
    this.role = 'none';
    this.view = null;
    socket.on('room:view', (v: RoomView) => {
      this.view = v;
      if (v.role === 'host' || v.role === 'player') this.role = v.role;
    });
    socket.on('room:kicked', () => ((this.role = 'none'), (this.view = null)));
    socket.on('room:closed', () => ((this.role = 'none'), (this.view = null)));
    socket.on('net:ping', (t: number, ack: (n: number) => void) => ack(t));
    this.sentOversize = false;
    this.pendingCategories = new Map();
    socket.on('disconnect', (reason: string) => {
      bump(stats.disconnects, reason);
      if (!this.sentOversize && !this.closing) stats.unexpectedCloses.push(`${reason}; in flight: ${[...this.pendingCategories.values()].join(', ')}`);
    });
    return new Promise((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => (stats.connectFailures++, resolve(false)));
    });
  }

  private closing = false;

  close(): void {
    this.closing = true;
    this.socket?.disconnect();
  }

  /** Sends with an ack and checks the answer; a closed socket or a silent server is recorded. */
  private call(category: string, event: string, ...args: unknown[]): Promise<unknown> {
    stats.sent++;
    bump(stats.categories, category);
    const socket = this.socket;
    const callId = this.nextCall++;
    this.pendingCategories.set(callId, category);
    const timeoutMs = ACK_TIMEOUT_MS;
    return new Promise<unknown>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        if (!socket.connected) stats.cutOff++;
        else if (stats.lostAcks.length < 50) stats.lostAcks.push(`${event} (${category}) ${JSON.stringify(args).slice(0, 120)}`);
        resolve(undefined);
      }, timeoutMs);
      const onDisconnect = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stats.cutOff++;
        resolve(undefined);
      };
      socket.once('disconnect', onDisconnect);
      (socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args, (ack: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('disconnect', onDisconnect);
        recordAck(event, ack);
        resolve(ack);
      });
    }).finally(() => this.pendingCategories.delete(callId));
  }

  private fireAndForget(category: string, event: string, payload: unknown): void {
    stats.sent++;
    stats.noAckSent++;
    bump(stats.categories, category);
    (this.socket.emit as (e: string, ...a: unknown[]) => void)(event, payload);
  }

  /** One step of this client's random walk; resolves when its ack (if any) is in. */
  async step(): Promise<void> {
    const rng = this.rng;
    const kind = rng.weighted({ play: 52, fields: 18, malformed: 18, unknown: 5, noAck: 5, arity: 2 });
    switch (kind) {
      case 'play':
        return this.play();
      case 'fields': {
        // room:create less often: each valid one moves this socket into a new empty room.
        let event = rng.pick(VALID_EVENTS);
        if (event === 'room:create' && rng.bool(0.75)) event = rng.pick(VALID_EVENTS);
        const ack = await this.call('random-fields', event, randomFieldsPayload(rng, event, fuzzCodes));
        this.learn(event, ack);
        return;
      }
      case 'malformed': {
        const event = rng.pick(VALID_EVENTS);
        const bad = malformedPayload(rng, event);
        if (bad.closesSocket) this.sentOversize = true;
        await this.call(`malformed:${bad.kind}`, event, bad.payload);
        return;
      }
      case 'unknown':
        await this.call('unknown-event', randomEventName(rng), rng.bool(0.7) ? randomFieldsPayload(rng, rng.pick(VALID_EVENTS), fuzzCodes) : undefined);
        return;
      case 'noAck': {
        const event = rng.bool(0.8) ? rng.pick(VALID_EVENTS) : randomEventName(rng);
        const bad = rng.bool(0.4) ? malformedPayload(rng, event) : null;
        if (bad?.closesSocket) this.sentOversize = true;
        this.fireAndForget(bad ? `no-ack:${bad.kind}` : 'no-ack', event, bad ? bad.payload : randomFieldsPayload(rng, rng.pick(VALID_EVENTS), fuzzCodes));
        return;
      }
      case 'arity': {
        // An ack callback but no payload, or extra arguments before it.
        stats.arity.sent++;
        const event = rng.pick(VALID_EVENTS);
        const extra = rng.bool() ? [] : [{ protocol: P }, rng.int(0, 9)];
        const ack = await this.call('arity', event, ...extra);
        if (ack === undefined) stats.arity.silent++;
        else stats.arity.answered++;
        return;
      }
    }
  }

  /** Valid protocol moves for the role this socket has now. */
  private async play(): Promise<void> {
    const rng = this.rng;
    const v = this.view;
    if (this.role === 'host' && v) {
      const open = (v.protests ?? []).filter((p) => p.decision === null);
      const move = rng.weighted({ command: 10, kick: 0.4, lock: 0.4, configure: v.phase === 'lobby' ? 2 : 0.3, export: 0.5, flag: 0.3, decide: open.length ? 2 : 0.1, leave: 0.25 });
      switch (move) {
        case 'command': {
          const byPhase: Record<string, string[]> = {
            lobby: ['start', 'start', 'start', 'pause'],
            question: ['reveal', 'reveal', 'skip', 'pause', 'resume', 'next'],
            reveal: ['next', 'next', 'reveal'],
            leaderboard: ['next', 'next', 'start'],
            finished: ['end', 'next'],
          };
          // Give players a moment to answer before the host closes the question.
          if (v.phase === 'question' && rng.bool(0.75)) return void (await this.call('host', 'time:sync', { clientTime: Date.now() }));
          const command = rng.bool(0.85) ? rng.pick(byPhase[v.phase] ?? ['start']) : rng.pick(HOST_COMMANDS);
          // End is rare: rooms should mostly get through their questions.
          this.learn('host:command', await this.call('host', 'host:command', { command: command === 'next' && rng.bool(0.02) ? 'end' : command }));
          return;
        }
        case 'kick': {
          const target = rng.bool(0.8) && v.leaderboard.length ? rng.pick(v.leaderboard).id : randomString(rng, 10) || 'nobody';
          this.learn('host:kick', await this.call('host', 'host:kick', { playerId: target }));
          return;
        }
        case 'lock':
          this.learn('host:lock', await this.call('host', 'host:lock', { locked: rng.bool(0.3) }));
          return;
        case 'configure':
          this.learn('host:configure', await this.call('host', 'host:configure', { settings: randomSettings(rng, false) }));
          return;
        case 'export':
          await this.call('host', 'host:export', {});
          return;
        case 'flag':
          await this.call('host', 'question:flag', { questionId: v.question?.id ?? randomString(rng, 12), reason: randomString(rng, 40) });
          return;
        case 'decide':
          await this.call('host', 'host:protest', { protestId: open.length ? rng.pick(open).id : '0:nobody', decision: rng.pick(['void', 'rescore', 'reject'] as const) });
          return;
        case 'leave':
          return this.enterSomewhere();
      }
    }
    if (this.role === 'player' && v) {
      const q = v.question;
      const unanswered = q !== null && v.me?.myChoices === null && !v.me?.lockedOut;
      const move = rng.weighted({ answer: unanswered ? 30 : q ? 3 : 1, buzz: q && v.mode === 'buzz' ? 5 : 0.5, team: 0.5, sync: 0.5, flag: 0.3, protest: v.reveal ? 1 : 0.1, leave: v.phase === 'finished' ? 3 : 0.3 });
      switch (move) {
        case 'answer': {
          const n = q?.choices?.length ?? 4;
          const count = q?.type === 'multiple' && rng.bool(0.7) ? rng.int(1, n) : 1;
          const choices = [...new Set(Array.from({ length: count }, () => rng.int(0, n - 1)))];
          const questionId = q?.id ?? randomString(rng, 12);
          await this.call('player', 'player:answer', { questionId, choices: rng.bool(0.95) ? choices : [rng.int(0, 5)] });
          // A second answer to the same question must be refused (ALREADY_ANSWERED, or the round moved on).
          if (rng.bool(0.1)) await this.call('player', 'player:answer', { questionId, choices });
          return;
        }
        case 'buzz':
          await this.call('player', 'player:buzz', { questionId: q?.id ?? randomString(rng, 12) });
          return;
        case 'team':
          this.learn('player:team', await this.call('player', 'player:team', { team: rng.pick(['Red', 'Blue', 'A', null, 'Nope']) }));
          return;
        case 'sync':
          await this.call('player', 'time:sync', { clientTime: Date.now() });
          return;
        case 'flag':
          await this.call('player', 'question:flag', { questionId: q?.id ?? randomString(rng, 12), reason: randomString(rng, 40) || 'bad' });
          return;
        case 'protest':
          await this.call('player', 'player:protest', { questionId: v.reveal?.questionId ?? q?.id ?? randomString(rng, 12), reason: randomString(rng, 60) });
          return;
        case 'leave':
          return this.enterSomewhere();
      }
    }
    return this.enterSomewhere();
  }

  /** Create a room, join a fuzz room by code, resume a seat or take a room back as its host. */
  private async enterSomewhere(): Promise<void> {
    const rng = this.rng;
    // A fifth of the clients mostly host; the rest mostly join, so rooms get players and play.
    const hostType = this.index % 5 === 0;
    const move = rng.weighted({
      create: hostType ? (this.myRooms.length < 4 ? 4 : 0.3) : 0.1,
      join: fuzzCodes.length ? (hostType ? 1 : 8) : 0,
      resume: this.sessions.length ? 1.5 : 0,
      attach: this.myRooms.length ? (hostType ? 4 : 1) : 0,
      sync: 0.3,
    });
    switch (move) {
      case 'create':
        this.learn('room:create', await this.call('play', 'room:create', { protocol: P, settings: randomSettings(rng, true) }));
        return;
      case 'join': {
        // Mostly recent rooms: they are likelier to be in the lobby or playing.
        const code = rng.bool(0.8) ? rng.pick(fuzzCodes.slice(-12)) : rng.pick(fuzzCodes);
        const nickname = rng.bool(0.9) ? `f${this.index}-${rng.int(0, 9999)}` : randomString(rng, 30);
        const team = rng.bool(0.2) ? rng.pick(['Red', 'Blue', 'A', 'Nope']) : undefined;
        this.learn('room:join', await this.call('play', 'room:join', { protocol: P, code, nickname, ...(team ? { team } : {}) }), code);
        return;
      }
      case 'resume': {
        const s = rng.pick(this.sessions);
        this.learn('room:resume', await this.call('play', 'room:resume', { protocol: P, code: s.code, sessionToken: rng.bool(0.9) ? s.token : randomToken(rng) }));
        return;
      }
      case 'attach': {
        const r = rng.pick(this.myRooms);
        this.learn('host:attach', await this.call('play', 'host:attach', { protocol: P, code: r.code, hostToken: rng.bool(0.9) ? r.hostToken : randomToken(rng) }));
        return;
      }
      case 'sync':
        await this.call('play', 'time:sync', { clientTime: rng.next() * 1e13 });
        return;
    }
  }

  /** Follows what the server said: which room and role this socket has now. */
  private learn(event: string, ack: unknown, code?: string): void {
    const a = ack as { ok?: boolean; error?: { code: string }; code?: string; hostToken?: string; sessionToken?: string; view?: RoomView } | undefined;
    if (!a) return;
    if (a.ok) {
      if (a.view) this.view = a.view;
      if (event === 'room:create' && a.code && a.hostToken) {
        const room = { code: a.code, hostToken: a.hostToken };
        this.myRooms.push(room);
        fuzzRooms.push(room);
        fuzzCodes.push(a.code);
        this.role = 'host';
      }
      if (event === 'host:attach') this.role = 'host';
      if (event === 'room:join' && a.sessionToken && code) (this.sessions.push({ code, token: a.sessionToken }), (this.role = 'player'));
      if (event === 'room:resume') this.role = 'player';
    } else if (a.error && ['NOT_IN_ROOM', 'ROOM_NOT_FOUND', 'KICKED'].includes(a.error.code) && !event.startsWith('room:') && event !== 'host:attach') {
      this.role = 'none';
      this.view = null;
    }
  }
}

/** Runs one client until the shared budget or the time limit is used up. */
async function runClient(c: FuzzClient, shouldStop: () => boolean): Promise<void> {
  while (!shouldStop()) {
    if (!c.socket.connected) {
      // Closed by the server (oversized payload, flood cut-off): wait for its calls, then reconnect.
      await Promise.all(c.inFlight);
      stats.reconnects++;
      if (!(await c.connect())) await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (c.inFlight.size >= MAX_IN_FLIGHT) {
      await Promise.race(c.inFlight);
      continue;
    }
    const p: Promise<void> = c.step().finally(() => c.inFlight.delete(p));
    c.inFlight.add(p);
    // Yield so acks and views are processed between sends.
    if (c.rng.bool(0.3)) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(c.inFlight);
}

// --- the honest room ------------------------------------------------------------------------

interface HonestResult {
  answerAcks: string[];
  exported: GameExport;
  finalScores: Record<string, number>;
  timedOutQuestions: number;
  sent: Record<string, number[]>;
}

/**
 * Host + 4 players, 5 Classic questions of 5 s. Everyone answers as soon as the question view
 * arrives; on odd questions one player holds back so the question closes on the real timer.
 */
async function playHonestGame(url: string): Promise<HonestResult> {
  const QUESTIONS = 5;
  const host = await Bot.connect(url);
  const players: Bot[] = [];
  try {
    const created = await host.call('room:create', { protocol: P, settings: { mode: 'classic', questionCount: QUESTIONS, timeLimitSec: 5, getReadySec: 0 } });
    if (!created.ok) throw new Error(`honest room: ${created.error.message}`);
    const ids: string[] = [];
    for (const name of ['Ana', 'Ben', 'Cai', 'Dee']) {
      const bot = await Bot.connect(url);
      players.push(bot);
      const joined = await bot.call('room:join', { protocol: P, code: created.code, nickname: name });
      if (!joined.ok) throw new Error(`honest join: ${joined.error.message}`);
      ids.push(joined.playerId);
    }
    const answerAcks: string[] = [];
    const sent: Record<string, number[]> = {};
    let timedOutQuestions = 0;
    const started = await host.call('host:command', { command: 'start' });
    if (!started.ok) throw new Error(`honest start: ${started.error.message}`);
    for (let i = 0; i < QUESTIONS; i++) {
      const slow = i % 2 === 1;
      await Promise.all(
        players.map(async (bot, p) => {
          const v = await bot.view((x) => x.phase === 'question' && x.question?.index === i, 20_000);
          if (slow && p === 3) return; // waits out the timer
          const choices = [(i + p) % (v.question!.choices?.length ?? 2)];
          const ack = await bot.call('player:answer', { questionId: v.question!.id, choices });
          answerAcks.push(ack.ok ? 'ok' : ack.error.code);
          sent[`${ids[p]}:${i}`] = choices;
        }),
      );
      // Closes when all connected players answered, or at the 5 s deadline on the slow questions.
      const reveal = await host.view((x) => x.phase === 'reveal' && x.reveal !== null && x.question?.index === i, 20_000);
      if (slow) timedOutQuestions += reveal.reveal!.answeredCount === 3 ? 1 : 0;
      const toBoard = await host.call('host:command', { command: 'next' });
      if (!toBoard.ok) throw new Error(`honest next: ${toBoard.error.message}`);
      const onward = await host.call('host:command', { command: 'next' });
      if (!onward.ok) throw new Error(`honest next: ${onward.error.message}`);
    }
    const finals = await Promise.all(players.map((b) => b.view((x) => x.phase === 'finished', 20_000)));
    const exported = await host.call('host:export', {});
    if (!exported.ok) throw new Error(`honest export: ${exported.error.message}`);
    const finalScores = Object.fromEntries(finals.map((v) => [v.me!.playerId, v.me!.score]));
    return { answerAcks, exported: exported.export, finalScores, timedOutQuestions, sent };
  } finally {
    host.close();
    for (const b of players) b.close();
  }
}

// --- the test ---------------------------------------------------------------------------------

interface Heap {
  heapUsed: number;
  sockets: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function waitForSockets(harness: Harness, count: number): Promise<Heap> {
  for (let i = 0; i < 100; i++) {
    const h = await harness.request<Heap>('heap');
    if (h.sockets <= count) return h;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sockets did not close');
}

describe(`socket fuzz (FUZZ_SEED=${SEED})`, () => {
  let harness: Harness;
  let clients: FuzzClient[] = [];

  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    harness = await Harness.start();
  }, 40_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await harness?.stop();
  }, 20_000);

  it('survives tens of thousands of random and malformed events; invariants hold; memory returns', async () => {
    const url = harness.url;

    // Warm-up so the baseline already holds what any game loads once (schemas, code paths, caches).
    const warm = await playWarmUp(url);
    expect(warm).toBe(true);
    await waitForSockets(harness, 0);
    expect((await harness.request<{ roomsLeft: number }>('expire')).roomsLeft).toBe(0);
    const baseline = await harness.request<Heap>('heap');

    clients = Array.from({ length: CLIENTS }, (_, i) => new FuzzClient(i, new Rng(deriveSeed(SEED, i)), url));
    const connected = await Promise.all(clients.map((c) => c.connect()));
    expect(connected.every(Boolean)).toBe(true);

    const t0 = Date.now();
    let honestDone = false;
    // Stop at the event budget once the honest game is over; hard stops on count and time.
    const shouldStop = () => stats.sent >= MAX_EVENTS || Date.now() - t0 > FUZZ_TIME_LIMIT_MS || (stats.sent >= TOTAL_EVENTS && honestDone);
    let honestMs = 0;
    const honestRun = playHonestGame(url).finally(() => ((honestDone = true), (honestMs = Date.now() - t0)));
    const [honest] = await Promise.all([honestRun, ...clients.map((c) => runClient(c, shouldStop))]);
    const fuzzMs = Date.now() - t0;

    console.log(
      `fuzz: ${stats.sent} events in ${(fuzzMs / 1000).toFixed(1)} s from ${CLIENTS} clients (${stats.acked} acks, ${stats.noAckSent} without ack callback, ` +
        `${stats.cutOff} cut off by a socket close, ${stats.reconnects} reconnects, ${fuzzRooms.length} fuzz rooms); honest game took ${(honestMs / 1000).toFixed(1)} s`,
    );
    console.log(`ack codes: ${JSON.stringify(Object.fromEntries(Object.entries(stats.codes).sort((a, b) => b[1] - a[1])))}`);
    console.log(`sent by category: ${JSON.stringify(stats.categories)}`);
    console.log(`disconnect reasons: ${JSON.stringify(stats.disconnects)}; wrong-arity calls: ${JSON.stringify(stats.arity)}`);

    // The volume the issue asks for actually went over the wire.
    expect(stats.sent).toBeGreaterThanOrEqual(Math.min(30_000, TOTAL_EVENTS));
    // Every ack that came back is well-formed, and nothing blew up inside a handler.
    expect(stats.badAcks).toEqual([]);
    expect(stats.codes.INTERNAL ?? 0).toBe(0);
    // Every call with an ack is answered on a live socket: wrong arity and event names such as
    // "toString" included (both once went unanswered, found by this test).
    if (stats.lostAcks.length) console.log('lost acks:', stats.lostAcks);
    expect(stats.lostAcks).toEqual([]);
    expect(stats.connectFailures).toBe(0);
    // Only payloads over the 16 KB limit close a socket.
    expect(stats.unexpectedCloses).toEqual([]);
    // The fuzz was not just rate-limit refusals: plenty of real successes and rule refusals.
    expect(stats.codes.ok ?? 0).toBeGreaterThan(2_000);
    expect(stats.codes.RATE_LIMITED ?? 0).toBeLessThan(stats.acked / 4);
    expect(stats.codes.BAD_REQUEST ?? 0).toBeGreaterThan(1_000);

    // The server is still up and serving.
    expect(harness.exited).toBeNull();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });

    // The honest room played through: every answer accepted, scores add up.
    expect(honest.answerAcks.length).toBe(5 * 4 - 2);
    expect(honest.answerAcks.every((a) => a === 'ok')).toBe(true);
    expect(honest.timedOutQuestions).toBe(2);
    const ex = honest.exported;
    expect(ex.questions).toHaveLength(5);
    const seen = new Set<string>();
    for (const a of ex.answers) {
      const key = `${a.playerId}:${a.questionIndex}`;
      expect(seen.has(key), `two answers counted for ${key}`).toBe(false);
      seen.add(key);
      if (a.choices !== null) expect(a.choices).toEqual(honest.sent[key]);
    }
    for (const key of Object.keys(honest.sent)) expect(seen.has(key), `answer ${key} was counted`).toBe(true);
    for (const p of ex.players) {
      const sum = ex.answers.filter((a) => a.playerId === p.id).reduce((t, a) => t + a.points, 0);
      expect(p.score, `${p.name}'s score is the sum of their points`).toBe(sum);
      expect(honest.finalScores[p.id]).toBe(p.score);
    }

    // Invariants over every room the server still runs, fuzz rooms included.
    const report = await harness.request<InvariantReport>('invariants');
    const fuzzReport = report.perRoom.filter((r) => fuzzCodes.includes(r.code));
    const fuzzAnswered = fuzzReport.reduce((n, r) => n + r.answeredQuestions, 0);
    const fuzzEvents = fuzzReport.reduce((n, r) => n + r.scoreEvents, 0);
    console.log(
      `invariants: ${report.rooms} rooms, ${report.players} players, ${report.questions} closed questions checked; ` +
        `fuzz rooms: ${fuzzReport.length} rooms, ${fuzzAnswered} questions with answers, ${fuzzEvents} score events; ` +
        `phases ${JSON.stringify(fuzzReport.reduce<Record<string, number>>((m, r) => ((m[r.phase] = (m[r.phase] ?? 0) + 1), m), {}))}`,
    );
    expect(report.violations).toEqual([]);
    expect(fuzzReport.length).toBeGreaterThan(10);
    expect(fuzzAnswered).toBeGreaterThan(0);
    expect(fuzzEvents).toBeGreaterThan(0);

    // Memory: close every socket, let the rooms expire as in production, then compare after GC.
    for (const c of clients) c.close();
    await waitForSockets(harness, 0);
    expect((await harness.request<{ roomsLeft: number }>('expire')).roomsLeft).toBe(0);
    const after = await harness.request<Heap>('heap');
    console.log(`heap: baseline ${mb(baseline.heapUsed)}, after fuzz ${mb(after.heapUsed)} (+${mb(after.heapUsed - baseline.heapUsed)}; margin ${mb(HEAP_MARGIN_BYTES)})`);
    expect(after.heapUsed).toBeLessThan(baseline.heapUsed + HEAP_MARGIN_BYTES);
    expect(harness.exited).toBeNull();
  }, process.env.FUZZ_EVENTS ? 900_000 : 110_000);
});

/** One short game (host + one player, one question) and a few refusals, then everyone leaves. */
async function playWarmUp(url: string): Promise<boolean> {
  const host = await Bot.connect(url);
  const player = await Bot.connect(url);
  try {
    const created = await host.call('room:create', { protocol: P, settings: { questionCount: 1, timeLimitSec: 5, getReadySec: 0 } });
    if (!created.ok) return false;
    const joined = await player.call('room:join', { protocol: P, code: created.code, nickname: 'Warm' });
    if (!joined.ok) return false;
    await player.raw('player:answer', { questionId: 'x', choices: 'zero' });
    await player.raw('no:such-event', {});
    await host.call('host:command', { command: 'start' });
    const v = await player.view((x) => x.phase === 'question');
    await player.call('player:answer', { questionId: v.question!.id, choices: [0] });
    await host.view((x) => x.phase === 'reveal');
    await host.call('host:command', { command: 'next' });
    await host.call('host:command', { command: 'next' });
    await host.view((x) => x.phase === 'finished');
    return (await host.call('host:export', {})).ok;
  } finally {
    host.close();
    player.close();
  }
}
