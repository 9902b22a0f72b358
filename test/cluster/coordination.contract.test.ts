import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLeases, RedisLeases, type LeaseStore } from '../../server/cluster/leases.js';
import { MemoryRoomLog, RedisRoomLog, type RoomLogStore } from '../../server/cluster/room-log.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * One contract for both implementations of room leases and room logs. Time is a number passed in
 * (the nodes' injected clocks), so expiry is tested without waiting on either store.
 */
interface Coordination {
  leases: LeaseStore;
  log: RoomLogStore;
}

const LEASE = 2_000;
const TTL = 60_000;
let room = 0;
const fresh = () => `ROOM${String(++room).padStart(2, '0')}`;

function contract(name: string, make: () => Promise<Coordination>, cleanup: () => Promise<void> = async () => {}) {
  describe(name, () => {
    let c: Coordination;
    beforeAll(async () => {
      c = await make();
    });
    afterAll(cleanup);
    let code: string;
    beforeEach(() => {
      code = fresh();
    });

    describe('leases', () => {
      it('[L1] a free room goes to the first node, at epoch 1; another node cannot take it while it runs', async () => {
        expect(await c.leases.acquire(code, 'a', 1_000, LEASE)).toEqual({ holder: 'a', epoch: 1, expiresAt: 3_000 });
        expect(await c.leases.acquire(code, 'b', 2_999, LEASE)).toBeNull();
        expect(await c.leases.read(code)).toEqual({ holder: 'a', epoch: 1, expiresAt: 3_000 });
      });

      it('[L2] an expired lease can be taken, and every acquisition (even by the same node) bumps the epoch', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        expect((await c.leases.acquire(code, 'b', 2_000, LEASE))?.epoch).toBe(2);
        expect((await c.leases.acquire(code, 'b', 2_100, LEASE))?.epoch).toBe(3);
      });

      it('[L3] renewal extends only a lease held at that epoch, and keeps the epoch', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        expect(await c.leases.renew([{ code, epoch: 1 }], 'a', 1_500, LEASE)).toEqual([true]);
        expect(await c.leases.read(code)).toEqual({ holder: 'a', epoch: 1, expiresAt: 3_500 });
        expect(await c.leases.renew([{ code, epoch: 2 }], 'a', 1_600, LEASE)).toEqual([false]);
        expect(await c.leases.renew([{ code, epoch: 1 }], 'b', 1_600, LEASE)).toEqual([false]);
      });

      it('[L4] a lapsed lease nobody took is renewed back; one another node took is reported lost', async () => {
        const other = fresh();
        await c.leases.acquire(code, 'a', 0, LEASE);
        await c.leases.acquire(other, 'a', 0, LEASE);
        await c.leases.acquire(other, 'b', 5_000, LEASE); // a was cut off too long
        expect(await c.leases.renew([{ code, epoch: 1 }, { code: other, epoch: 1 }], 'a', 6_000, LEASE)).toEqual([true, false]);
        expect((await c.leases.read(code))?.expiresAt).toBe(8_000);
        expect((await c.leases.read(other))?.holder).toBe('b');
      });

      it('[L5] release frees the room only for its holder at its epoch; the epoch counter survives', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        await c.leases.release(code, { nodeId: 'b', epoch: 1 });
        await c.leases.release(code, { nodeId: 'a', epoch: 7 });
        expect((await c.leases.read(code))?.holder).toBe('a');
        await c.leases.release(code, { nodeId: 'a', epoch: 1 });
        expect(await c.leases.read(code)).toBeNull();
        expect((await c.leases.acquire(code, 'b', 10, LEASE))?.epoch).toBe(2);
      });

      it('[L6] a room nobody ever held reads as null', async () => {
        expect(await c.leases.read(code)).toBeNull();
      });
    });

    describe('room log', () => {
      const e = (seq: number) => JSON.stringify({ seq, n: seq });

      it('[R1] appends in sequence from 1 while the lease is held at that epoch', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        expect(await c.log.append(code, fence, 10, 1, [e(1), e(2)], TTL)).toEqual({ ok: true, last: 2 });
        expect(await c.log.append(code, fence, 20, 3, [e(3)], TTL)).toEqual({ ok: true, last: 3 });
        expect(await c.log.load(code)).toEqual({ snapshot: null, first: 1, entries: [e(1), e(2), e(3)] });
      });

      it('[R2] refuses a duplicate, a gap or a rewind, and keeps the log unchanged', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        await c.log.append(code, fence, 10, 1, [e(1), e(2)], TTL);
        expect(await c.log.append(code, fence, 11, 2, [e(2)], TTL)).toEqual({ ok: false, reason: 'out-of-order' });
        expect(await c.log.append(code, fence, 11, 4, [e(4)], TTL)).toEqual({ ok: false, reason: 'out-of-order' });
        expect((await c.log.load(code)).entries).toEqual([e(1), e(2)]);
      });

      it('[R3] is fenced: another node, an old epoch, or an expired lease cannot append or snapshot', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        await c.log.append(code, { nodeId: 'a', epoch: 1 }, 10, 1, [e(1)], TTL);
        expect(await c.log.append(code, { nodeId: 'a', epoch: 1 }, 2_000, 2, [e(2)], TTL)).toEqual({ ok: false, reason: 'fenced' });
        await c.leases.acquire(code, 'b', 2_500, LEASE); // b took over at epoch 2
        expect(await c.log.append(code, { nodeId: 'a', epoch: 1 }, 2_600, 2, [e(2)], TTL)).toEqual({ ok: false, reason: 'fenced' });
        expect(await c.log.saveSnapshot(code, { nodeId: 'a', epoch: 1 }, 2_600, 1, 'snap-a', TTL)).toEqual({ ok: false, reason: 'fenced' });
        expect(await c.log.append(code, { nodeId: 'b', epoch: 2 }, 2_600, 2, [e(2)], TTL)).toEqual({ ok: true, last: 2 });
        expect((await c.log.load(code)).snapshot).toBeNull();
      });

      it('[R4] a snapshot at seq N drops entries up to N and keeps the rest; loading returns both together', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        await c.log.append(code, fence, 10, 1, [e(1), e(2), e(3)], TTL);
        expect(await c.log.saveSnapshot(code, fence, 20, 2, 'snap@2', TTL)).toEqual({ ok: true, last: 3 });
        expect(await c.log.load(code)).toEqual({ snapshot: 'snap@2', first: 3, entries: [e(3)] });
        expect(await c.log.append(code, fence, 30, 4, [e(4)], TTL)).toEqual({ ok: true, last: 4 });
        expect(await c.log.append(code, fence, 30, 3, [e(3)], TTL)).toEqual({ ok: false, reason: 'out-of-order' });
        expect(await c.log.load(code)).toEqual({ snapshot: 'snap@2', first: 3, entries: [e(3), e(4)] });
      });

      it('[R5] a snapshot may not claim entries that are not in the log', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        expect(await c.log.saveSnapshot(code, fence, 10, 0, 'snap@0', TTL)).toEqual({ ok: true, last: 0 });
        expect(await c.log.saveSnapshot(code, fence, 10, 1, 'snap@1', TTL)).toEqual({ ok: false, reason: 'out-of-order' });
        expect((await c.log.load(code)).snapshot).toBe('snap@0');
      });

      it('[R6] a snapshot that discards the rest leaves only its prefix; appends continue after it', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        await c.log.append(code, fence, 10, 1, [e(1), e(2), 'torn{', e(4)], TTL);
        expect((await c.log.saveSnapshot(code, fence, 20, 2, 'snap@2', TTL, { discardRest: true })).ok).toBe(true);
        expect(await c.log.load(code)).toEqual({ snapshot: 'snap@2', first: 3, entries: [] });
        expect(await c.log.append(code, fence, 30, 3, [e(3)], TTL)).toEqual({ ok: true, last: 3 });
      });

      it('[R7] several rooms append in one call, each fenced and numbered on its own', async () => {
        const [other, third, fourth] = [fresh(), fresh(), fresh()];
        await c.leases.acquire(code, 'a', 0, LEASE);
        await c.leases.acquire(other, 'b', 0, LEASE);
        await c.leases.acquire(third, 'a', 0, LEASE);
        await c.leases.acquire(fourth, 'b', 0, LEASE);
        const results = await c.log.appendMany(
          [
            { code, fence: { nodeId: 'a', epoch: 1 }, firstSeq: 1, entries: [e(1), e(2)] },
            { code: other, fence: { nodeId: 'a', epoch: 1 }, firstSeq: 1, entries: [e(1)] },
            { code: third, fence: { nodeId: 'a', epoch: 1 }, firstSeq: 2, entries: [e(2)] },
            { code: fourth, fence: { nodeId: 'b', epoch: 1 }, firstSeq: 1, entries: [e(1), e(2), e(3)] },
          ],
          10,
          TTL,
        );
        expect(results).toEqual([{ ok: true, last: 2 }, { ok: false, reason: 'fenced' }, { ok: false, reason: 'out-of-order' }, { ok: true, last: 3 }]);
        expect((await c.log.load(code)).entries).toEqual([e(1), e(2)]);
        expect((await c.log.load(other)).entries).toEqual([]);
        expect((await c.log.load(third)).entries).toEqual([]);
        expect((await c.log.load(fourth)).entries).toEqual([e(1), e(2), e(3)]);
        expect(await c.log.appendMany([], 10, TTL)).toEqual([]);
      });

      it('[R7b] a batch bigger than one script run keeps every room\'s own result, in order', async () => {
        const codes = Array.from({ length: 450 }, () => fresh());
        for (const [i, room] of codes.entries()) if (i % 3 !== 1) await c.leases.acquire(room, 'a', 0, LEASE);
        const results = await c.log.appendMany(
          codes.map((room) => ({ code: room, fence: { nodeId: 'a', epoch: 1 }, firstSeq: 1, entries: [e(1)] })),
          10,
          TTL,
        );
        expect(results).toEqual(codes.map((_, i) => (i % 3 === 1 ? { ok: false, reason: 'fenced' } : { ok: true, last: 1 })));
        expect(await c.leases.renew(codes.map((room) => ({ code: room, epoch: 1 })), 'a', 20, LEASE)).toEqual(codes.map((_, i) => i % 3 !== 1));
      });

      it('[R8] only the holder drops a closed room; afterwards nothing is left', async () => {
        await c.leases.acquire(code, 'a', 0, LEASE);
        const fence = { nodeId: 'a', epoch: 1 };
        await c.log.append(code, fence, 10, 1, [e(1)], TTL);
        await c.log.saveSnapshot(code, fence, 10, 1, 'snap', TTL);
        await c.log.drop(code, { nodeId: 'b', epoch: 1 }, 20);
        expect((await c.log.load(code)).snapshot).toBe('snap');
        await c.log.drop(code, fence, 20);
        expect(await c.log.load(code)).toEqual({ snapshot: null, first: 1, entries: [] });
      });
    });
  });
}

contract('coordination contract: memory', async () => {
  const leases = new MemoryLeases();
  return { leases, log: new MemoryRoomLog(leases) };
});

let server: RedisServer | undefined;
let redis: Redis | undefined;
contract(
  'coordination contract: real redis-server',
  async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    return { leases: new RedisLeases(redis), log: new RedisRoomLog(redis) };
  },
  async () => {
    redis?.disconnect();
    await stopRedis(server);
  },
);
