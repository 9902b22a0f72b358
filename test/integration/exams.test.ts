import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, type Json } from '../helpers/http.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeStore, startTestServer, type StoreKind, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const redis = usePrivateRedis();


describe.each<StoreKind>(['memory', 'redis'])('mock exams over HTTP (%s store)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url), manualClock: true });
  });
  afterAll(async () => {
    await server.close();
    await server.store.close();
  });

  const call = (method: string, path: string, token?: string, body?: unknown) => apiCall(server.url, method, path, token, body);
  const profile = async (name: string): Promise<string> => (await call('POST', '/profiles', undefined, { nickname: name })).json.token;

  it('a 5-question exam: no solutions before submitting, then score, pass/fail, per-domain debrief and explanations', async () => {
    const token = await profile('Eve');
    const started = await call('POST', '/exams', token, { count: 5, durationMinutes: 10 });
    expect(started.status).toBe(201);
    const exam = started.json;
    expect(exam.questions).toHaveLength(5);
    expect(exam.passMark).toBe(75);
    expect(exam.passMarkOfficial).toBe(false);
    expect(JSON.stringify(exam)).not.toContain(bank.questions[0]!.explanation);
    // Right on the first four, the last one left blank but flagged; navigation is free (any order).
    for (const i of [3, 0, 2, 1]) {
      const q = bank.byId.get(exam.questions[i].id)!;
      expect((await call('PUT', `/exams/${exam.id}/answers/${i}`, token, { choices: q.answer })).status).toBe(200);
    }
    const flagged = await call('PUT', `/exams/${exam.id}/answers/4`, token, { choices: null, flagged: true });
    expect(flagged.json.flags).toEqual([false, false, false, false, true]);
    const done = await call('POST', `/exams/${exam.id}/submit`, token);
    expect(done.json.result).toMatchObject({ correct: 4, total: 5, percent: 80, passMark: 75, passed: true, timedOut: false });
    expect(done.json.result.byDomain.reduce((s: number, d: Json) => s + d.total, 0)).toBe(5);
    expect(done.json.result.questions[4]).toMatchObject({ yourAnswer: null, correct: false, flagged: true, explanation: expect.any(String) });

    // Submitting twice, or answering after, changes nothing.
    expect(await call('POST', `/exams/${exam.id}/submit`, token)).toMatchObject({ status: 409, json: { error: { code: 'ALREADY_SUBMITTED' } } });
    expect((await call('PUT', `/exams/${exam.id}/answers/4`, token, { choices: [0] })).json.error.code).toBe('ALREADY_SUBMITTED');
    expect((await call('GET', `/exams/${exam.id}`, token)).json.result.correct).toBe(4);
    expect((await call('GET', '/exams', token)).json.exams).toEqual([expect.objectContaining({ id: exam.id, status: 'submitted', percent: 80, passed: true })]);

    // Another profile cannot see it; a bad token is refused.
    expect((await call('GET', `/exams/${exam.id}`, await profile('Mallory'))).status).toBe(404);
    expect((await call('GET', `/exams/${exam.id}`, 'y'.repeat(32))).status).toBe(401);
  });

  it('two racing submits: one lands', async () => {
    const token = await profile('Fay');
    const exam = (await call('POST', '/exams', token, { count: 3 })).json;
    const both = await Promise.all([call('POST', `/exams/${exam.id}/submit`, token), call('POST', `/exams/${exam.id}/submit`, token)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('submits itself when the clock runs out', async () => {
    const token = await profile('Gus');
    const exam = (await call('POST', '/exams', token, { count: 3, durationMinutes: 1 })).json;
    server.clock!.advance(60_000);
    const late = await call('GET', `/exams/${exam.id}`, token);
    expect(late.json).toMatchObject({ status: 'submitted', result: { timedOut: true, correct: 0, passed: false } });
    expect((await call('PUT', `/exams/${exam.id}/answers/0`, token, { choices: [0] })).json.error.code).toBe('ALREADY_SUBMITTED');
  });
});
