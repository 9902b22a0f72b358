import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckFor } from '../../shared/protocol/events.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { reattachHost, resumeSeat, seatTable } from './helpers.js';

/**
 * The owner is SIGKILLed the moment an answer's ack reaches the phone, again and again: each
 * acknowledged answer must be found by the node that takes over, exactly once.
 */
const ROUNDS = 20;
// The shortest lease the config allows: each round waits for it to lapse, on purpose.
const LEASE_MS = 1_000;
// Twenty rooms from one address within a minute: more than the room-creation limit lets a stranger make.
const ENV = { ROOM_LEASE_MS: String(LEASE_MS), ROOMS_PER_IP_PER_MINUTE: '1000', LOG_LEVEL: 'info' };

describe('SIGKILL of the owner right after an ack (real processes)', () => {
  let redis: RedisServer | undefined;
  let survivor: ServerProcess | undefined;
  const killed: ServerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
    survivor = await spawnServer({ ...ENV, REDIS_URL: redis.url, NODE_ID: 'survivor' });
  }, 60_000);

  afterAll(async () => {
    for (const n of [...killed, survivor]) await n?.stop('SIGKILL');
    await stopRedis(redis);
  });

  it(`loses and doubles no acknowledged answer over ${ROUNDS} kills`, async () => {
    const b = survivor!;
    let acknowledged = 0;
    let unacknowledged = 0;
    const spawnOwner = (round: number) => spawnServer({ ...ENV, REDIS_URL: redis!.url, NODE_ID: `owner-${round}` });
    // The next owner starts while this round plays: process start-up is not what is tested.
    let nextOwner = spawnOwner(0);
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await nextOwner;
      killed.push(owner);
      if (round + 1 < ROUNDS) nextOwner = spawnOwner(round + 1);
      // Ana sits on the owner, Ben on the survivor (his calls are forwarded to the owner).
      const table = await seatTable(owner.url, [['Ana', owner.url], ['Ben', b.url]], { mode: 'classic', questionCount: 2, timeLimitSec: 120, speedScoring: false });
      try {
        await table.host.call('host:command', { command: 'start' });
        const q = await table.seats[1]!.bot.view((v) => v.phase === 'question');
        const questionId = q.question!.id;
        // Both answer at once; the first ack to arrive kills the owner on the spot.
        let killed = false;
        const kill = () => {
          if (!killed) owner.child.kill('SIGKILL');
          killed = true;
        };
        const sent = table.seats.map((seat, i) =>
          seat.bot
            .call('player:answer', { questionId, choices: [i % 2] })
            .then((ack) => {
              if (ack.ok) kill();
              return ack;
            })
            .catch(() => null as AckFor<'player:answer'> | null),
        );
        const acks = await Promise.all(sent);
        await owner.stop('SIGKILL');

        // Everyone moves to the survivor, which takes the room over once the owner's lease lapses.
        await reattachHost(table, b.url);
        await resumeSeat(table, table.seats[0]!, b.url);
        for (const [i, seat] of table.seats.entries()) {
          const ack = acks[i];
          const again = await seat.bot.call('player:answer', { questionId, choices: [i % 2] });
          if (ack?.ok) {
            acknowledged++;
            expect(again, `round ${round}: ${seat.name}'s acknowledged answer survived the kill`).toMatchObject({ ok: true, alreadyRecorded: true });
          } else {
            unacknowledged++;
            expect(again.ok, `round ${round}: ${seat.name}'s unacknowledged answer can be sent again`).toBe(true);
          }
        }
        await table.host.call('host:command', { command: 'end' });
        await table.host.view((v) => v.phase === 'finished');
        const exported = await table.host.call('host:export', {});
        if (!exported.ok) throw new Error(exported.error.message);
        expect(exported.export.answers.filter((a) => a.questionIndex === 0), `round ${round}: one answer per player`).toHaveLength(2);
      } finally {
        table.host.close();
        for (const s of table.seats) s.bot.close();
      }
    }
    expect(acknowledged, 'some answers were acknowledged before the kill').toBeGreaterThanOrEqual(ROUNDS);
    console.log(`sigkill-after-ack: ${ROUNDS} kills, ${acknowledged} acknowledged answers all kept once, ${unacknowledged} unacknowledged resent`);
  }, 300_000);
});
