import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../helpers/http.js';
import { storedQuestion, writeBank } from '../helpers/fixture-bank.js';
import { spawnServer } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

// A small bank of its own: the test does not depend on the real bank's content.
const BANK = writeBank({ 'ebpf/maps.yaml': ['hw-r-1', 'hw-r-2', 'hw-r-3'].map((id) => storedQuestion(id, { fact: id })) });

describe('homework with REDIS_URL', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
  });
  afterAll(() => stopRedis(redis));

  it('an assignment, its attempts and results survive a server restart (and a Redis restart)', async () => {
    const env = { REDIS_URL: redis!.url, BANK_DIR: BANK };
    const first = await spawnServer(env);
    const call = (url: string, method: string, path: string, token?: string, body?: unknown) => apiCall(url, method, `/homework${path}`, token, body);
    const created = await call(first.url, 'POST', '', undefined, { title: 'Maps week', deck: { kind: 'ids', ids: ['hw-r-1', 'hw-r-2', 'hw-r-3'] }, dueAt: Date.now() + 3_600_000 });
    expect(created.status).toBe(201);
    const { assignment, leadToken } = created.json;
    const ana = (await apiCall(first.url, 'POST', '/profiles', undefined, { nickname: 'Ana' })).json.token as string;
    await call(first.url, 'POST', `/${assignment.id}/attempt`, ana, {});
    for (const index of [0, 1, 2]) expect((await call(first.url, 'POST', `/${assignment.id}/answers`, ana, { index, choices: [index === 1 ? 1 : 0] })).status).toBe(200);
    const ben = (await call(first.url, 'POST', `/${assignment.id}/attempt`, undefined, { name: 'Ben' })).json.memberToken as string;
    await call(first.url, 'POST', `/${assignment.id}/answers`, ben, { index: 0, choices: [2] });
    const before = (await call(first.url, 'GET', `/${assignment.id}/results`, leadToken)).json.results;
    expect(await first.stop()).toBe(0);
    await redis!.restart();

    const second = await spawnServer(env);
    try {
      const after = (await call(second.url, 'GET', `/${assignment.id}/results`, leadToken)).json.results;
      expect({ ...after, exportedAt: null, assignment: { ...after.assignment, serverTime: 0 } }).toEqual({ ...before, exportedAt: null, assignment: { ...before.assignment, serverTime: 0 } });
      expect(after.members.map((m: { name: string; grid: unknown }) => [m.name, m.grid])).toEqual([
        ['Ana', ['right', 'wrong', 'right']],
        ['Ben', ['wrong', null, null]],
      ]);
      expect(after.domains).toEqual([{ domain: 'ebpf', answered: 4, correct: 2, accuracy: 0.5 }]);
      // Ben resumes on the second server where he stopped; Ana's one attempt is still spent.
      expect((await call(second.url, 'POST', `/${assignment.id}/attempt`, ben, {})).json).toMatchObject({ resumed: true, attempt: { index: 1, score: 0 } });
      expect((await call(second.url, 'POST', `/${assignment.id}/attempt`, ana, {})).json.error.code).toBe('ALREADY_SUBMITTED');
    } finally {
      await second.stop();
    }
  }, 60_000);
});
