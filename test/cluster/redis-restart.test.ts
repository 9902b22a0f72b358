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

  it('acknowledges nothing while Redis is down, reports not-ready, resumes from the log when it is back, and loses or doubles no score', async () => {
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

    // Question 2 while Redis is down: nothing can be written to the room's log, so nothing is acknowledged.
    const q2 = await nextQuestion(table, 1);
    await redis!.stop();
    await until('not-ready', async () => (await readiness(url)) === 503);
    const practice = await apiCall(url, 'POST', '/profiles', undefined, { nickname: 'Outage' });
    expect(practice).toMatchObject({ status: 503, json: { error: { code: 'STORE_UNAVAILABLE' } } });
    // A new room needs its code claimed in Redis: refused with a clear code (connecting still works).
    const newcomer = await Bot.connect(url);
    expect(await newcomer.call('room:create', { protocol: PROTOCOL_VERSION, settings: {} })).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    newcomer.close();
    const during = await answerAll(table.seats, q2);
    for (const r of during) expect(r.ok ? 'acked' : r.error.code).toMatch(/^(ROOM_UNAVAILABLE|STORE_UNAVAILABLE)$/);

    // Redis is back: the phones retry (as the web client does) and the room goes on from its log.
    await redis!.start();
    await until('ready again', async () => (await readiness(url)) === 200);
    await until('the answers to be accepted on retry', async () => {
      const again = await answerAll(table!.seats, q2);
      return again.every((r) => r.ok || r.error.code === 'ALREADY_ANSWERED');
    });
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 1);
    const q3 = await nextQuestion(table, 2);
    expect((await answerAll(table.seats, q3)).every((r) => r.ok)).toBe(true);
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 2);
    await table.host.call('host:command', { command: 'end' });
    await table.host.view((v) => v.phase === 'finished');
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);

    expect(exported.export.answers.filter((a) => a.questionIndex === 1)).toHaveLength(3);
    await until('the weekly points to match the scores', async () => {
      try {
        await expectConsistentResults(url, exported.export);
        return true;
      } catch {
        return false;
      }
    });
  }, 60_000);
});
