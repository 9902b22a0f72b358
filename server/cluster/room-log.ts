import type { Redis } from 'ioredis';
import { LuaScript } from '../storage/lua.js';
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

/** The fence check both writes open with. KEYS[1] lease; ARGV: node, epoch, now. */
const FENCE = `
local h = redis.call('HMGET', KEYS[1], 'holder', 'epoch', 'exp')
if h[1] ~= ARGV[1] or tonumber(h[2]) ~= tonumber(ARGV[2]) or tonumber(h[3]) <= tonumber(ARGV[3]) then return -1 end
local first = tonumber(redis.call('HGET', KEYS[3], 'first')) or 1
local last = first + redis.call('LLEN', KEYS[2]) - 1
`;

/** KEYS: lease, log, meta, snapshot. ARGV: node, epoch, now, first seq, ttl, entries…  Returns the last seq, -1 fenced, -2 out of order. */
const APPEND = new LuaScript(`${FENCE}
if tonumber(ARGV[4]) ~= last + 1 then return -2 end
for i = 6, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[3], 'first', first)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return last + #ARGV - 5`, 4);

/** KEYS: lease, log, meta, snapshot. ARGV: node, epoch, now, seq, ttl, data, discard rest (1/0). */
const SNAPSHOT = new LuaScript(`${FENCE}
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
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 0`, 4);

const answer = (n: number): AppendResult => (n >= 0 ? { ok: true, last: n } : { ok: false, reason: n === -1 ? 'fenced' : 'out-of-order' });

export class RedisRoomLog implements RoomLogStore {
  constructor(private readonly redis: Redis) {
    for (const script of [APPEND, SNAPSHOT, LOAD, DROP]) script.defineOn(redis);
  }

  async append(code: string, fence: Fence, now: number, firstSeq: number, entries: string[], ttlMs: number): Promise<AppendResult> {
    return answer((await APPEND.run(this.redis, ...logKeys(code), fence.nodeId, fence.epoch, now, firstSeq, ttlMs, ...entries)) as number);
  }

  async appendMany(items: { code: string; fence: Fence; firstSeq: number; entries: string[] }[], now: number, ttlMs: number): Promise<AppendResult[]> {
    if (items.length === 1) return [await this.append(items[0]!.code, items[0]!.fence, now, items[0]!.firstSeq, items[0]!.entries, ttlMs)];
    const pipeline = this.redis.pipeline();
    for (const i of items) APPEND.queue(pipeline, ...logKeys(i.code), i.fence.nodeId, i.fence.epoch, now, i.firstSeq, ttlMs, ...i.entries);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, n]) => {
      if (err) throw err;
      return answer(n as number);
    });
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
