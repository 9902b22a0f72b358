import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomDeps } from '../../server/realtime/room.js';
import { RedisStore } from '../../server/storage/redis.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { apiCall, type Json } from '../helpers/http.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const redis = usePrivateRedis();
/** Past the first FSRS learning step of a fresh miss (1 minute). */
const LATER_MS = 10 * 60_000;

describe.each<StoreKind>(['memory', 'redis'])('room misses feed the review queue (%s store)', (kind) => {
  let server: TestServer;
  let table: Table | undefined;
  const bots: Bot[] = [];
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url), manualClock: true });
  });
  afterAll(async () => {
    closeTable(table);
    for (const b of bots) b.close();
    await server.close();
    await server.store.close();
  });

  const call = (method: string, path: string, token?: string, body?: unknown) => apiCall(server.url, method, path, token, body);
  const newProfile = async (nickname: string) => (await call('POST', '/profiles', undefined, { nickname })).json as { token: string; recoveryCode: string; profile: { id: string } };
  const join = async (code: string, nickname: string, profileToken?: string) => {
    const bot = await Bot.connect(server.url);
    bots.push(bot);
    const joined = await bot.call('room:join', { protocol: PROTOCOL_VERSION, code, nickname, ...(profileToken ? { profileToken } : {}) });
    return { bot, joined };
  };
  /** Practice records in Redis: one key per profile that has any. */
  const practiceKeys = async () => (server.store instanceof RedisStore ? (await server.store.redis.keys('cca:practice:*')).sort() : null);

  it('Classic: the missed question comes back in /practice as a review, the right one does not; a replay adds nothing', async () => {
    const ana = await newProfile('Ana');
    const gus = await newProfile('Gus');
    const moved = await newProfile('Dee');
    await call('POST', '/profiles/recover', undefined, { code: moved.recoveryCode }); // Dee's first token is replaced
    table = await setTable(server.url, ['Ben'], { questionCount: 2, timeLimitSec: 20 }); // Ben has no profile
    const clock = server.clock!;
    const room = server.registry.get(table.code)!;

    // Bad input: unknown or replaced profile tokens are refused at the door, so nothing can be fed.
    expect((await join(table.code, 'Eve', 'z'.repeat(32))).joined).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
    expect((await join(table.code, 'Dee', moved.token)).joined).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
    expect((await join(table.code, 'Fay', 'short')).joined).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const { bot: anaBot, joined } = await join(table.code, 'Ana', ana.token);
    if (!joined.ok) throw new Error(joined.error.message);
    const { bot: gusBot, joined: gusJoined } = await join(table.code, 'Gus', gus.token);
    if (!gusJoined.ok) throw new Error(gusJoined.error.message);

    await table.host.call('host:command', { command: 'start' });
    const onScreen = (i: number) => room.state.questions[i]!.solution.answer; // rooms shuffle choices
    const offScreen = (i: number) => [[...room.state.questions[i]!.question.choices.keys()].find((c) => !onScreen(i).includes(c))!];
    const q1 = (await anaBot.view((v) => v.phase === 'question' && v.question?.index === 0)).question!;
    expect(await anaBot.call('player:answer', { questionId: q1.id, choices: offScreen(0) })).toMatchObject({ ok: true });
    clock.advance(20_000); // Ben and Gus stay silent: the clock closes it
    await anaBot.view((v) => v.phase === 'reveal');
    await table.host.call('host:command', { command: 'next' }); // the leaderboard
    await table.host.call('host:command', { command: 'next' });
    const q2 = (await anaBot.view((v) => v.phase === 'question' && v.question?.index === 1)).question!;
    await anaBot.call('player:answer', { questionId: q2.id, choices: onScreen(1) });
    await table.players[0]!.bot.call('player:answer', { questionId: q2.id, choices: onScreen(1) });
    await gusBot.call('player:answer', { questionId: q2.id, choices: onScreen(1) });
    await anaBot.view((v) => v.phase === 'reveal');
    await room.flushed();

    const stats = (await call('GET', '/practice/stats', ana.token)).json;
    expect(stats.missed.map((m: Json) => m.questionId)).toEqual([q1.id]);
    // Gus was there and said nothing: that is a miss too.
    expect((await call('GET', '/practice/stats', gus.token)).json.missed.map((m: Json) => m.questionId)).toEqual([q1.id]);

    // The room result path again for question 1 (a failover re-send, a retried write): nothing changes.
    const feed = (room as unknown as { deps: RoomDeps }).deps.onProfiledMisses!;
    const profiles = room.snapshot().profiles!;
    expect(profiles).toEqual([[joined.playerId, ana.profile.id], [gusJoined.playerId, gus.profile.id]]); // Ben and the refused tokens are not linked
    await feed(room.state, room.state.results[0]!, profiles);
    await feed(room.state, room.state.results[0]!, profiles);
    expect((await call('GET', '/practice/stats', ana.token)).json.missed).toEqual(stats.missed);
    if (kind === 'redis') expect(await practiceKeys()).toEqual([`cca:practice:${ana.profile.id}`, `cca:practice:${gus.profile.id}`].sort());

    clock.advance(LATER_MS);
    const next = await call('POST', '/practice/next', ana.token, {});
    expect(next.json).toMatchObject({ reason: 'review', question: { id: q1.id } });
    const answered = await call('POST', '/practice/answer', ana.token, { questionId: q1.id, choices: bank.byId.get(q1.id)!.answer });
    expect(answered.json.outcome.review).toBe('rescheduled');
    const after = (await call('POST', '/practice/next', ana.token, {})).json;
    expect(after.reason).toBe('new');
    expect(after.question.id).not.toBe(q1.id); // answered right: spaced out, no longer due
  });

  it('room mock exam: the wrong and the blank questions of a submitted sheet come back, the right one does not', async () => {
    const fay = await newProfile('Fay');
    const host = await Bot.connect(server.url);
    bots.push(host);
    const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { mode: 'exam', questionCount: 3, examMinutes: 5 } });
    if (!created.ok) throw new Error(created.error.message);
    const { bot, joined } = await join(created.code, 'Fay', fay.token);
    expect(joined.ok).toBe(true);
    await host.call('host:command', { command: 'start' });
    const room = server.registry.get(created.code)!;
    const ids = room.state.questions.map((q) => q.question.id);
    const solution = (i: number) => room.state.questions[i]!.solution.answer;
    const wrong = (i: number) => [[...room.state.questions[i]!.question.choices.keys()].find((c) => !solution(i).includes(c))!];
    await bot.call('exam:answer', { questionId: ids[0]!, choices: solution(0) });
    await bot.call('exam:answer', { questionId: ids[1]!, choices: wrong(1) });
    expect((await bot.call('exam:submit', {})).ok).toBe(true); // question 3 left blank
    await bot.view((v) => v.phase === 'finished');
    await room.flushed();

    const missed = (await call('GET', '/practice/stats', fay.token)).json.missed.map((m: Json) => m.questionId);
    expect(missed.sort()).toEqual([ids[1], ids[2]].sort());
    server.clock!.advance(LATER_MS);
    const served = [];
    for (let i = 0; i < 2; i++) {
      const next = (await call('POST', '/practice/next', fay.token, {})).json;
      expect(next.reason).toBe('review');
      served.push(next.question.id);
      await call('POST', '/practice/answer', fay.token, { questionId: next.question.id, choices: bank.byId.get(next.question.id)!.answer });
    }
    expect(served.sort()).toEqual([ids[1], ids[2]].sort());
    expect((await call('POST', '/practice/next', fay.token, {})).json.reason).toBe('new');
  });
});
