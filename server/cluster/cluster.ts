import type { Redis } from 'ioredis';
import { nanoid } from 'nanoid';

const PREFIX = 'cca:';
const leaseKey = (code: string) => `${PREFIX}room:${code}:lease`;
const snapshotKey = (code: string) => `${PREFIX}room:${code}:snapshot`;

/** ARGV: node id, lease ms. Takes a room nobody owns (or that this node already owns). */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * ARGV: node id, lease ms. Extends the lease while this node holds it, and takes it back if it
 * lapsed while Redis was unreachable and nobody else took the room (0 = another node owns it).
 */
const RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** ARGV: node id. Drops the lease only if this node holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: lease, snapshot. ARGV: node id, data, ttl. A node that lost the lease can no longer overwrite the room. */
const FENCED_SNAPSHOT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`;

export interface ClusterOptions {
  /** How long a room stays owned without renewal; a dead owner's rooms move after at most this long. */
  leaseMs: number;
  nodeId?: string;
}

/**
 * Room ownership among the nodes sharing one Redis: one lease per room, and snapshot writes fenced
 * by it. Messages between nodes go through the Socket.IO adapter (see gateway.ts), not through here.
 */
export class Cluster {
  readonly nodeId: string;
  readonly leaseMs: number;

  constructor(
    private readonly redis: Redis,
    opts: ClusterOptions,
  ) {
    this.nodeId = opts.nodeId ?? nanoid(10);
    this.leaseMs = opts.leaseMs;
  }

  // --- leases ---------------------------------------------------------------------------------

  /** Takes a room that nobody owns. */
  async acquire(code: string): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, leaseKey(code), this.nodeId, this.leaseMs)) === 1;
  }

  /** Renews the leases of the rooms this node runs; returns the codes it no longer owns. */
  async renew(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const code of codes) pipeline.eval(RENEW, 1, leaseKey(code), this.nodeId, this.leaseMs);
    const results = (await pipeline.exec()) ?? [];
    const lost: string[] = [];
    results.forEach(([err, renewed], i) => {
      if (!err && renewed === 0) lost.push(codes[i]!);
    });
    return lost;
  }

  async release(code: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, leaseKey(code), this.nodeId);
  }

  async owner(code: string): Promise<string | null> {
    return this.redis.get(leaseKey(code));
  }

  /** Writes the room's snapshot only while this node holds its lease. */
  async saveSnapshot(code: string, data: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(FENCED_SNAPSHOT, 2, leaseKey(code), snapshotKey(code), this.nodeId, data, ttlMs)) === 1;
  }
}
