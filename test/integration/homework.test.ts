import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../helpers/http.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeStore, startTestServer, type StoreKind, type TestServer } from '../helpers/server.js';

const bank = makeBank(3);
const redis = usePrivateRedis();
const IDS = ['ebpf-0', 'service-mesh-1', 'cluster-mesh-2'];
const HOUR = 3_600_000;

describe.each<StoreKind>(['memory', 'redis'])('homework over HTTP (%s store)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url), manualClock: true });
  });
  afterAll(async () => {
    await server.close();
    await server.store.close();
  });
  const call = (method: string, path: string, token?: string, body?: unknown) => apiCall(server.url, method, `/homework${path}`, token, body);
  const now = () => server.clock!.now();
  const stored = async () => (kind === 'redis' ? (await redis.client.keys('cca:hw:*')).length : null);

  it('a lead creates, a member plays and resumes, a second attempt and a late start are refused', async () => {
    const created = await call('POST', '', undefined, { title: 'Policies', deck: { kind: 'ids', ids: IDS }, dueAt: now() + 2 * HOUR });
    expect(created.status).toBe(201);
    const { assignment, leadToken } = created.json;
    expect(assignment).toMatchObject({ questionCount: 3, open: true });
    expect((await call('GET', `/${assignment.id}`)).json.assignment.title).toBe('Policies');

    const profile = (await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Ana' })).json.token as string;
    const start = await call('POST', `/${assignment.id}/attempt`, profile, {});
    expect(start.status).toBe(200);
    expect(start.json).toMatchObject({ resumed: false, attempt: { name: 'Ana', index: 0 } });
    expect(start.json.memberToken).toBeUndefined(); // the profile is the identity
    const a0 = await call('POST', `/${assignment.id}/answers`, profile, { index: 0, choices: bank.byId.get(IDS[0]!)!.answer });
    expect(a0.json).toMatchObject({ correct: true, attempt: { index: 1, score: 1 } });
    expect((await call('GET', `/${assignment.id}/attempt`, profile)).json.attempt).toMatchObject({ index: 1, question: { id: IDS[1] } });
    expect((await call('POST', `/${assignment.id}/answers`, profile, { index: 0, choices: [0] })).json.error.code).toBe('ALREADY_ANSWERED');
    for (const i of [1, 2]) expect((await call('POST', `/${assignment.id}/answers`, profile, { index: i, choices: [0] })).status).toBe(200);
    const again = await call('POST', `/${assignment.id}/attempt`, profile, {});
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_SUBMITTED']);

    server.clock!.advance(1_000);
    const ben = await call('POST', `/${assignment.id}/attempt`, undefined, { name: 'Ben' });
    expect(ben.json.memberToken).toMatch(/^[\w-]{32}$/);
    expect((await call('POST', `/${assignment.id}/answers`, ben.json.memberToken, { index: 0, choices: [1] })).status).toBe(200);

    server.clock!.advance(2 * HOUR);
    const late = await call('POST', `/${assignment.id}/attempt`, undefined, { name: 'Cai' });
    expect([late.status, late.json.error.code]).toEqual([410, 'LATE']);
    // Ben started in time: he may finish.
    expect((await call('POST', `/${assignment.id}/attempt`, ben.json.memberToken, {})).json).toMatchObject({ resumed: true, attempt: { index: 1 } });

    const results = await call('GET', `/${assignment.id}/results`, leadToken);
    expect(results.status).toBe(200);
    expect(results.json.results.members.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([['Ana', 'finished'], ['Ben', 'in-progress']]);
    expect((await call('GET', `/${assignment.id}/results`, profile)).status).toBe(403);
    expect((await call('GET', `/${assignment.id}/results`)).status).toBe(403);

    // Ana's two misses (a profile) entered her review queue: they come back in /practice.
    server.clock!.advance(24 * HOUR);
    const next = await apiCall(server.url, 'POST', '/practice/next', profile, {});
    expect(next.json).toMatchObject({ reason: 'review' });
    expect([IDS[1], IDS[2]]).toContain(next.json.question.id);
  });

  it('bad input: clear codes, nothing stored', async () => {
    await redis.client.flushdb();
    const before = await stored();
    const bad = async (body: unknown, status: number, code: string) => {
      const r = await call('POST', '', undefined, body);
      expect([r.status, r.json.error.code], JSON.stringify(r.json)).toEqual([status, code]);
      return r.json.error.message as string;
    };
    const ok = { title: 'T', deck: { kind: 'ids', ids: IDS }, dueAt: now() + HOUR };
    expect(await bad({ ...ok, deck: { kind: 'ids' } }, 400, 'BAD_REQUEST')).toContain('deck');
    expect(await bad({ ...ok, deck: 'ids' }, 400, 'BAD_REQUEST')).toContain('deck');
    expect(await bad({ ...ok, dueAt: now() - HOUR }, 400, 'BAD_REQUEST')).toContain('dueAt');
    expect(await bad({ ...ok, dueAt: 'tomorrow' }, 400, 'BAD_REQUEST')).toContain('dueAt');
    expect(await bad({ ...ok, deck: { kind: 'ids', ids: ['nope-nope'] } }, 422, 'DECK_INVALID')).toContain('nope-nope');
    expect(await bad({ ...ok, extra: 1 }, 400, 'BAD_REQUEST')).toBeTruthy();
    expect(await bad({ ...ok, deck: { kind: 'upload', yaml: '- '.repeat(110 * 1024) } }, 400, 'BAD_REQUEST')).toContain('200 KB');
    expect(await bad({ ...ok, deck: { kind: 'upload', yaml: 'not: [a list' } }, 422, 'DECK_INVALID')).toContain('YAML');
    const huge = await fetch(`${server.url}/api/homework`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ok, title: 'x'.repeat(600 * 1024) }) });
    expect([huge.status, ((await huge.json()) as { error: { code: string } }).error.code]).toEqual([413, 'DECK_TOO_LARGE']);
    const broken = await fetch(`${server.url}/api/homework`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' });
    expect(broken.status).toBe(400);
    expect(await stored()).toEqual(before);
    for (const path of ['/AAAAAAAAAAAA', '/AAAAAAAAAAAA/results', '/AAAAAAAAAAAA/attempt']) {
      const r = await call('GET', path);
      expect([r.status, r.json.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await call('GET', '/short')).status).toBe(400);
    const r = await call('POST', '/AAAAAAAAAAAA/answers', undefined, { index: 'x', choices: [] });
    expect(r.json.error.code).toBe('BAD_REQUEST');
    expect(await stored()).toEqual(before);
  });
});

describe('homework rate limits', () => {
  it('refuses a flood from one address with 429 RATE_LIMITED, creations on a tighter budget', async () => {
    const express = (await import('express')).default;
    const { mountHomework } = await import('../../server/http/homework-routes.js');
    const { HomeworkService } = await import('../../server/homework/service.js');
    const { MemoryHomeworkStore } = await import('../../server/homework/store.js');
    const { Profiles } = await import('../../server/practice/profiles.js');
    const { MemoryProfileStore } = await import('../../server/practice/profile-stores.js');
    const app = express();
    const homework = new HomeworkService(bank, new MemoryHomeworkStore(), { now: Date.now });
    mountHomework(app, { homework, profiles: new Profiles(new MemoryProfileStore()), requestsPerMinute: 5, createsPerMinute: 2 });
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    try {
      const body = { title: 'T', deck: { kind: 'ids', ids: IDS }, dueAt: Date.now() + HOUR };
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await apiCall(url, 'POST', '/homework', undefined, body)).status);
      expect(codes).toEqual([201, 201, 429]);
      const more = [];
      for (let i = 0; i < 3; i++) more.push(await apiCall(url, 'GET', '/homework/AAAAAAAAAAAA'));
      expect(more.map((r) => r.status)).toEqual([404, 404, 429]);
      expect(more[2]!.json.error.code).toBe('RATE_LIMITED');
    } finally {
      http.close();
    }
  });
});
