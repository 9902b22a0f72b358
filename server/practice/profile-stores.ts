import type { Redis } from 'ioredis';
import type { Profile, ProfileStore } from './profiles.js';

/** Profiles in this process only. */
export class MemoryProfileStore implements ProfileStore {
  private profiles = new Map<string, Profile & { tokenHash: string; recoveryHash: string }>();
  private byToken = new Map<string, string>();
  private byRecovery = new Map<string, string>();

  async createProfile(profile: Profile, tokenHash: string, recoveryHash: string): Promise<void> {
    this.profiles.set(profile.id, { ...profile, tokenHash, recoveryHash });
    this.byToken.set(tokenHash, profile.id);
    this.byRecovery.set(recoveryHash, profile.id);
  }

  private read(id: string | undefined): Profile | null {
    const p = id ? this.profiles.get(id) : undefined;
    return p ? { id: p.id, name: p.name, createdAt: p.createdAt } : null;
  }

  async profileByToken(tokenHash: string): Promise<Profile | null> {
    return this.read(this.byToken.get(tokenHash));
  }

  async profileByRecovery(recoveryHash: string): Promise<Profile | null> {
    return this.read(this.byRecovery.get(recoveryHash));
  }

  async profileById(id: string): Promise<Profile | null> {
    return this.read(id);
  }

  async replaceToken(profileId: string, newTokenHash: string): Promise<void> {
    const p = this.profiles.get(profileId);
    if (!p) return;
    this.byToken.delete(p.tokenHash);
    this.byToken.set(newTokenHash, profileId);
    p.tokenHash = newTokenHash;
  }
}

const key = {
  profile: (id: string) => `cca:profile:${id}`,
  token: (hash: string) => `cca:profile-token:${hash}`,
  recovery: (hash: string) => `cca:profile-recovery:${hash}`,
};

/** KEYS: profile hash, new token key. ARGV: new token hash, profile id. Swaps the token atomically. */
const REPLACE_TOKEN = `
local old = redis.call('HGET', KEYS[1], 'tokenHash')
if not old then return 0 end
redis.call('DEL', 'cca:profile-token:' .. old)
redis.call('SET', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'tokenHash', ARGV[1])
return 1
`;

/** Profiles in Redis: a hash per profile and lookup keys for the token and recovery hashes. */
export class RedisProfileStore implements ProfileStore {
  constructor(private readonly redis: Redis) {}

  async createProfile(profile: Profile, tokenHash: string, recoveryHash: string): Promise<void> {
    await this.redis
      .multi()
      .hset(key.profile(profile.id), { id: profile.id, name: profile.name, createdAt: String(profile.createdAt), tokenHash, recoveryHash })
      .set(key.token(tokenHash), profile.id)
      .set(key.recovery(recoveryHash), profile.id)
      .exec();
  }

  private async read(id: string | null): Promise<Profile | null> {
    if (!id) return null;
    const h = await this.redis.hgetall(key.profile(id));
    return h.id ? { id: h.id, name: h.name!, createdAt: Number(h.createdAt) } : null;
  }

  async profileByToken(tokenHash: string): Promise<Profile | null> {
    return this.read(await this.redis.get(key.token(tokenHash)));
  }

  async profileByRecovery(recoveryHash: string): Promise<Profile | null> {
    return this.read(await this.redis.get(key.recovery(recoveryHash)));
  }

  async profileById(id: string): Promise<Profile | null> {
    return this.read(id);
  }

  async replaceToken(profileId: string, newTokenHash: string): Promise<void> {
    await this.redis.eval(REPLACE_TOKEN, 2, key.profile(profileId), key.token(newTokenHash), newTokenHash, profileId);
  }
}
