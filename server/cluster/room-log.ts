import type { Redis } from 'ioredis';
import { LuaScript, ROOMS_PER_SCRIPT_RUN, chunks } from '../storage/lua.js';
import { leaseKey, type Fence, type MemoryLeases } from './leases.js';

/** Why a fenced write was refused. */
export type LogRefusal = 'fenced' | 'out-of-order';
export type AppendResult = { ok: true; last: number } | { ok: false; reason: LogRefusal };

/** What a room's log holds: the latest snapshot and the entries after it, in order. */
export interface StoredLog {
  snapshot: string | null;
  /** Sequence number of `entries[0]` (entries are contiguous from there). */
  first: number;
  entries: string[];
}

/**
 * The write-ahead log of each room: entries appended in sequence while the writer holds the room's
 * lease at its epoch, and a snapshot that lets entries up to its sequence number go.
 */
export interface RoomLogStore {
  /** Appends entries numbered `firstSeq`, `firstSeq + 1`…; refused unless `firstSeq` follows the last one. */
  append(code: string, fence: Fence, now: number, firstSeq: number, entries: string[], ttlMs: number): Promise<AppendResult>;
  /** Several rooms' appends in one round trip (one result per item, in order). */
  appendMany(items: { code: string; fence: Fence; firstSeq: number; entries: string[] }[], now: number, ttlMs: number): Promise<AppendResult[]>;
  /**
   * Stores a snapshot covering entries up to `seq` and drops those entries; `discardRest` also drops
   * the entries after it (a broken log tail, after a restore up to the last good entry).
   */
  saveSnapshot(code: string, fence: Fence, now: number, seq: number, data: string, ttlMs: number, opts?: { discardRest?: boolean }): Promise<AppendResult>;
  load(code: string): Promise<StoredLog>;
  /** The room closed for good (only its holder may drop it). */
  drop(code: string, fence: Fence, now: number): Promise<void>;
}

interface MemoryRoomLogEntry {
  snapshot: string | null;
  first: number;
  entries: string[];
  expiresAt: number;
}

/** In-process log sharing the lease map it is fenced by (single process, or nodes in one test process). */
export class MemoryRoomLog implements RoomLogStore {
  private readonly logs = new Map<string, MemoryRoomLogEntry>();

  constructor(private readonly leases: MemoryLeases) {}

  private logOf(code: string, now: number): MemoryRoomLogEntry {
    let log = this.logs.get(code);
    if (!log || log.expiresAt <= now) {
      log = { snapshot: null, first: 1, entries: [], expiresAt: Infinity };
      this.logs.set(code, log);
    }
    return log;
  }

  async append(code: string, fence: Fence, now: number, firstSeq: number, entries: string[], ttlMs: number): Promise<AppendResult> {
    if (!this.leases.holds(code, fence, now)) return { ok: false, reason: 'fenced' };
    const log = this.logOf(code, now);
    const last = log.first + log.entries.length - 1;
    if (firstSeq !== last + 1) return { ok: false, reason: 'out-of-order' };
    log.entries.push(...entries);
    log.expiresAt = now + ttlMs;
    return { ok: true, last: last + entries.length };
  }

  /** All applied at the call, in order, as Redis applies a pipeline: a later call never goes first. */
  async appendMany(items: { code: string; fence: Fence; firstSeq: number; entries: string[] }[], now: number, ttlMs: number): Promise<AppendResult[]> {
    return Promise.all(items.map((i) => this.append(i.code, i.fence, now, i.firstSeq, i.entries, ttlMs)));
  }

  async saveSnapshot(code: string, fence: Fence, now: number, seq: number, data: string, ttlMs: number, opts: { discardRest?: boolean } = {}): Promise<AppendResult> {
    if (!this.leases.holds(code, fence, now)) return { ok: false, reason: 'fenced' };
    const log = this.logOf(code, now);
    const last = log.first + log.entries.length - 1;
    if (seq > last) return { ok: false, reason: 'out-of-order' };
    if (opts.discardRest) log.entries.splice(Math.max(0, seq - log.first + 1));
    const drop = Math.max(0, seq - log.first + 1);
    log.entries.splice(0, drop);
    log.first += drop;
    log.snapshot = data;
    log.expiresAt = now + ttlMs;
    return { ok: true, last };
  }

  async load(code: string): Promise<StoredLog> {
    const log = this.logs.get(code);
    return log ? { snapshot: log.snapshot, first: log.first, entries: [...log.entries] } : { snapshot: null, first: 1, entries: [] };
  }

  async drop(code: string, fence: Fence, now: number): Promise<void> {
    if (this.leases.holds(code, fence, now)) this.logs.delete(code);
  }

  /** Tests: what a torn or doubled write would leave behind. */
  tamper(code: string, edit: (entries: string[]) => void): void {
    const log = this.logs.get(code);
    if (log) edit(log.entries);
  }
}

const logKeys = (code: string) => [leaseKey(code), `cca:room:${code}:log`, `cca:room:${code}:log:meta`, `cca:room:${code}:snapshot`];

/**
 * The fence check every write opens with: the lease is the writer's at its epoch and not expired.
 * Returns the log's first and last sequence numbers, or nothing when fenced.
 */
const FENCE = `
local function fence(lease, log, meta, node, epoch, now)
  local h = redis.call('HMGET', lease, 'holder', 'epoch', 'exp')
  if h[1] ~= node or tonumber(h[2]) ~= tonumber(epoch) or tonumber(h[3]) <= tonumber(now) then return nil end
  local first = tonumber(redis.call('HGET', meta, 'first')) or 1
  return first, first + redis.call('LLEN', log) - 1
end
`;

/**
 * Several rooms' appends in one call (a node's group commit: one script run per flush, not one per room).
 * KEYS: lease, log, meta, snapshot of each room. ARGV: now, ttl, then per room its writer's node and
 * epoch, first seq, entry count and entries. Returns per room the last seq, -1 fenced, -2 out of order.
 */
const APPEND_MANY = new LuaScript(`${FENCE}
local now, ttl = ARGV[1], ARGV[2]
local results, a = {}, 3
for r = 0, #KEYS / 4 - 1 do
  local lease, log, meta = KEYS[4 * r + 1], KEYS[4 * r + 2], KEYS[4 * r + 3]
  local firstSeq, n = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local first, last = fence(lease, log, meta, ARGV[a], ARGV[a + 1], now)
  a = a + 4
  if not first then results[#results + 1] = -1
  elseif firstSeq ~= last + 1 then results[#results + 1] = -2
  else
    for i = a, a + n - 1 do redis.call('RPUSH', log, ARGV[i]) end
    redis.call('HSET', meta, 'first', first)
    redis.call('PEXPIRE', log, ttl)
    redis.call('PEXPIRE', meta, ttl)
    results[#results + 1] = last + n
  end
  a = a + n
end
return results`, 'counted');

/** KEYS: lease, log, meta, snapshot. ARGV: node, epoch, now, seq, ttl, data, discard rest (1/0). */
const SNAPSHOT = new LuaScript(`${FENCE}
local first, last = fence(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
if not first then return -1 end
local seq = tonumber(ARGV[4])
if seq > last then return -2 end
if ARGV[7] == '1' and seq < last then
  redis.call('LTRIM', KEYS[2], 0, seq - first)
  if seq < first then redis.call('DEL', KEYS[2]) end
end
redis.call('SET', KEYS[4], ARGV[6], 'PX', ARGV[5])
local drop = seq - first + 1
if drop > 0 then
  redis.call('LTRIM', KEYS[2], drop, -1)
  redis.call('HSET', KEYS[3], 'first', seq + 1)
end
redis.call('PEXPIRE', KEYS[3], ARGV[5])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return last`, 4);

/** KEYS: lease, log, meta, snapshot. Read in one step so the snapshot and its entries match. */
const LOAD = new LuaScript(`
local first = tonumber(redis.call('HGET', KEYS[3], 'first')) or 1
return {redis.call('GET', KEYS[4]) or false, first, redis.call('LRANGE', KEYS[2], 0, -1)}`, 4);

/** KEYS: lease, log, meta, snapshot. ARGV: node, epoch, now. */
const DROP = new LuaScript(`${FENCE}
if not fence(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3]) then return -1 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 0`, 4);

const answer = (n: number): AppendResult => (n >= 0 ? { ok: true, last: n } : { ok: false, reason: n === -1 ? 'fenced' : 'out-of-order' });

export class RedisRoomLog implements RoomLogStore {
  constructor(private readonly redis: Redis) {
    for (const script of [APPEND_MANY, SNAPSHOT, LOAD, DROP]) script.defineOn(redis);
  }

  async append(code: string, fence: Fence, now: number, firstSeq: number, entries: string[], ttlMs: number): Promise<AppendResult> {
    return (await this.appendMany([{ code, fence, firstSeq, entries }], now, ttlMs))[0]!;
  }

  async appendMany(items: { code: string; fence: Fence; firstSeq: number; entries: string[] }[], now: number, ttlMs: number): Promise<AppendResult[]> {
    // Sent together, run in order: a big node's flush is a few script runs, none holding Redis up for long.
    const runs = chunks(items, ROOMS_PER_SCRIPT_RUN).map((chunk) => {
      const keys: string[] = [];
      const args: (string | number)[] = [now, ttlMs];
      for (const i of chunk) {
        keys.push(...logKeys(i.code));
        args.push(i.fence.nodeId, i.fence.epoch, i.firstSeq, i.entries.length, ...i.entries);
      }
      return APPEND_MANY.run(this.redis, keys.length, ...keys, ...args) as Promise<number[]>;
    });
    return (await Promise.all(runs)).flat().map(answer);
  }

  async saveSnapshot(code: string, fence: Fence, now: number, seq: number, data: string, ttlMs: number, opts: { discardRest?: boolean } = {}): Promise<AppendResult> {
    return answer((await SNAPSHOT.run(this.redis, ...logKeys(code), fence.nodeId, fence.epoch, now, seq, ttlMs, data, opts.discardRest ? '1' : '0')) as number);
  }

  async load(code: string): Promise<StoredLog> {
    const [snapshot, first, entries] = (await LOAD.run(this.redis, ...logKeys(code))) as [string | null, number, string[]];
    return { snapshot: snapshot || null, first: Number(first), entries };
  }

  async drop(code: string, fence: Fence, now: number): Promise<void> {
    await DROP.run(this.redis, ...logKeys(code), fence.nodeId, fence.epoch, now);
  }
}
