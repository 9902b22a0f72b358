import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { apiCall } from '../helpers/http.js';
import { answerAll, expectConsistentResults, nextQuestion, seatTable, type ClusterTable } from './helpers.js';

async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis restarts mid-game (append-only persistence)', () => {
  let redis: RedisServer | undefined;
  let node: ServerProcess | undefined;
  let table: ClusterTable | undefined;

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
    node = await spawnServer({ REDIS_URL: redis.url, ROOM_LEASE_MS: '2000' });
  }, 30_000);

  afterAll(async () => {
    table?.host.close();
    for (const s of table?.seats ?? []) s.bot.close();
    await node?.stop('SIGKILL');
    await stopRedis(redis);
  });

  it('keeps the room playing while Redis is down, reports not-ready, and loses or doubles no score', async () => {
    const url = node!.url;
    table = await seatTable(
      url,
      [
        ['Eve', url],
        ['Fox', url],
        ['Gus', url],
      ],
      { mode: 'classic', questionCount: 3, timeLimitSec: 60, speedScoring: false },
    );
    await table.host.call('host:command', { command: 'start' });
    const q1 = await table.host.view((v) => v.phase === 'question' && v.question?.index === 0);
    expect((await answerAll(table.seats, q1)).every((r) => r.ok)).toBe(true);
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 0);

    // Question 2 is played entirely while Redis is down, longer than a room lease.
    const q2 = await nextQuestion(table, 1);
    await redis!.stop();
    await until('not-ready', async () => (await readiness(url)) === 503);
    const practice = await apiCall(url, 'POST', '/profiles', undefined, { nickname: 'Outage' });
    expect(practice).toMatchObject({ status: 503, json: { error: { code: 'STORE_UNAVAILABLE' } } });
    // A new room needs its code claimed in Redis: refused with a clear code (connecting still works).
    const newcomer = await Bot.connect(url);
    expect(await newcomer.call('room:create', { protocol: PROTOCOL_VERSION, settings: {} })).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    newcomer.close();
    expect((await answerAll(table.seats, q2)).every((r) => r.ok)).toBe(true);
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 1);
    const q3 = await nextQuestion(table, 2);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await readiness(url)).toBe(503);

    await redis!.start();
    await until('ready again', async () => (await readiness(url)) === 200);
    expect((await answerAll(table.seats, q3)).every((r) => r.ok)).toBe(true);
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 2);
    await table.host.call('host:command', { command: 'end' });
    await table.host.view((v) => v.phase === 'finished');
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);

    // The write that failed during the outage is retried once Redis is back; the guard makes it count once.
    await until('the queued writes to land', async () => node!.logs.some((l) => String(l.msg).startsWith('store write landed')));
    await new Promise((r) => setTimeout(r, 500));
    await expectConsistentResults(url, exported.export);
    expect(node!.logs.some((l) => l.msg === 'room lease lost to another node; its sockets follow the new owner')).toBe(false);
  }, 60_000);
});
