import type { Redis } from 'ioredis';
import { LuaScript } from '../storage/lua.js';
import { byStart, type Assignment, type Attempt, type HomeworkStore, type StartOutcome } from './store.js';

/** Assignments stay this long after their due date, then Redis drops them. */
export const HOMEWORK_KEPT_MS = 180 * 24 * 3_600_000;

const key = {
  assignment: (id: string) => `cca:hw:${id}`,
  attempts: (id: string) => `cca:hw:${id}:attempts`,
};

/** KEYS: assignment, attempts hash. ARGV: member key, attempt JSON, cap. Returns the stored JSON, or 'new', or 'full'. */
const START = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 'full' end
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return existing end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return 'full' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 'new'
`, 2);

/** KEYS: attempts hash. ARGV: member key, previous JSON, next JSON. */
const REPLACE = new LuaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`, 1);

/** Assignments in Redis: one JSON string each, and a hash of attempts (member key → JSON). */
export class RedisHomeworkStore implements HomeworkStore {
  /** `now` is the server's clock: the expiry counts from it (tests run on a manual clock). */
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async create(a: Assignment): Promise<void> {
    await this.redis.set(key.assignment(a.id), JSON.stringify(a), 'PX', Math.max(1, a.dueAt + HOMEWORK_KEPT_MS - this.now()));
  }

  async load(id: string): Promise<Assignment | null> {
    const raw = await this.redis.get(key.assignment(id));
    return raw ? (JSON.parse(raw) as Assignment) : null;
  }

  async attempt(id: string, memberKey: string): Promise<Attempt | null> {
    const raw = await this.redis.hget(key.attempts(id), memberKey);
    return raw ? (JSON.parse(raw) as Attempt) : null;
  }

  async attempts(id: string): Promise<Attempt[]> {
    const all = await this.redis.hvals(key.attempts(id));
    return all.map((raw) => JSON.parse(raw) as Attempt).sort(byStart);
  }

  async start(id: string, attempt: Attempt, cap: number): Promise<StartOutcome> {
    const out = (await START.run(this.redis, key.assignment(id), key.attempts(id), attempt.key, JSON.stringify(attempt), cap)) as string;
    if (out === 'full') return { full: true };
    if (out === 'new') return { attempt, created: true };
    return { attempt: JSON.parse(out) as Attempt, created: false };
  }

  async replace(id: string, prev: Attempt, next: Attempt): Promise<boolean> {
    return (await REPLACE.run(this.redis, key.attempts(id), prev.key, JSON.stringify(prev), JSON.stringify(next))) === 1;
  }
}
