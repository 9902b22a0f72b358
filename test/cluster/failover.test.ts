import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { answerAll, expectConsistentResults, nextQuestion, reattachHost, resumeSeat, seatTable, type ClusterTable } from './helpers.js';

const LEASE_MS = 2_000;

describe('two server nodes on one Redis', () => {
  let redis: RedisServer | undefined;
  const nodes: ServerProcess[] = [];
  let table: ClusterTable | undefined;

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
    for (const id of ['node-a', 'node-b']) {
      nodes.push(await spawnServer({ REDIS_URL: redis.url, NODE_ID: id, ROOM_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info' }));
    }
  }, 60_000);

  afterAll(async () => {
    table?.host.close();
    for (const s of table?.seats ?? []) s.bot.close();
    for (const n of nodes) await n.stop('SIGKILL');
    await stopRedis(redis);
  });

  it('plays one room across both nodes; when the owner is SIGKILLed mid-question the other node takes over', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    table = await seatTable(
      a.url,
      [
        ['Ana', a.url],
        ['Ben', a.url],
        ['Cai', b.url],
        ['Dee', b.url],
      ],
      { mode: 'classic', questionCount: 3, timeLimitSec: 60, speedScoring: false },
    );
    const players = table.seats;

    // Question 1 with players on both nodes; B's players get their views through the adapter.
    await table.host.call('host:command', { command: 'start' });
    const q1 = await players[2]!.bot.view((v) => v.phase === 'question' && v.question?.index === 0);
    const acks = await answerAll(players, q1);
    expect(acks.every((r) => r.ok)).toBe(true);
    const reveal1 = await players[3]!.bot.view((v) => v.phase === 'reveal');
    const scoresAfterQ1 = Object.fromEntries(reveal1.leaderboard.map((p) => [p.name, p.score]));

    // Question 2: two players answer, then the owning node dies without a word.
    const q2 = await nextQuestion(table, 1);
    expect((await players[0]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [1] })).ok).toBe(true);
    expect((await players[2]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [0] })).ok).toBe(true);
    // No pause before the kill: an acknowledged answer is already in the room's log.
    const killedAt = Date.now();
    await a.stop('SIGKILL');

    // A player who never left B: the call B forwards to the dead owner gives up within A's lease, then B takes over.
    const forwarded = await players[3]!.bot.call('player:team', { team: null });
    const forwardedAfterMs = Date.now() - killedAt;
    expect(forwarded.ok, JSON.stringify(forwarded)).toBe(true);
    expect(forwardedAfterMs, 'no longer than the lease and a takeover').toBeLessThan(LEASE_MS + 1_500);

    // Everyone on A reconnects to B with their tokens; B waits out A's lease, then runs the room.
    const hostView = await reattachHost(table, b.url);
    const resumed = await Promise.all([resumeSeat(table, players[0]!, b.url), resumeSeat(table, players[1]!, b.url)]);
    const resumedAfterMs = Date.now() - killedAt;
    expect(resumedAfterMs).toBeLessThan(10_000);
    expect(hostView.phase).toBe('question');
    expect(hostView.question?.index).toBe(1);
    expect(resumed.every((v) => v.question?.index === 1)).toBe(true);
    for (const p of hostView.leaderboard) expect(p.score, `${p.name}'s score from question 1`).toBe(scoresAfterQ1[p.name]);
    expect(b.logs.some((l) => l.msg === 'room taken over from its snapshot and log')).toBe(true);

    // Answers given before the crash still count once: the same answer resent is "already recorded", another is refused.
    const again = await players[0]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [1] });
    expect(again).toMatchObject({ ok: true, alreadyRecorded: true });
    const other = await players[0]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [0] });
    expect(other).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    // The players who never left B keep playing without reconnecting.
    expect((await players[3]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [1] })).ok).toBe(true);
    expect((await players[1]!.bot.call('player:answer', { questionId: q2.question!.id, choices: [0] })).ok).toBe(true);
    await players[2]!.bot.view((v) => v.phase === 'reveal' && v.question?.index === 1);

    // Finish the game on B and check every score and the weekly points in Redis.
    const q3 = await nextQuestion(table, 2);
    expect((await answerAll(players, q3)).every((r) => r.ok)).toBe(true);
    await table.host.view((v) => v.phase === 'reveal' && v.question?.index === 2);
    await table.host.call('host:command', { command: 'end' });
    await table.host.view((v) => v.phase === 'finished');
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.export.answers.filter((x) => x.questionIndex === 1).length).toBe(4);
    await expectConsistentResults(b.url, exported.export);
    console.log(`failover: a forwarded call answered ${forwardedAfterMs} ms and the room resumed on node B ${resumedAfterMs} ms after node A was killed (lease ${LEASE_MS} ms)`);
  }, 60_000);

  it('hands rooms over on SIGTERM: the node exits cleanly and the room moves at once, without waiting for the lease', async () => {
    const redisUrl = redis!.url;
    const c = await spawnServer({ REDIS_URL: redisUrl, NODE_ID: 'node-c', ROOM_LEASE_MS: '30000' });
    const d = await spawnServer({ REDIS_URL: redisUrl, NODE_ID: 'node-d', ROOM_LEASE_MS: '30000' });
    nodes.push(c, d);
    const t = await seatTable(c.url, [['Hal', c.url], ['Ivy', d.url]], { mode: 'classic', questionCount: 2, timeLimitSec: 60, speedScoring: false });
    try {
      await t.host.call('host:command', { command: 'start' });
      const q = await t.seats[1]!.bot.view((v) => v.phase === 'question');
      expect((await t.seats[0]!.bot.call('player:answer', { questionId: q.question!.id, choices: [0] })).ok).toBe(true);

      const stoppedAt = Date.now();
      expect(await c.stop('SIGTERM')).toBe(0);
      expect(c.logs.some((l) => l.msg === 'rooms handed over')).toBe(true);
      const hostView = await reattachHost(t, d.url);
      await resumeSeat(t, t.seats[0]!, d.url);
      // A 30 s lease would hold the room for 30 s; the handover releases it at once.
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      expect(hostView).toMatchObject({ phase: 'question', question: { index: 0 } });
      const again = await t.seats[0]!.bot.call('player:answer', { questionId: q.question!.id, choices: [0] });
      expect(again).toMatchObject({ ok: true, alreadyRecorded: true });
      const other = await t.seats[0]!.bot.call('player:answer', { questionId: q.question!.id, choices: [1] });
      expect(other).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
      expect((await t.seats[1]!.bot.call('player:answer', { questionId: q.question!.id, choices: [1] })).ok).toBe(true);
      await t.host.view((v) => v.phase === 'reveal');
    } finally {
      t.host.close();
      for (const s of t.seats) s.bot.close();
    }
  }, 60_000);
});
