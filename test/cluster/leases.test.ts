import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../server/cluster/cluster.js';
import { clientAddress } from '../../server/realtime/limits.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

describe('room leases (real redis-server)', () => {
  let server: RedisServer | undefined;
  let redis: Redis;
  let a: Cluster;
  let b: Cluster;

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    a = new Cluster(redis, { leaseMs: 10_000, nodeId: 'a' });
    b = new Cluster(redis, { leaseMs: 10_000, nodeId: 'b' });
  });
  afterAll(async () => {
    redis.disconnect();
    await stopRedis(server);
  });

  it('gives a room to one node at a time and fences snapshot writes by the lease', async () => {
    expect(await a.acquire('ROOM01')).toBe(true);
    expect(await b.acquire('ROOM01')).toBe(false);
    expect(await a.acquire('ROOM01')).toBe(true); // re-acquiring your own room is fine
    expect(await a.owner('ROOM01')).toBe('a');
    expect(await a.saveSnapshot('ROOM01', 'from a', 60_000)).toBe(true);
    expect(await b.saveSnapshot('ROOM01', 'from b', 60_000)).toBe(false);
    expect(await redis.get('cca:room:ROOM01:snapshot')).toBe('from a');
  });

  it('renews held leases, takes back a lapsed one nobody took, and reports rooms another node took', async () => {
    await a.acquire('ROOM02');
    await a.acquire('ROOM03');
    await redis.del('cca:room:ROOM02:lease', 'cca:room:ROOM03:lease'); // both lapse (Redis was unreachable)
    expect(await b.acquire('ROOM03')).toBe(true); // b took ROOM03 over meanwhile
    expect(await a.renew(['ROOM01', 'ROOM02', 'ROOM03'])).toEqual(['ROOM03']);
    expect(await a.owner('ROOM02')).toBe('a');
    expect(await redis.pttl('cca:room:ROOM02:lease')).toBeGreaterThan(9_000);
    await a.release('ROOM03'); // not a's to release
    expect(await a.owner('ROOM03')).toBe('b');
    await b.release('ROOM03');
    expect(await a.owner('ROOM03')).toBeNull();
  });
});

describe('client address for the abuse limits', () => {
  const req = (xff: string | undefined, peer = '10.0.0.5') => ({ headers: xff ? { 'x-forwarded-for': xff } : {}, socket: { remoteAddress: peer } }) as never;

  it('uses the peer address unless proxies are trusted', () => {
    expect(clientAddress(req('1.2.3.4'), 0)).toBe('10.0.0.5');
  });

  it('takes the entry the trusted proxy added, so a client cannot pick its own address', () => {
    expect(clientAddress(req('6.6.6.6, 198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('6.6.6.6, 198.51.100.7, 192.0.2.1'), 2)).toBe('198.51.100.7');
    expect(clientAddress(req(undefined), 1)).toBe('10.0.0.5');
  });
});
