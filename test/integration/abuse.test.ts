import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const redis = usePrivateRedis();

const P = PROTOCOL_VERSION;

describe.each<StoreKind>(['memory', 'redis'])('bad input over the wire (%s store)', (kind) => {
  let server: TestServer;
  let table: Table;
  let bystanders: Table;
  const bots: Bot[] = [];

  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url), manualClock: true, env: { ROOM_CAP: '4' } });
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 3, timeLimitSec: 20 });
    bystanders = await setTable(server.url, ['Zoe'], { questionCount: 3, timeLimitSec: 20 });
    await table.host.call('host:command', { command: 'start' });
    await bystanders.host.call('host:command', { command: 'start' });
  });
  afterAll(async () => {
    closeTable(table);
    closeTable(bystanders);
    for (const b of bots) b.close();
    await server.close();
    await server.store.close();
  });

  const room = () => server.registry.get(table.code)!;
  const qid = () => room().state.questions[room().state.round!.index]!.question.id;
  const stranger = async () => {
    const b = await Bot.connect(server.url);
    bots.push(b);
    return b;
  };

  /** The ack carries `code`, and the room's state object did not change. */
  async function refused(send: () => Promise<unknown>, code: string) {
    const before = room().state;
    const ack = await send();
    expect(ack).toMatchObject({ ok: false, error: { code } });
    expect((ack as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    expect(room().state).toBe(before);
  }

  it('malformed payloads: wrong types, missing and extra fields, not an object', async () => {
    const ana = table.players[0]!.bot;
    await refused(() => ana.raw('player:answer', { questionId: qid(), choices: 'zero' }), 'BAD_REQUEST');
    await refused(() => ana.raw('player:answer', { questionId: qid() }), 'BAD_REQUEST');
    await refused(() => ana.raw('player:answer', { questionId: qid(), choices: [0], extra: true }), 'BAD_REQUEST');
    await refused(() => ana.raw('player:answer', 'answer please'), 'BAD_REQUEST');
    await refused(() => ana.raw('player:answer', null), 'BAD_REQUEST');
    await refused(() => ana.raw('player:answer', { questionId: qid(), choices: [0.5] }), 'BAD_REQUEST');
    await refused(() => ana.raw('player:buzz', { questionId: '../../etc/passwd' }), 'BAD_REQUEST');
    await refused(() => table.host.raw('host:command', { command: 'explode' }), 'BAD_REQUEST');
  });

  it('oversized strings: refused by the schema, or the connection is closed past the buffer limit', async () => {
    const s = await stranger();
    await refused(() => s.raw('room:join', { protocol: P, code: table.code, nickname: 'x'.repeat(10_000) }), 'BAD_REQUEST');
    const huge = await stranger();
    const gone = huge.disconnected();
    (huge.socket.emit as (e: string, p: unknown) => void)('room:join', { protocol: P, code: table.code, nickname: 'x'.repeat(1_000_000) });
    expect(await gone).toBe('transport close');
    expect(room().state.playerOrder).toHaveLength(2);
  });

  it('unknown room, bad codes, wrong host token, protocol mismatch, unknown event', async () => {
    const s = await stranger();
    expect(await s.call('room:join', { protocol: P, code: 'ZZZZZZ', nickname: 'Eve' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await s.call('room:join', { protocol: P, code: 'OOOOOO', nickname: 'Eve' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // A wrong token and an unknown room answer alike (issue 16): guessing codes tells nothing apart.
    await refused(() => s.call('host:attach', { protocol: P, code: table.code, hostToken: 'x'.repeat(32) }), 'SESSION_INVALID');
    await refused(() => s.raw('room:join', { protocol: 99, code: table.code, nickname: 'Eve' }), 'UNSUPPORTED_PROTOCOL');
    expect(await s.raw('admin:drop-tables', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    await refused(() => s.call('host:command', { command: 'end' }), 'NOT_IN_ROOM');
    await refused(() => table.players[0]!.bot.call('host:command', { command: 'end' }), 'NOT_HOST');
  });

  it('nickname taken or invisible, room full, room locked', async () => {
    const s = await stranger();
    await refused(() => s.call('room:join', { protocol: P, code: table.code, nickname: 'ana' }), 'NICKNAME_TAKEN');
    await refused(() => s.call('room:join', { protocol: P, code: table.code, nickname: '\u200B\u200B' }), 'NICKNAME_INVALID');
    await refused(() => s.call('room:join', { protocol: P, code: table.code, nickname: 'Ana\u202E' }), 'NICKNAME_INVALID');
    expect((await s.call('room:join', { protocol: P, code: table.code, nickname: 'Cai' })).ok).toBe(true);
    const t = await stranger();
    expect((await t.call('room:join', { protocol: P, code: table.code, nickname: 'Dee' })).ok).toBe(true);
    const u = await stranger();
    await refused(() => u.call('room:join', { protocol: P, code: table.code, nickname: 'Eve' }), 'ROOM_FULL');
    // Dee is kicked: neither her seat nor her connection gets back in, even under another name.
    const kicked = t.once('room:kicked');
    await table.host.call('host:kick', { playerId: room().state.playerOrder.at(-1)! });
    await kicked;
    await refused(() => t.call('room:join', { protocol: P, code: table.code, nickname: 'Dee again' }), 'KICKED');
    await table.host.call('host:lock', { locked: true });
    await refused(() => u.call('room:join', { protocol: P, code: table.code, nickname: 'Eve' }), 'ROOM_LOCKED');
  });

  it('stale, late and double answers', async () => {
    const [ana, ben] = table.players;
    const first = qid();
    await table.host.call('host:command', { command: 'skip' });
    await refused(() => ana!.bot.call('player:answer', { questionId: first, choices: [0] }), 'STALE_QUESTION');
    expect((await ana!.bot.call('player:answer', { questionId: qid(), choices: [0] })).ok).toBe(true);
    await refused(() => ana!.bot.call('player:answer', { questionId: qid(), choices: [1] }), 'ALREADY_ANSWERED');
    server.clock!.advance(20_000);
    expect(room().state.phase).toBe('reveal');
    await refused(() => ben!.bot.call('player:answer', { questionId: qid(), choices: [0] }), 'LATE');
  });

  it('an event flood from one socket is limited while other rooms keep playing', async () => {
    const flooder = table.players[1]!.bot;
    const acks = await Promise.all(Array.from({ length: 120 }, () => flooder.raw('player:buzz', { questionId: 'no-such-question' })));
    const codes = acks.map((a) => (a as { error: { code: string } }).error.code);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThan(50);
    // The bystander room is unaffected: its player still answers and gets a view.
    const zoe = bystanders.players[0]!;
    const r = server.registry.get(bystanders.code)!;
    while (r.state.phase !== 'question') await bystanders.host.call('host:command', { command: 'next' });
    const q = r.state.questions[r.state.round!.index]!.question.id;
    expect(await zoe.bot.call('player:answer', { questionId: q, choices: [0] })).toMatchObject({ ok: true, accepted: true, receivedAt: expect.any(Number) });
    await zoe.bot.view((v) => v.phase === 'reveal');
  });

  it('answers every event that has an ack, whatever its name or shape (found by the fuzz test)', async () => {
    const s = await stranger();
    expect(await s.raw('toString', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await s.raw('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await s.raw('host:export')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await s.raw('time:sync', { clientTime: 1 }, 'extra')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('events sent without an ack still spend the budget: a silent flood gets the socket cut off', async () => {
    const s = await stranger();
    const cut = s.disconnected();
    const fireAndForget = s.socket.emit.bind(s.socket) as (event: string, payload: unknown) => void;
    for (let i = 0; i < 400; i++) fireAndForget('time:sync', { clientTime: i });
    expect(await cut).toBe('io server disconnect');
  });

  it('refuses sockets from origins not on the allowed list', async () => {
    await expect(Bot.connect(server.url, { origin: 'https://evil.example' })).rejects.toThrow();
    const same = await Bot.connect(server.url, { origin: server.url });
    bots.push(same);
    expect(same.socket.connected).toBe(true);
  });
});
