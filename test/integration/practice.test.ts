import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { isoWeek } from '../../server/storage/types.js';
import { Bot } from '../helpers/bot.js';
import { apiCall, type Json } from '../helpers/http.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeStore, startTestServer, type StoreKind, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const redis = usePrivateRedis();


describe.each<StoreKind>(['memory', 'redis'])('solo practice over HTTP (%s store)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url) });
  });
  afterAll(async () => {
    await server.close();
    await server.store.close();
  });

  const call = (method: string, path: string, token?: string, body?: unknown) => apiCall(server.url, method, path, token, body);
  const solution = (id: string) => bank.byId.get(id)!.answer;
  const wrong = (id: string) => [[0, 1, 2, 3].find((i) => !solution(id).includes(i))!];

  it('a new player practises 10 questions: the rating moves, stats fill, misses come back as reviews', async () => {
    const created = await call('POST', '/profiles', undefined, { nickname: 'Ana' });
    expect(created.status).toBe(201);
    const token: string = created.json.token;
    expect(created.json.recoveryCode).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){3}$/);
    let rating = 1500;
    let missed = 0;
    for (let i = 0; i < 10; i++) {
      const next = await call('POST', '/practice/next', token, {});
      expect(next.status).toBe(200);
      expect(next.json.question.answer).toBeUndefined(); // the solution never leaves before the answer
      const id: string = next.json.question.id;
      const right = i % 3 !== 2;
      if (!right) missed++;
      const answered = await call('POST', '/practice/answer', token, { questionId: id, choices: right ? solution(id) : wrong(id) });
      expect(answered.status).toBe(200);
      expect(answered.json).toMatchObject({ correct: right, correctChoices: solution(id), outcome: { rated: true } });
      expect(answered.json.outcome.ratingAfter === rating).toBe(false);
      rating = answered.json.outcome.ratingAfter;
    }
    const stats = (await call('GET', '/practice/stats', token)).json;
    expect(stats.domains.reduce((s: number, d: Json) => s + d.answered, 0)).toBe(10);
    expect(stats.trend).toHaveLength(10);
    expect(stats.missed).toHaveLength(missed);
    expect(stats.readiness.percent).toBeNull(); // ten answers cannot give every domain its minimum
    expect(stats.readiness.method).toMatch(/blueprint/);
    expect(stats.readiness.provisional).toBe(true); // ten answers cannot settle eight domain ratings
    const board = (await call('GET', '/leaderboards/rating?board=overall')).json;
    expect(board.entries[0]).toMatchObject({ rank: 1, name: 'Ana', rating: stats.rating });
  });

  it('takes the outline as a validated parameter: practice, stats, exams and the 5-domain rating boards', async () => {
    const token: string = (await call('POST', '/profiles', undefined, { nickname: 'Five' })).json.token;
    const bad = await call('POST', '/practice/next', token, { outline: 'cca-2025', domains: ['ebpf'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('ebpf is not a domain of outline cca-2025');
    expect((await call('POST', '/practice/next', token, { outline: 'cca-2030' })).status).toBe(400);
    const next = await call('POST', '/practice/next', token, { outline: 'cca-2025', domains: ['fundamentals'] });
    expect(next.status).toBe(200);
    const q = bank.byId.get(next.json.question.id)!;
    expect(q.domain2025).toBe('fundamentals');
    const answered = await call('POST', '/practice/answer', token, { questionId: q.id, choices: q.answer });
    expect(answered.json.outcome.domain2025RatingAfter).toBeGreaterThan(1500);

    const stats = (await call('GET', '/practice/stats?outline=cca-2025', token)).json;
    expect(stats.outline).toBe('cca-2025');
    expect(stats.domains).toHaveLength(5);
    expect(stats.domains.find((d: Json) => d.domain === 'fundamentals')).toMatchObject({ answered: 1, rating: answered.json.outcome.domain2025RatingAfter });
    expect((await call('GET', '/practice/stats', token)).json.domains).toHaveLength(8);
    expect((await call('GET', '/practice/stats?outline=nope', token)).status).toBe(400);

    const board = (await call('GET', '/leaderboards/rating?board=fundamentals')).json;
    expect(board.entries.map((e: Json) => e.name)).toContain('Five');
    expect((await call('GET', '/leaderboards/rating?board=nope')).status).toBe(400);

    const exam = await call('POST', '/exams', token, { outline: 'cca-2025', count: 10 });
    expect(exam.status).toBe(201);
    const done = (await call('POST', `/exams/${exam.json.id}/submit`, token)).json;
    expect(done.result.outline).toBe('cca-2025');
    expect(done.result.byDomain.map((d: Json) => d.domain)).toEqual(['fundamentals', 'architecture-components', 'kubernetes-networking', 'observability', 'securing-workloads'].filter((d) => done.result.byDomain.some((x: Json) => x.domain === d)));
    expect((await call('POST', '/exams', token, { outline: 'cca-1999' })).status).toBe(400);
  });

  it('refuses bad tokens, unserved and repeated answers, and leaves the data unchanged', async () => {
    expect((await call('POST', '/practice/next', 'x'.repeat(32), {})).json.error.code).toBe('SESSION_INVALID');
    expect((await call('GET', '/practice/stats')).status).toBe(401);
    const { token } = (await call('POST', '/profiles', undefined, { nickname: 'Ben' })).json;
    const id = bank.questions[0]!.id;
    expect(await call('POST', '/practice/answer', token, { questionId: id, choices: [0] })).toMatchObject({ status: 409, json: { error: { code: 'NOT_SERVED' } } });
    const served = (await call('POST', '/practice/next', token, {})).json.question.id;
    expect((await call('POST', '/practice/answer', token, { questionId: served, choices: 'A' })).json.error.code).toBe('BAD_REQUEST');
    expect((await call('POST', '/practice/answer', token, { questionId: served, choices: solution(served) })).status).toBe(200);
    const before = (await call('GET', '/practice/stats', token)).json;
    expect(await call('POST', '/practice/answer', token, { questionId: served, choices: solution(served) })).toMatchObject({ status: 409, json: { error: { code: 'ALREADY_ANSWERED' } } });
    expect((await call('GET', '/practice/stats', token)).json).toEqual(before);
    expect((await call('POST', '/profiles', undefined, { nickname: '\u202E' })).json.error.code).toBe('NICKNAME_INVALID');
  });

  it('two answers racing for one served question count once', async () => {
    const { token } = (await call('POST', '/profiles', undefined, { nickname: 'Cai' })).json;
    const id = (await call('POST', '/practice/next', token, {})).json.question.id;
    const results = await Promise.all([call('POST', '/practice/answer', token, { questionId: id, choices: solution(id) }), call('POST', '/practice/answer', token, { questionId: id, choices: wrong(id) })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const stats = (await call('GET', '/practice/stats', token)).json;
    expect(stats.domains.reduce((s: number, d: Json) => s + d.answered, 0)).toBe(1);
  });

  it('room play by a profiled player counts towards their stats (not rated); a bad profile token is refused', async () => {
    const { token } = (await call('POST', '/profiles', undefined, { nickname: 'Roomie' })).json;
    const host = await Bot.connect(server.url);
    const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { questionCount: 1, getReadySec: 0 } });
    if (!created.ok) throw new Error('create');
    const stranger = await Bot.connect(server.url);
    expect(await stranger.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: 'Eve', profileToken: 'z'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'SESSION_INVALID' } });
    const player = await Bot.connect(server.url);
    expect((await player.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: 'Roomie', profileToken: token })).ok).toBe(true);
    await host.call('host:command', { command: 'start' });
    const q = (await player.view((v) => v.phase === 'question')).question!;
    const onScreen = server.registry.get(created.code)!.state.questions[0]!.solution.answer; // rooms shuffle choices
    await player.call('player:answer', { questionId: q.id, choices: onScreen });
    await player.view((v) => v.phase === 'reveal');
    await server.registry.get(created.code)!.flushed();
    const stats = (await call('GET', '/practice/stats', token)).json;
    expect(stats.domains.find((d: Json) => d.domain === q.domain)).toMatchObject({ answered: 1, accuracy: 1 });
    const stats2025 = (await call('GET', '/practice/stats?outline=cca-2025', token)).json;
    expect(stats2025.domains.find((d: Json) => d.domain === bank.byId.get(q.id)!.domain2025)).toMatchObject({ answered: 1, accuracy: 1 });
    expect(stats.trend).toEqual([]); // counted, but not a rated game
    expect((await server.store.weeklyTop(isoWeek(new Date()), 10)).some((e) => e.key.startsWith('profile:'))).toBe(true);
    for (const b of [host, stranger, player]) b.close();
  });

  it('the recovery code moves the profile to another device', async () => {
    const created = (await call('POST', '/profiles', undefined, { nickname: 'Dee' })).json;
    const moved = await call('POST', '/profiles/recover', undefined, { code: created.recoveryCode });
    expect(moved.json.profile.id).toBe(created.profile.id);
    expect((await call('GET', '/me', moved.json.token)).json.profile.name).toBe('Dee');
    expect((await call('GET', '/me', created.token)).status).toBe(401);
  });
});
