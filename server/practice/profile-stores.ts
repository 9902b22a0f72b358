import type { Redis } from 'ioredis';
import { LuaScript } from '../storage/lua.js';
import type { Profile, ProfileStore } from './profiles.js';

interface Stored extends Profile {
  tokenHash: string;
  recoveryHash: string;
  /** Null once the profile holds answers: it then never expires. */
  expiresAt: number | null;
}

/** How often the memory store walks all profiles for expired ones (reads drop an expired one on their own). */
const SWEEP_EVERY_MS = 10 * 60_000;

/** Profiles in this process only; expiry follows the injected clock. */
export class MemoryProfileStore implements ProfileStore {
  private profiles = new Map<string, Stored>();
  private byToken = new Map<string, string>();
  private byRecovery = new Map<string, string>();
  private lastSweep = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  async createProfile(profile: Profile, tokenHash: string, recoveryHash: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.profiles.set(profile.id, { ...profile, tokenHash, recoveryHash, expiresAt: this.now() + ttlMs });
    this.byToken.set(tokenHash, profile.id);
    this.byRecovery.set(recoveryHash, profile.id);
  }

  /** The live profile with this id; an expired one is removed on the way. */
  private live(id: string | undefined): Stored | null {
    const p = id === undefined ? undefined : this.profiles.get(id);
    if (!p) return null;
    if (p.expiresAt !== null && p.expiresAt <= this.now()) {
      this.remove(p);
      return null;
    }
    return p;
  }

  private remove(p: Stored): void {
    this.profiles.delete(p.id);
    this.byToken.delete(p.tokenHash);
    this.byRecovery.delete(p.recoveryHash);
  }

  private sweep(): void {
    if (this.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = this.now();
    for (const p of this.profiles.values()) this.live(p.id);
  }

  private read(p: Stored | null): Profile | null {
    return p ? { id: p.id, name: p.name, createdAt: p.createdAt } : null;
  }

  async profileByToken(tokenHash: string): Promise<Profile | null> {
    return this.read(this.live(this.byToken.get(tokenHash)));
  }

  async profileById(id: string): Promise<Profile | null> {
    return this.read(this.live(id));
  }

  /** Synchronous from lookup to swap, so exactly one of several racing callers finds the old code. */
  async recover(recoveryHash: string, newTokenHash: string, newRecoveryHash: string): Promise<Profile | null> {
    const p = this.live(this.byRecovery.get(recoveryHash));
    if (!p) return null;
    this.byRecovery.delete(p.recoveryHash);
    this.byToken.delete(p.tokenHash);
    p.tokenHash = newTokenHash;
    p.recoveryHash = newRecoveryHash;
    this.byToken.set(newTokenHash, p.id);
    this.byRecovery.set(newRecoveryHash, p.id);
    return this.read(p);
  }

  async retain(profileId: string): Promise<void> {
    const p = this.live(profileId);
    if (p) p.expiresAt = null;
  }

  /** Profiles held, expired ones included until they are swept (tests). */
  get size(): number {
    return this.profiles.size;
  }
}

const PROFILE = 'cca:profile:';
const TOKEN = 'cca:profile-token:';
const RECOVERY = 'cca:profile-recovery:';

/**
 * KEYS: the recovery key of the code given. ARGV: new token hash, new recovery hash. Swaps both secrets in one
 * step, so one caller wins; the new keys keep the profile's remaining time to live (none once it is retained).
 */
const RECOVER = new LuaScript(`
local id = redis.call('GET', KEYS[1])
if not id then return false end
redis.call('DEL', KEYS[1])
local pkey = '${PROFILE}' .. id
local old = redis.call('HGET', pkey, 'tokenHash')
if not old then return false end
redis.call('DEL', '${TOKEN}' .. old)
local ttl = redis.call('PTTL', pkey)
local tk, rk = '${TOKEN}' .. ARGV[1], '${RECOVERY}' .. ARGV[2]
if ttl > 0 then
  redis.call('SET', tk, id, 'PX', ttl)
  redis.call('SET', rk, id, 'PX', ttl)
else
  redis.call('SET', tk, id)
  redis.call('SET', rk, id)
end
redis.call('HSET', pkey, 'tokenHash', ARGV[1], 'recoveryHash', ARGV[2])
return id
`, 1);

/** KEYS: the profile hash. Drops the time to live of the profile and its two lookup keys. */
const RETAIN = new LuaScript(`
local h = redis.call('HMGET', KEYS[1], 'tokenHash', 'recoveryHash')
if not h[1] then return 0 end
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', '${TOKEN}' .. h[1])
redis.call('PERSIST', '${RECOVERY}' .. h[2])
return 1
`, 1);

/** Profiles in Redis: a hash per profile and lookup keys for the token and recovery hashes, all expiring together until retained. */
export class RedisProfileStore implements ProfileStore {
  constructor(private readonly redis: Redis) {}

  async createProfile(profile: Profile, tokenHash: string, recoveryHash: string, ttlMs: number): Promise<void> {
    const pkey = PROFILE + profile.id;
    await this.redis
      .multi()
      .hset(pkey, { id: profile.id, name: profile.name, createdAt: String(profile.createdAt), tokenHash, recoveryHash })
      .pexpire(pkey, ttlMs)
      .set(TOKEN + tokenHash, profile.id, 'PX', ttlMs)
      .set(RECOVERY + recoveryHash, profile.id, 'PX', ttlMs)
      .exec();
  }

  private async read(id: string | null): Promise<Profile | null> {
    if (!id) return null;
    const h = await this.redis.hgetall(PROFILE + id);
    return h.id ? { id: h.id, name: h.name!, createdAt: Number(h.createdAt) } : null;
  }

  async profileByToken(tokenHash: string): Promise<Profile | null> {
    return this.read(await this.redis.get(TOKEN + tokenHash));
  }

  async profileById(id: string): Promise<Profile | null> {
    return this.read(id);
  }

  async recover(recoveryHash: string, newTokenHash: string, newRecoveryHash: string): Promise<Profile | null> {
    const id = (await RECOVER.run(this.redis, RECOVERY + recoveryHash, newTokenHash, newRecoveryHash)) as string | null;
    return this.read(id);
  }

  async retain(profileId: string): Promise<void> {
    await RETAIN.run(this.redis, PROFILE + profileId);
  }
}
