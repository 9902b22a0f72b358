import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { PROTOCOL_VERSION as P } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

/** Issue 16, the socket edge: each `it` here is one hole a probe found. */
const bank = makeBank(6);
const redis = usePrivateRedis();
const defaults = loadConfig({});

const bots: Bot[] = [];
async function connect(url: string, opts: Parameters<typeof Bot.connect>[1] = {}): Promise<Bot> {
  const b = await Bot.connect(url, opts);
  bots.push(b);
  return b;
}
afterEach(() => {
  for (const b of bots.splice(0)) b.close();
});

describe('prototype keys, double buzzes, invisible reasons', () => {
  let server: TestServer;
  let table: Table;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory') });
  });
  afterAll(async () => {
    closeTable(table);
    await server.close();
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('host:kick {"playerId":"%s"} is UNKNOWN_PLAYER and bans nobody', async (playerId) => {
    table ??= await setTable(server.url, ['Ana']);
    const kicked: unknown[] = [];
    table.host.socket.on('room:kicked', (k) => kicked.push(k));
    expect(await table.host.call('host:kick', { playerId })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PLAYER' } });
    const room = server.registry.get(table.code)!;
    expect(room.state.banned).toEqual([]);
    expect(room.state.playerOrder).toHaveLength(1);
    expect(kicked).toEqual([]);
  });

  it('the floor holder buzzing again gets ALREADY_BUZZED', async () => {
    const t = await setTable(server.url, ['Ana', 'Ben'], { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false, questionCount: 2 });
    try {
      await t.host.call('host:command', { command: 'start' });
      const [ana, ben] = t.players;
      const view = await ana!.bot.view((v) => v.question?.promptComplete === true);
      const questionId = view.question!.id;
      expect(await ana!.bot.call('player:buzz', { questionId })).toMatchObject({ ok: true, accepted: true });
      await ana!.bot.view((v) => v.me?.holdsFloor === true);
      expect(await ana!.bot.call('player:buzz', { questionId })).toMatchObject({ ok: false, error: { code: 'ALREADY_BUZZED' } });
      expect(await ben!.bot.call('player:buzz', { questionId })).toMatchObject({ ok: false, error: { code: 'FLOOR_TAKEN' } });
    } finally {
      closeTable(t);
    }
  });

  it('question:flag refuses a reason made of control or format characters only (REASON_INVALID)', async () => {
    const t = await setTable(server.url, ['Ana'], { questionCount: 2 });
    try {
      await t.host.call('host:command', { command: 'start' });
      const v = await t.players[0]!.bot.view((x) => x.question !== null);
      for (const reason of ['\u0007\u0007\u0007\u0007', '\u200B\u200B\u200B', '\u202E\u2066\u2069\uFEFF']) {
        expect(await t.players[0]!.bot.call('question:flag', { questionId: v.question!.id, reason })).toMatchObject({ ok: false, error: { code: 'REASON_INVALID' } });
      }
      expect(await t.players[0]!.bot.call('question:flag', { questionId: v.question!.id, reason: 'the answer is outdated' })).toEqual({ ok: true, recorded: true });
    } finally {
      closeTable(t);
    }
  });
});

describe('one seat, one socket; bans that hold', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory') });
  });
  afterAll(() => server.close());

  it('a second host:attach detaches the first host socket: it is told, and can no longer command', async () => {
    const t = await setTable(server.url, ['Ana']);
    try {
      const replaced = t.host.once('session:replaced');
      const second = await connect(server.url);
      expect(await second.call('host:attach', { protocol: P, code: t.code, hostToken: t.hostToken })).toMatchObject({ ok: true });
      expect(await replaced).toEqual({ code: t.code, role: 'host' });
      expect(await t.host.call('host:lock', { locked: true })).toMatchObject({ ok: false, error: { code: 'SESSION_REPLACED' } });
      expect(await t.host.call('host:command', { command: 'start' })).toMatchObject({ ok: false, error: { code: 'SESSION_REPLACED' } });
      expect(server.registry.get(t.code)!.state.phase).toBe('lobby');
      expect(await second.call('host:command', { command: 'start' })).toMatchObject({ ok: true });
    } finally {
      closeTable(t);
    }
  });

  it('a second room:resume of a seat detaches the first socket: it cannot answer for the seat', async () => {
    const t = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 2 });
    try {
      const ana = t.players[0]!;
      const replaced = ana.bot.once('session:replaced');
      const phone2 = await connect(server.url);
      expect(await phone2.call('room:resume', { protocol: P, code: t.code, sessionToken: ana.sessionToken })).toMatchObject({ ok: true, playerId: ana.playerId });
      expect(await replaced).toEqual({ code: t.code, role: 'player' });
      await t.host.call('host:command', { command: 'start' });
      const v = await phone2.view((x) => x.question?.choices != null);
      expect(await ana.bot.call('player:answer', { questionId: v.question!.id, choices: [0] })).toMatchObject({ ok: false, error: { code: 'SESSION_REPLACED' } });
      expect(await phone2.call('player:answer', { questionId: v.question!.id, choices: [0] })).toMatchObject({ ok: true, accepted: true });
      // The seat stays online: the replaced socket leaving does not mark it away.
      ana.bot.close();
      await t.host.view((x) => x.leaderboard.find((p) => p.id === ana.playerId)?.connected === true);
    } finally {
      closeTable(t);
    }
  });

  it('a kicked person cannot rejoin under the same nickname, nor with their profile under another; host:unban lifts it', async () => {
    const res = await fetch(`${server.url}/api/profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname: 'Dee' }) });
    const { token } = (await res.json()) as { token: string };
    const t = await setTable(server.url, ['Ana']);
    try {
      const dee = await connect(server.url);
      const joined = await dee.call('room:join', { protocol: P, code: t.code, nickname: 'Dee', profileToken: token });
      if (!joined.ok) throw new Error(joined.error.message);
      const kicked = dee.once('room:kicked');
      const after = await t.host.call('host:kick', { playerId: joined.playerId });
      await kicked;
      expect(after.ok && after.view.bans).toEqual([{ playerId: joined.playerId, name: 'Dee', at: expect.any(Number) }]);

      const fresh = await connect(server.url);
      expect(await fresh.call('room:join', { protocol: P, code: t.code, nickname: 'dee' })).toMatchObject({ ok: false, error: { code: 'KICKED' } });
      expect(await fresh.call('room:join', { protocol: P, code: t.code, nickname: 'Not Dee', profileToken: token })).toMatchObject({ ok: false, error: { code: 'KICKED' } });
      expect(await dee.call('room:join', { protocol: P, code: t.code, nickname: 'Dee again' })).toMatchObject({ ok: false, error: { code: 'KICKED' } });
      expect(await fresh.call('room:resume', { protocol: P, code: t.code, sessionToken: joined.sessionToken })).toMatchObject({ ok: false, error: { code: 'KICKED' } });
      // Players never see the ban list.
      expect(t.players[0]!.bot.latest?.bans ?? null).toBeNull();

      const lifted = await t.host.call('host:unban', { playerId: joined.playerId });
      expect(lifted.ok && lifted.view.bans).toEqual([]);
      expect(await dee.call('room:join', { protocol: P, code: t.code, nickname: 'Dee', profileToken: token })).toMatchObject({ ok: true });
    } finally {
      closeTable(t);
    }
  });
});

describe('strangers learn nothing from resume or host attach', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory') });
  });
  afterAll(() => server.close());

  it('"no such room" and "bad token" get the same code and message', async () => {
    const t = await setTable(server.url, ['Ana']);
    try {
      const s = await connect(server.url);
      const bogus = 'x'.repeat(32);
      const answers = [
        await s.call('room:resume', { protocol: P, code: 'ZZZZZZ', sessionToken: bogus }),
        await s.call('room:resume', { protocol: P, code: t.code, sessionToken: bogus }),
        await s.call('host:attach', { protocol: P, code: 'ZZZZZZ', hostToken: bogus }),
        await s.call('host:attach', { protocol: P, code: t.code, hostToken: bogus }),
      ];
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(answers[0]).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
    } finally {
      closeTable(t);
    }
  });
});

describe.each<StoreKind>(['memory', 'redis'])('limits where scanning and piling up start (%s store)', (kind) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    await server?.store.close();
    server = undefined;
  });

  const start = async (env: Record<string, string>) => (server = await startTestServer({ bank, store: await makeStore(kind, redis.url), env }));

  it('room:resume and host:attach attempts per address are limited (RESUMES_PER_IP_PER_MINUTE)', async () => {
    const s0 = await start({ RESUMES_PER_IP_PER_MINUTE: '20' });
    const scanners = await Promise.all(Array.from({ length: 4 }, () => connect(s0.url)));
    const codes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const bot = scanners[i % scanners.length]!;
      const a = i % 2 ? await bot.call('room:resume', { protocol: P, code: 'ZZZZZZ', sessionToken: 'x'.repeat(32) }) : await bot.call('host:attach', { protocol: P, code: 'ZZZZZZ', hostToken: 'x'.repeat(32) });
      codes.push(a.ok ? 'ok' : a.error.code);
    }
    expect(codes.filter((c) => c === 'SESSION_INVALID')).toHaveLength(20);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
  });

  it('room creation per address is limited by default (ROOMS_PER_IP_PER_MINUTE)', async () => {
    const s0 = await start({ ROOMS_PER_IP_PER_MINUTE: String(defaults.ROOMS_PER_IP_PER_MINUTE) });
    const bot = await connect(s0.url);
    const acks = [];
    for (let i = 0; i < defaults.ROOMS_PER_IP_PER_MINUTE + 5; i++) acks.push(await bot.call('room:create', { protocol: P }));
    expect(acks.filter((a) => a.ok)).toHaveLength(defaults.ROOMS_PER_IP_PER_MINUTE);
    expect(acks.slice(defaults.ROOMS_PER_IP_PER_MINUTE).every((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
    expect(s0.registry.size).toBe(defaults.ROOMS_PER_IP_PER_MINUTE);
  });

  it('open connections per address are capped and released on disconnect (MAX_OPEN_CONNECTIONS_PER_ADDRESS)', async () => {
    const s0 = await start({ MAX_OPEN_CONNECTIONS_PER_ADDRESS: '5' });
    const open = await Promise.all(Array.from({ length: 5 }, () => connect(s0.url)));
    await expect(Bot.connect(s0.url)).rejects.toThrow();
    // Idle sockets hold their place: still refused a moment later.
    await expect(Bot.connect(s0.url)).rejects.toThrow();
    const gone = open[0]!.disconnected();
    open[0]!.close();
    await gone;
    // The server sees the close a moment after the client: retry until the place is released.
    let again: Bot | null = null;
    for (let i = 0; i < 50 && !again; i++) again = await Bot.connect(s0.url).catch(() => null);
    expect(again).not.toBeNull();
    bots.push(again!);
  });

  it('an honest venue is not limited: 300 phones and a host behind one address join one room, then all resume after a Wi-Fi drop', async () => {
    const env = {
      ROOMS_PER_IP_PER_MINUTE: String(defaults.ROOMS_PER_IP_PER_MINUTE),
      ROOM_CAP: String(defaults.ROOM_CAP),
    };
    const s0 = await start(env);
    const host = await connect(s0.url);
    const created = await host.call('room:create', { protocol: P });
    if (!created.ok) throw new Error(created.error.message);
    const phones = await Promise.all(Array.from({ length: 300 }, () => connect(s0.url)));
    const joins = await Promise.all(phones.map((p, i) => p.call('room:join', { protocol: P, code: created.code, nickname: `Phone ${i}` })));
    expect(joins.filter((j) => !j.ok).map((j) => !j.ok && j.error.code)).toEqual([]);
    // The drop: every phone comes back on a new connection (the old ones are still open) and resumes.
    const again = await Promise.all(phones.map(() => connect(s0.url)));
    const resumes = await Promise.all(again.map((p, i) => p.call('room:resume', { protocol: P, code: created.code, sessionToken: (joins[i] as { sessionToken: string }).sessionToken })));
    expect(resumes.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual([]);
    const host2 = await connect(s0.url);
    expect(await host2.call('host:attach', { protocol: P, code: created.code, hostToken: created.hostToken })).toMatchObject({ ok: true });
    expect(s0.registry.get(created.code)!.state.playerOrder).toHaveLength(300);
  }, 60_000);
});

describe('origin check behind (or without) a proxy', () => {
  it('X-Forwarded-Host is ignored unless TRUST_PROXY_HOPS > 0', async () => {
    const plain = await startTestServer({ bank, store: await makeStore('memory') });
    const proxied = await startTestServer({ bank, store: await makeStore('memory'), env: { TRUST_PROXY_HOPS: '1' } });
    try {
      const forged = { origin: 'https://evil.example', headers: { 'x-forwarded-host': 'evil.example' } };
      await expect(Bot.connect(plain.url, forged)).rejects.toThrow();
      bots.push(await Bot.connect(proxied.url, forged));
    } finally {
      for (const b of bots.splice(0)) b.close();
      await plain.close();
      await proxied.close();
    }
  });
});

describe.each<StoreKind>(['memory', 'redis'])('nicknames by grapheme (%s store)', (kind) => {
  it('ZWJ emoji join and come back from the store as sent; lone surrogates are refused', async () => {
    const server = await startTestServer({ bank, store: await makeStore(kind, redis.url) });
    const names = ['👩‍💻', '🧑🏽‍🚀 Zoë', '🏳️‍🌈'.repeat(24)];
    try {
      const t = await setTable(server.url, names, { questionCount: 1 });
      const s = await connect(server.url);
      for (const nickname of ['Ana\uD83D', '\uDC69', 'A\u200DB']) {
        expect(await s.call('room:join', { protocol: P, code: t.code, nickname })).toMatchObject({ ok: false, error: { code: 'NICKNAME_INVALID' } });
      }
      expect(await s.call('room:join', { protocol: P, code: t.code, nickname: '🏳️‍🌈'.repeat(25) })).toMatchObject({ ok: false, error: { code: 'NICKNAME_INVALID' } });
      const lobby = await t.host.view((v) => v.leaderboard.length === names.length);
      expect(lobby.leaderboard.map((p) => p.name).sort()).toEqual([...names].sort());
      await t.host.call('host:command', { command: 'start' });
      await t.host.call('host:command', { command: 'end' });
      await server.registry.get(t.code)!.flushed();
      const stored = await server.store.roomTop(t.code, 10);
      expect(stored.map((r) => r.name).sort()).toEqual([...names].sort());
      closeTable(t);
    } finally {
      await server.close();
      await server.store.close();
    }
  });
});
