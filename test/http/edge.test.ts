import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../helpers/http.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';
import { rawRequest } from '../helpers/raw-http.js';
import { startRedis, stopRedis } from '../helpers/redis-server.js';
import { makeStore, startTestServer, type StoreKind, type TestServer } from '../helpers/server.js';

/** What issue 16 saw over HTTP, one check each, on both stores. */

const redis = usePrivateRedis();
const bank = makeBank(3);
const json = { 'content-type': 'application/json' };
const MB = 1024 * 1024;

function edge(kind: StoreKind) {
  describe(`the HTTP edge (${kind} store)`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ bank, store: await makeStore(kind, kind === 'redis' ? redis.url : undefined), env: { METRICS_TOKEN: 'metrics-secret-0123456789' } });
    });
    afterAll(() => server.close());

    it('answers malformed, oversized and wrongly encoded bodies with 400, 413 or 415, never 500', async () => {
      const cases: [string, Record<string, string>, Buffer | string, number, string][] = [
        ['truncated JSON', json, '{"nickname":"A', 400, 'BAD_REQUEST'],
        ['invalid JSON', json, '{nickname}', 400, 'BAD_REQUEST'],
        ['null', json, 'null', 400, 'BAD_REQUEST'],
        ['a bare string', json, '"Ana"', 400, 'BAD_REQUEST'],
        ['1 MB', json, JSON.stringify({ nickname: 'x'.repeat(MB) }), 413, 'PAYLOAD_TOO_LARGE'],
        ['10 MB', json, JSON.stringify({ nickname: 'x'.repeat(10 * MB) }), 413, 'PAYLOAD_TOO_LARGE'],
        ['bad charset', { 'content-type': 'application/json; charset=koi8-r' }, '{"nickname":"Ana"}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['bad content-encoding', { ...json, 'content-encoding': 'zstd-nope' }, '{"nickname":"Ana"}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['broken gzip', { ...json, 'content-encoding': 'gzip' }, gzipSync('{"nickname":"Ana"}').subarray(0, 12), 400, 'BAD_REQUEST'],
        ['a wrong content type', { 'content-type': 'text/plain' }, '{"nickname":"Ana"}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ];
      for (const [name, headers, body, status, code] of cases) {
        const r = await rawRequest(server.url, 'POST', '/api/profiles', headers, body);
        expect([name, r.status, r.json?.error?.code]).toEqual([name, status, code]);
      }
      const gzipped = await rawRequest(server.url, 'POST', '/api/profiles', { ...json, 'content-encoding': 'gzip' }, gzipSync('{"nickname":"Ana"}'));
      expect(gzipped.status).toBe(201);
    });

    it('answers an undecodable path (%ff) with 400', async () => {
      for (const path of ['/api/rooms/%ff', '/api/rooms/%ff/leaderboard', '/api/homework/%ff/attempt', '/api/exams/%ff']) {
        const r = await rawRequest(server.url, 'GET', path);
        expect([path, r.status, r.json?.error?.code]).toEqual([path, 400, 'BAD_REQUEST']);
      }
    });

    it('refuses ?limit=1.5 with 400 like the other bad parameters, on this store too', async () => {
      await server.store.setRoomScores('ABCDEF', [{ playerId: 'p1', name: 'Ana', score: 10 }]);
      for (const path of ['/leaderboards/weekly?limit=1.5', '/questions/flags?limit=1.5', '/rooms/ABCDEF/leaderboard?limit=1.5', '/leaderboards/rating?limit=1.5', '/questions/flags?offset=-2', '/leaderboards/weekly?limit=abc']) {
        const r = await apiCall(server.url, 'GET', path);
        expect([path, r.status, r.json.error?.code]).toEqual([path, 400, 'BAD_REQUEST']);
      }
    });

    it('pages room leaderboards past 100 entries with limit, offset and total', async () => {
      const scores = Array.from({ length: 250 }, (_, i) => ({ playerId: `p${String(i).padStart(3, '0')}`, name: `P${i}`, score: 1000 - i }));
      await server.store.setRoomScores('BCDEFG', scores);
      const first = await apiCall(server.url, 'GET', '/rooms/BCDEFG/leaderboard');
      expect(first.json).toMatchObject({ code: 'BCDEFG', total: 250, limit: 100, offset: 0 });
      expect(first.json.entries).toHaveLength(100);
      const last = await apiCall(server.url, 'GET', '/rooms/BCDEFG/leaderboard?limit=100&offset=200');
      expect(last.json.entries).toHaveLength(50);
      expect(last.json.entries[0]).toEqual({ rank: 201, playerId: 'p200', name: 'P200', score: 800 });
    });

    it('lists flags a page at a time, without room codes', async () => {
      for (let i = 0; i < 3; i++) await server.store.addFlag({ questionId: `ebpf-${i}`, reason: 'unclear', roomCode: 'CDEFGH', by: `p${i}`, at: new Date() });
      const page = await apiCall(server.url, 'GET', '/questions/flags?limit=2');
      expect(page.json).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page.json.flags).toHaveLength(2);
      expect((await apiCall(server.url, 'GET', '/questions/flags?limit=2&offset=2')).json.flags).toHaveLength(1);
      expect(JSON.stringify(page.json)).not.toContain('CDEFGH');
      expect(JSON.stringify(page.json)).not.toContain('roomCode');
    });

    it('gives exactly one of several parallel recoveries with one code a token, and a new code', async () => {
      const created = await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Dee' });
      const tries = await Promise.all(Array.from({ length: 12 }, () => apiCall(server.url, 'POST', '/profiles/recover', undefined, { code: created.json.recoveryCode })));
      const won = tries.filter((t) => t.status === 200);
      expect(won).toHaveLength(1);
      expect(tries.filter((t) => t.status === 401).every((t) => t.json.error.code === 'SESSION_INVALID')).toBe(true);
      expect((await apiCall(server.url, 'GET', '/me', won[0]!.json.token)).status).toBe(200);
      // The code seen once is spent; the new one works once.
      expect(won[0]!.json.recoveryCode).not.toBe(created.json.recoveryCode);
      expect((await apiCall(server.url, 'POST', '/profiles/recover', undefined, { code: created.json.recoveryCode })).status).toBe(401);
      expect((await apiCall(server.url, 'POST', '/profiles/recover', undefined, { code: won[0]!.json.recoveryCode })).status).toBe(200);
    });

    it('keeps /metrics for the holder of METRICS_TOKEN', async () => {
      const anon = await fetch(`${server.url}/metrics`);
      expect(anon.status).toBe(401);
      expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('SESSION_INVALID');
      expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-0123456789' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('cca_connected_sockets');
    });
  });
}

edge('memory');
edge('redis');

describe('slow and half-sent requests', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory'), env: { HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600' } });
  });
  afterAll(() => server.close());

  /** Opens a raw socket to the server, writes `text` and never more; resolves with how long until the server closed it. */
  const heldOpen = (text: string) =>
    new Promise<{ ms: number; reply: string }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
      let reply = '';
      socket.on('data', (b) => (reply += b.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ ms: Date.now() - started, reply }));
      setTimeout(() => reject(new Error('the server kept a half-sent request open for 10 s')), 10_000).unref();
    });

  it('closes a connection whose headers never finish', async () => {
    const r = await heldOpen('GET /api/bank/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(r.ms).toBeLessThan(5_000);
    expect(r.reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body never finishes', async () => {
    const r = await heldOpen('POST /api/profiles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"nick');
    expect(r.ms).toBeLessThan(5_000);
  });
});

describe('/readyz reports persistence as Redis reports it', () => {
  it('false for a Redis without append-only file or RDB saves, true with append-only on, false in memory', async () => {
    const memory = await startTestServer({ bank, store: await makeStore('memory') });
    expect(await (await fetch(`${memory.url}/readyz`)).json()).toMatchObject({ persistent: false });
    await memory.close();

    const plain = await startTestServer({ bank, store: await makeStore('redis', redis.url) });
    expect(await (await fetch(`${plain.url}/readyz`)).json()).toMatchObject({ store: 'redis', persistent: false, persistence: { aof: false, rdb: false } });
    await plain.close();
    await plain.store.close();

    const durable = await startRedis({ appendOnly: true });
    try {
      const app = await startTestServer({ bank, store: await makeStore('redis', durable.url) });
      expect(await (await fetch(`${app.url}/readyz`)).json()).toMatchObject({ persistent: true, persistence: { aof: true } });
      await app.close();
      await app.store.close();
    } finally {
      await stopRedis(durable);
    }
  });
});

describe('idle practice profiles expire', () => {
  it('one that never answered is gone after PROFILE_IDLE_DAYS; one that answered stays', async () => {
    const server = await startTestServer({ bank, store: await makeStore('memory'), manualClock: true, env: { PROFILE_IDLE_DAYS: '7' } });
    try {
      const idle = (await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Idle' })).json;
      const busy = (await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Busy' })).json;
      const next = await apiCall(server.url, 'POST', '/practice/next', busy.token, {});
      expect((await apiCall(server.url, 'POST', '/practice/answer', busy.token, { questionId: next.json.question.id, choices: [0] })).status).toBe(200);
      server.clock!.advance(7 * 24 * 3_600_000 + 1);
      expect((await apiCall(server.url, 'GET', '/me', idle.token)).status).toBe(401);
      expect((await apiCall(server.url, 'POST', '/profiles/recover', undefined, { code: idle.recoveryCode })).status).toBe(401);
      expect((await apiCall(server.url, 'GET', '/me', busy.token)).json.profile.name).toBe('Busy');
    } finally {
      await server.close();
    }
  });
});
