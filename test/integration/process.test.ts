import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../server/storage/redis.js';
import { closeTable, setTable } from '../helpers/server.js';
import { spawnServer } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

describe('the server process', () => {
  it('starts with no Redis, says scores are in memory only, serves /healthz and stops cleanly on SIGTERM', async () => {
    const server = await spawnServer({});
    expect(server.logs.some((l) => String(l.msg).includes('kept in memory only'))).toBe(true);
    expect(server.logs.find((l) => String(l.msg).includes('listening'))).toMatchObject({ questions: expect.any(Number), store: 'memory' });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('refuses to start on a bad variable, naming it in one line', async () => {
    await expect(spawnServer({ PORT: 'eighty' })).rejects.toThrow(/Invalid configuration: PORT must be a whole number 0-65535 \(got "eighty"\)/);
  });
});

describe('with REDIS_URL', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
  });
  afterAll(() => stopRedis(redis));

  it('weekly leaderboard and player stats survive a server restart', async () => {
    const first = await spawnServer({ REDIS_URL: redis!.url });
    expect(first.logs.some((l) => String(l.msg).includes('kept in memory only'))).toBe(false);
    const table = await setTable(first.url, ['Ana', 'Ben'], { questionCount: 1, speedScoring: false, streakBonus: false });
    await table.host.call('host:command', { command: 'start' });
    const q = (await table.players[0]!.bot.view((v) => v.phase === 'question')).question!;
    // Both answer the same choice: exactly one of the two scripted outcomes is right, whatever the key.
    await table.players[0]!.bot.call('player:answer', { questionId: q.id, choices: [0] });
    await table.players[1]!.bot.call('player:answer', { questionId: q.id, choices: [0] });
    const reveal = await table.players[0]!.bot.view((v) => v.phase === 'reveal');
    const points = reveal.me!.lastResult!.points;
    const benId = table.players[1]!.playerId;
    closeTable(table);
    expect(await first.stop()).toBe(0);

    const second = await spawnServer({ REDIS_URL: redis!.url });
    const weekly = (await (await fetch(`${second.url}/api/leaderboards/weekly`)).json()) as { entries: { name: string; points: number }[] };
    expect(weekly.entries.map((e) => [e.name, e.points]).sort()).toEqual(points ? [['Ana', 1000], ['Ben', 1000]] : []);
    await second.stop();
    const store = await RedisStore.connect(redis!.url);
    const stats = await store.playerStats(`seat:${benId}`);
    expect(stats).toEqual([{ domain: q.domain, answered: 1, correct: points ? 1 : 0, totalTimeMs: expect.any(Number) }]);
    await store.close();
  });
});
