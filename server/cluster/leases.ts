import type { Redis } from 'ioredis';
import { LuaScript, ROOMS_PER_SCRIPT_RUN, chunks } from '../storage/lua.js';

/**
 * Who runs a room. `epoch` grows by one on every acquisition (never on a renewal), so a node that
 * lost a room and got it back is fenced from writes it queued before. `expiresAt` is stamped with
 * the acquiring node's clock: nodes' clocks must agree within the drift margin (see README).
 */
export interface Lease {
  holder: string;
  epoch: number;
  expiresAt: number;
}

/** A lease this node holds: the fence its log and snapshot writes carry. */
export interface Fence {
  nodeId: string;
  epoch: number;
}

/** Room leases. Every method takes the caller's `now`: the clock is injected, the store keeps none. */
export interface LeaseStore {
  /**
   * Takes a room whose lease is free or expired (or held by this node already), with a new epoch.
   * Null when another node holds an unexpired lease.
   */
  acquire(code: string, nodeId: string, now: number, leaseMs: number): Promise<Lease | null>;
  /**
   * Extends leases this node holds at the given epochs, also ones that lapsed while nobody else
   * took the room. One answer per item: false = another node acquired it since.
   */
  renew(items: { code: string; epoch: number }[], nodeId: string, now: number, leaseMs: number): Promise<boolean[]>;
  /** Gives the room up (only at this epoch); the epoch counter stays, so later holders fence this one. */
  release(code: string, fence: Fence): Promise<void>;
  /** The current lease, expired or not; null when nobody holds the room. */
  read(code: string): Promise<Lease | null>;
}

/** A released or never-held lease. */
const FREE = '';

export class MemoryLeases implements LeaseStore {
  private readonly leases = new Map<string, Lease>();

  async acquire(code: string, nodeId: string, now: number, leaseMs: number): Promise<Lease | null> {
    const current = this.leases.get(code);
    if (current && current.holder !== FREE && current.holder !== nodeId && current.expiresAt > now) return null;
    const lease = { holder: nodeId, epoch: (current?.epoch ?? 0) + 1, expiresAt: now + leaseMs };
    this.leases.set(code, lease);
    return { ...lease };
  }

  async renew(items: { code: string; epoch: number }[], nodeId: string, now: number, leaseMs: number): Promise<boolean[]> {
    return items.map(({ code, epoch }) => {
      const current = this.leases.get(code);
      if (!current || current.holder !== nodeId || current.epoch !== epoch) return false;
      current.expiresAt = now + leaseMs;
      return true;
    });
  }

  async release(code: string, fence: Fence): Promise<void> {
    const current = this.leases.get(code);
    if (current && current.holder === fence.nodeId && current.epoch === fence.epoch) this.leases.set(code, { holder: FREE, epoch: current.epoch, expiresAt: 0 });
  }

  async read(code: string): Promise<Lease | null> {
    const current = this.leases.get(code);
    return current && current.holder !== FREE ? { ...current } : null;
  }

  /** For the room log's fence check (same process, same map). */
  holds(code: string, fence: Fence, now: number): boolean {
    const current = this.leases.get(code);
    return current !== undefined && current.holder === fence.nodeId && current.epoch === fence.epoch && current.expiresAt > now;
  }
}

export const leaseKey = (code: string) => `cca:room:${code}:lease`;
/** Lease records (and their epoch counters) outlive any room by far; the key is dropped after a day unused. */
const LEASE_RECORD_TTL_MS = 24 * 3600_000;

/** KEYS: lease. ARGV: node, now, lease ms, record ttl. Returns {taken, epoch, expiresAt, holder}. */
const ACQUIRE = new LuaScript(`
local h = redis.call('HMGET', KEYS[1], 'holder', 'epoch', 'exp')
local epoch = tonumber(h[2]) or 0
local exp = tonumber(h[3]) or 0
local now = tonumber(ARGV[2])
if h[1] and h[1] ~= '' and h[1] ~= ARGV[1] and exp > now then return {0, epoch, exp, h[1]} end
epoch = epoch + 1
local expiresAt = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'epoch', epoch, 'exp', expiresAt)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, epoch, expiresAt, ARGV[1]}`, 1);

/**
 * Every lease a node holds, renewed in one script run (one per renewal round, not one per room).
 * KEYS: the leases. ARGV: node, now, lease ms, record ttl, then each lease's epoch. Returns 1 (renewed) or 0 per lease.
 */
const RENEW_MANY = new LuaScript(`
local node, expiresAt, ttl = ARGV[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[4]
local renewed = {}
for i, key in ipairs(KEYS) do
  local h = redis.call('HMGET', key, 'holder', 'epoch')
  if h[1] ~= node or tonumber(h[2]) ~= tonumber(ARGV[4 + i]) then renewed[i] = 0
  else
    redis.call('HSET', key, 'exp', expiresAt)
    redis.call('PEXPIRE', key, ttl)
    renewed[i] = 1
  end
end
return renewed`, 'counted');

/** KEYS: lease. ARGV: node, epoch. */
const RELEASE = new LuaScript(`
local h = redis.call('HMGET', KEYS[1], 'holder', 'epoch')
if h[1] ~= ARGV[1] or tonumber(h[2]) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'holder', '', 'exp', 0)
return 1`, 1);

export class RedisLeases implements LeaseStore {
  constructor(private readonly redis: Redis) {
    for (const script of [ACQUIRE, RENEW_MANY, RELEASE]) script.defineOn(redis);
  }

  async acquire(code: string, nodeId: string, now: number, leaseMs: number): Promise<Lease | null> {
    const [taken, epoch, expiresAt] = (await ACQUIRE.run(this.redis, leaseKey(code), nodeId, now, leaseMs, LEASE_RECORD_TTL_MS)) as [number, number, number, string];
    return taken === 1 ? { holder: nodeId, epoch: Number(epoch), expiresAt: Number(expiresAt) } : null;
  }

  async renew(items: { code: string; epoch: number }[], nodeId: string, now: number, leaseMs: number): Promise<boolean[]> {
    const runs = chunks(items, ROOMS_PER_SCRIPT_RUN).map(
      (chunk) =>
        RENEW_MANY.run(this.redis, chunk.length, ...chunk.map((i) => leaseKey(i.code)), nodeId, now, leaseMs, LEASE_RECORD_TTL_MS, ...chunk.map((i) => i.epoch)) as Promise<number[]>,
    );
    return (await Promise.all(runs)).flat().map((r) => r === 1);
  }

  async release(code: string, fence: Fence): Promise<void> {
    await RELEASE.run(this.redis, leaseKey(code), fence.nodeId, fence.epoch);
  }

  async read(code: string): Promise<Lease | null> {
    const [holder, epoch, exp] = await this.redis.hmget(leaseKey(code), 'holder', 'epoch', 'exp');
    if (!holder) return null;
    return { holder, epoch: Number(epoch), expiresAt: Number(exp) };
  }
}
