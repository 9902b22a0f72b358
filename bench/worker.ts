/**
 * A bench worker process: a few hundred to a thousand real socket.io-client bots, driven by the
 * orchestrator over IPC. Latencies use Date.now() on both ends: server and bots share this machine's clock.
 */
import { io, type Socket } from 'socket.io-client';

type View = { phase: string; serverTime: number; question: { id: string; index: number; buzz: { holder: string | null } | null } | null; reveal?: unknown; leaderboard?: unknown };
type AckResult = { ok: boolean; error?: { code: string } };

export type WorkerCommand =
  | { cmd: 'rooms'; url: string; rooms: number; players: number; questions: number; mode: 'classic' | 'buzz'; compensation: boolean }
  | { cmd: 'play' }
  | { cmd: 'join'; urls: string[]; code: string; count: number; prefix: string }
  /** `watch`: each bot also waits for the reveal and the leaderboard (the keynote). */
  | { cmd: 'answer-big'; windowMs: number; duplicateEvery: number; lateEvery: number; lateAtMs: number; watch?: boolean }
  | { cmd: 'close' };

export interface RoomsResult {
  broadcast: number[];
  ack: number[];
  /** Server clock: first buzz arrival → the winner's view leaving the server. */
  buzzWin: number[];
  /** Bot clocks: first buzz sent → winner's view received. */
  buzzWinClient: number[];
  answers: number;
  errors: number;
  errorCodes: Record<string, number>;
  views: number;
}

export interface BigResult {
  broadcast: number[];
  ack: number[];
  /** On-time answers: ack received − the question's opening (its view's server time). */
  ackFromOpen: number[];
  /** Acks per server the phone is connected to (the keynote: node A owns the room, B forwards). */
  ackByServer: number[][];
  /** With `watch`: reveal and leaderboard views, receipt − server time. */
  reveal: number[];
  leaderboard: number[];
  accepted: number;
  duplicatesRejected: number;
  lateRejected: number;
  unexpected: Record<string, number>;
}

/** One socket with the latest view and a cheap way to wait for the next matching one. */
class Bot {
  latest: View | null = null;
  views = 0;
  private waiters: { test: (v: View) => boolean; resolve: (r: { view: View; at: number }) => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.on('room:view', (view: View) => {
      const at = Date.now();
      this.latest = view;
      this.views++;
      if (this.waiters.length === 0) return;
      this.waiters = this.waiters.filter((w) => (w.test(view) ? (w.resolve({ view, at }), false) : true));
    });
    socket.on('net:ping', (t: number, ack: (t: number) => void) => ack(t));
  }

  /**
   * A phone whose connection fails tries again, and so does a bot: a bench run of 30,000 connections
   * does not end on one refused handshake. Each retry is printed, so a server that refuses many shows.
   */
  static async connect(url: string): Promise<Bot> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await Bot.connectOnce(url);
      } catch (err) {
        if (attempt >= CONNECT_ATTEMPTS) throw err;
        process.stderr.write(`bench worker: a bot's connection failed (${(err as Error).message}); retry ${attempt} of ${CONNECT_ATTEMPTS - 1}\n`);
        await sleep(250 * attempt);
      }
    }
  }

  private static connectOnce(url: string): Promise<Bot> {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new Bot(socket)));
      socket.once('connect_error', (err: Error & { description?: unknown }) => {
        socket.close();
        // engine.io-client puts the transport's own error (an ErrorEvent in Node) in `description`.
        const d = err.description as { message?: unknown; error?: { message?: unknown } } | undefined;
        const cause = String(d?.error?.message ?? d?.message ?? '');
        reject(new Error(cause ? `${err.message}: ${cause}` : err.message));
      });
    });
  }

  /** Rejects after `timeoutMs` (the bench stays bounded: a dropped socket or a lost view is an error, not a hang). */
  waitFor(test: (v: View) => boolean, timeoutMs = WAIT_MS): Promise<{ view: View; at: number }> {
    if (this.latest && test(this.latest)) return Promise.resolve({ view: this.latest, at: Date.now() });
    const waiting = new Promise<{ view: View; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(this.socket.connected ? 'VIEW_TIMEOUT' : 'DISCONNECTED'));
      }, timeoutMs);
      const done = (r: { view: View; at: number }) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiters.push({ test, resolve: done });
    });
    waiting.catch(() => {}); // awaited later (or never, once its table failed): never an unhandled rejection
    return waiting;
  }

  call(event: string, payload: unknown): Promise<AckResult & Record<string, unknown>> {
    return this.socket.timeout(30_000).emitWithAck(event, payload) as Promise<AckResult & Record<string, unknown>>;
  }
}

/** Tries per bot connection. */
const CONNECT_ATTEMPTS = 3;
/** The longest any bot waits for a view. */
const WAIT_MS = 90_000;
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

// --- many rooms / buzz storm -----------------------------------------------------------------

interface Table {
  host: Bot;
  players: Bot[];
}

let tables: Table[] = [];
let roomsCmd: Extract<WorkerCommand, { cmd: 'rooms' }> | null = null;

async function setupRooms(c: Extract<WorkerCommand, { cmd: 'rooms' }>): Promise<void> {
  roomsCmd = c;
  tables = [];
  await inBatches([...Array(c.rooms).keys()], 25, async () => {
    const host = await Bot.connect(c.url);
    const created = await host.call('room:create', {
      protocol: 1,
      settings: { mode: c.mode, questionCount: c.questions, timeLimitSec: 30, wordsPerSecond: 0, buzzCompensation: c.compensation, streakBonus: false, getReadySec: 0 },
    });
    if (!created.ok) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
    // A room's players connect and join together (seat order does not matter to the scenario).
    const players = await Promise.all(
      Array.from({ length: c.players }, async (_, i) => {
        const bot = await Bot.connect(c.url);
        const joined = await bot.call('room:join', { protocol: 1, code: created.code, nickname: `P${i}` });
        if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`);
        return bot;
      }),
    );
    tables.push({ host, players });
  });
}

async function playTable(t: Table, c: Extract<WorkerCommand, { cmd: 'rooms' }>, r: RoomsResult): Promise<void> {
  const fail = (code: string) => {
    r.errors++;
    r.errorCodes[code] = (r.errorCodes[code] ?? 0) + 1;
  };
  for (let q = 0; q < c.questions; q++) {
    const isOpen = (v: View) => v.phase === 'question' && v.question?.index === q;
    const opened = t.players.map((p) => p.waitFor(isOpen));
    const cmd = await t.host.call('host:command', { command: q === 0 ? 'start' : 'next' });
    if (!cmd.ok) fail(cmd.error?.code ?? 'HOST');
    if (c.mode === 'classic') {
      await Promise.all(
        opened.map(async (o, i) => {
          const { view, at } = await o;
          r.broadcast.push(at - view.serverTime);
          await sleep(rand(200, 1500));
          const t0 = Date.now();
          const ack = await t.players[i]!.call('player:answer', { questionId: view.question!.id, choices: [Math.floor(Math.random() * 2)] });
          r.ack.push(Date.now() - t0);
          if (ack.ok) r.answers++;
          else fail(ack.error?.code ?? 'ACK');
        }),
      );
      await t.host.waitFor((v) => v.phase === 'reveal' && v.question?.index === q);
    } else {
      const sent: number[] = [];
      const arrived: number[] = [];
      const won = t.players.map((p) => p.waitFor((v) => v.phase === 'question' && v.question?.index === q && !!v.question.buzz?.holder));
      await Promise.all(
        opened.map(async (o, i) => {
          const { view, at } = await o;
          r.broadcast.push(at - view.serverTime);
          const t0 = Date.now();
          sent.push(t0);
          const ack = await t.players[i]!.call('player:buzz', { questionId: view.question!.id });
          r.ack.push(Date.now() - t0);
          if (ack.ok) arrived.push(ack.receivedAt as number);
          else if (ack.error?.code !== 'FLOOR_TAKEN') fail(ack.error?.code ?? 'ACK');
        }),
      );
      const wins = await Promise.all(won);
      r.buzzWin.push(Math.min(...wins.map((w) => w.view.serverTime)) - Math.min(...arrived));
      r.buzzWinClient.push(Math.min(...wins.map((w) => w.at)) - Math.min(...sent));
      await t.host.call('host:command', { command: 'reveal' });
      await t.host.waitFor((v) => v.phase === 'reveal' && v.question?.index === q);
    }
    await t.host.call('host:command', { command: 'next' }); // reveal → leaderboard
    await sleep(rand(500, 1500)); // a few seconds between questions, like a host reading out the answer
  }
}

async function playRooms(): Promise<RoomsResult> {
  const r: RoomsResult = { broadcast: [], ack: [], buzzWin: [], buzzWinClient: [], answers: 0, errors: 0, errorCodes: {}, views: 0 };
  const viewCount = () => tables.reduce((s, t) => s + t.host.views + t.players.reduce((a, p) => a + p.views, 0), 0);
  const before = viewCount(); // views delivered while playing, not while joining
  // A table whose socket dropped or whose view never came stops there and counts as an error.
  await Promise.all(
    tables.map((t) =>
      playTable(t, roomsCmd!, r).catch((err: unknown) => {
        const code = err instanceof Error && /^[A-Z_]+$/.test(err.message) ? err.message : 'TABLE_FAILED';
        r.errors++;
        r.errorCodes[code] = (r.errorCodes[code] ?? 0) + 1;
      }),
    ),
  );
  r.views = viewCount() - before;
  for (const t of tables) for (const b of [t.host, ...t.players]) b.socket.disconnect();
  tables = [];
  return r;
}

// --- the big room --------------------------------------------------------------------------------

let bigPlayers: { bot: Bot; server: number }[] = [];

async function joinBig(c: Extract<WorkerCommand, { cmd: 'join' }>): Promise<void> {
  bigPlayers = [];
  await inBatches([...Array(c.count).keys()], 25, async (i) => {
    const server = i % c.urls.length;
    const bot = await Bot.connect(c.urls[server]!);
    const joined = await bot.call('room:join', { protocol: 1, code: c.code, nickname: `${c.prefix}${i}` });
    if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`);
    bigPlayers.push({ bot, server });
  });
}

async function answerBig(c: Extract<WorkerCommand, { cmd: 'answer-big' }>): Promise<BigResult> {
  const r: BigResult = { broadcast: [], ack: [], ackFromOpen: [], ackByServer: [], reveal: [], leaderboard: [], accepted: 0, duplicatesRejected: 0, lateRejected: 0, unexpected: {} };
  const odd = (code: string) => (r.unexpected[code] = (r.unexpected[code] ?? 0) + 1);
  await Promise.all(
    bigPlayers.map(({ bot, server }, i) => answerOne(bot, i, server).catch((err: unknown) => odd(err instanceof Error && /^[A-Z_]+$/.test(err.message) ? err.message : 'BOT_FAILED'))),
  );
  for (const { bot } of bigPlayers) bot.socket.disconnect();
  bigPlayers = [];
  return r;

  async function answerOne(bot: Bot, i: number, server: number): Promise<void> {
    const { view, at } = await bot.waitFor((v) => v.phase === 'question');
    r.broadcast.push(at - view.serverTime);
    const revealed = c.watch ? bot.waitFor((v) => v.phase === 'reveal') : null;
    const ranked = c.watch ? bot.waitFor((v) => v.phase === 'leaderboard') : null;
    const watchEnd = async () => {
      if (!revealed || !ranked) return;
      const [rv, lb] = await Promise.all([revealed, ranked]);
      r.reveal.push(rv.at - rv.view.serverTime);
      r.leaderboard.push(lb.at - lb.view.serverTime);
    };
    const late = c.lateEvery > 0 && i % c.lateEvery === 0;
    // Times count from the question's opening (its view's server time; bots share the server's clock):
    // a phone whose view came late answers at once if its moment has passed.
    await sleep(Math.max(0, view.serverTime + (late ? c.lateAtMs : rand(0, c.windowMs)) - Date.now()));
    const t0 = Date.now();
    const ack = await bot.call('player:answer', { questionId: view.question!.id, choices: [0] });
    const ackAt = Date.now();
    r.ack.push(ackAt - t0);
    (r.ackByServer[server] ??= []).push(ackAt - t0);
    if (late) {
      if (ack.ok) odd('LATE_ACCEPTED');
      else if (ack.error?.code === 'LATE') r.lateRejected++;
      else odd(ack.error?.code ?? 'ACK');
      return watchEnd();
    }
    r.ackFromOpen.push(ackAt - view.serverTime);
    if (ack.ok) r.accepted++;
    else odd(ack.error?.code ?? 'ACK');
    if (c.duplicateEvery > 0 && i % c.duplicateEvery === 1) {
      const again = await bot.call('player:answer', { questionId: view.question!.id, choices: [1] });
      if (again.ok) odd('DUPLICATE_ACCEPTED');
      else if (again.error?.code === 'ALREADY_ANSWERED') r.duplicatesRejected++;
      else odd(again.error?.code ?? 'ACK');
    }
    await watchEnd();
  }
}

process.on('message', (message: WorkerCommand) => {
  const reply = (m: unknown) => process.send!(m);
  const run = async () => {
    switch (message.cmd) {
      case 'rooms':
        await setupRooms(message);
        return reply({ ready: true });
      case 'play':
        return reply({ rooms: await playRooms() });
      case 'join':
        await joinBig(message);
        return reply({ joined: bigPlayers.length });
      case 'answer-big':
        return reply({ big: await answerBig(message) });
      case 'close':
        process.exit(0);
    }
  };
  run().catch((err: unknown) => reply({ error: String(err instanceof Error ? err.stack : err) }));
});
