import { RoomDirectory } from '../../server/cluster/directory.js';
import { Metrics } from '../../server/metrics.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock.js';
import { createReducer } from '../../server/game/reducer.js';
import { createHttpApp } from '../../server/http/app.js';
import { RoomRegistry } from '../../server/realtime/registry.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { RedisStore } from '../../server/storage/redis.js';
import type { Store } from '../../server/storage/types.js';
import { makeBank } from '../helpers/questions.js';

const json = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

const bank = makeBank(3);
const log = pino({ level: 'silent' });

async function serve(store: Store, clientDir = '/nonexistent') {
  const registry = new RoomRegistry({
    reduce: createReducer(bank),
    clock: systemClock,
    store,
    log,
    outbox: { emit: () => {}, unbound: () => {} },
    roomCap: 300,
    idleMs: 60_000,
    defaultBuzzCapMs: 250,
  });
  const rooms = new RoomDirectory({ registry, coordination: null, clock: systemClock, log, metrics: new Metrics() });
  const http = createServer(createHttpApp({ bank, store, rooms, metrics: new Metrics(), accepting: () => true, log, clientDir }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { registry, base, close: () => new Promise<void>((r) => http.close(() => r())) };
}

describe('HTTP API', () => {
  let app: Awaited<ReturnType<typeof serve>>;
  const store = new MemoryStore();
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-client-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>cca-quiz</title>');
    app = await serve(store, dir);
  });
  afterAll(() => app.close());

  it('GET /healthz and /readyz', async () => {
    expect(await json(fetch(`${app.base}/healthz`))).toEqual({ ok: true });
    const ready = await fetch(`${app.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ ok: true, store: 'memory', persistent: false });
  });

  it('GET /api/bank/stats counts by domain, type and difficulty', async () => {
    const body = await json(fetch(`${app.base}/api/bank/stats`));
    expect(body.total).toBe(24);
    expect(body.byDomain['cluster-mesh']).toBe(3);
    expect(body.byType).toEqual({ single: 8, multiple: 8, 'true-false': 8 });
    expect(Object.values(body.byDomain2025 as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(24);
  });

  it('GET /api/rooms/:code: lobby info, 404 and 400 as JSON errors', async () => {
    const created = app.registry.create({ mode: 'buzz' });
    if (!created.ok) throw new Error('room');
    const ok = await fetch(`${app.base}/api/rooms/${created.room.code.toLowerCase()}`);
    expect(await json(ok)).toEqual({ exists: true, code: created.room.code, mode: 'buzz', phase: 'lobby', playerCount: 0, teams: [], joinable: true });
    const missing = await fetch(`${app.base}/api/rooms/ZZZZZZ`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('ROOM_NOT_FOUND');
    const bad = await fetch(`${app.base}/api/rooms/not-a-code`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('BAD_REQUEST');
  });

  it('GET /api/leaderboards/weekly validates the week and returns entries', async () => {
    await store.recordQuestion({
      id: 'x',
      roomCode: 'ABCDEF',
      week: '2026-W47',
      board: 'quiz',
      domain: 'ebpf',
      scores: [],
      players: [{ key: 'seat:p1', name: 'Ana', points: 900, answered: true, correct: true, timeMs: 2000 }],
    });
    await store.recordQuestion({
      id: 'y',
      roomCode: 'ABCDEF',
      week: '2026-W47',
      board: 'exam',
      domain: 'ebpf',
      scores: [],
      players: [{ key: 'seat:p2', name: 'Ben', points: 1, answered: true, correct: true, timeMs: 0 }],
    });
    const body = await json(fetch(`${app.base}/api/leaderboards/weekly?week=2026-W47`));
    expect(body).toEqual({ week: '2026-W47', board: 'quiz', entries: [{ rank: 1, key: 'seat:p1', name: 'Ana', points: 900 }] });
    const exam = await json(fetch(`${app.base}/api/leaderboards/weekly?week=2026-W47&board=exam`));
    expect(exam).toEqual({ week: '2026-W47', board: 'exam', entries: [{ rank: 1, key: 'seat:p2', name: 'Ben', points: 1 }] });
    expect((await fetch(`${app.base}/api/leaderboards/weekly?week=banana`)).status).toBe(400);
    expect((await fetch(`${app.base}/api/leaderboards/weekly?board=rating`)).status).toBe(400);
  });

  it('unknown API paths are JSON 404s; other paths load the single-page client', async () => {
    const r = await fetch(`${app.base}/api/nope`);
    expect(r.status).toBe(404);
    expect((await json(r)).error.code).toBe('NOT_FOUND');
    const page = await fetch(`${app.base}/join/ABCDEF`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>cca-quiz</title>');
  });
});

describe('readiness follows the store', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => stopRedis(redis));

  it('/readyz turns 503 when Redis is gone', async () => {
    const store = await RedisStore.connect(redis!.url);
    const app = await serve(store);
    expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
    await redis!.stop();
    const r = await fetch(`${app.base}/readyz`);
    expect(r.status).toBe(503);
    expect(await json(r)).toMatchObject({ ok: false, store: 'redis' });
    await app.close();
    store.redis.disconnect();
  });
});
