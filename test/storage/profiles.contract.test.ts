import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryProfileStore, RedisProfileStore } from '../../server/practice/profile-stores.js';
import { Profiles, formatRecoveryCode, normalizeRecoveryCode, type ProfileStore } from '../../server/practice/profiles.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();

const DAY = 24 * 3_600_000;

function contract(name: string, make: (now: () => number) => Promise<ProfileStore>) {
  describe(`${name} profiles`, () => {
    let profiles: Profiles;
    let store: ProfileStore;
    let now = 1_700_000_000_000;
    beforeEach(async () => {
      now = 1_700_000_000_000;
      store = await make(() => now);
      profiles = new Profiles(store, () => now, 30 * DAY);
    });

    it('creates a profile with a token and a recovery code, and finds it by token', async () => {
      const r = await profiles.create('  Ana  ');
      if (!r.ok) throw new Error(r.message);
      expect(r.value.profile).toMatchObject({ name: 'Ana', createdAt: 1_700_000_000_000 });
      expect(r.value.recoveryCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}(-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}){3}$/);
      expect(await profiles.authenticate(r.value.token)).toEqual(r.value.profile);
    });

    it('refuses unknown, malformed and stolen-looking tokens', async () => {
      await profiles.create('Ben');
      expect(await profiles.authenticate('x'.repeat(32))).toBeNull();
      expect(await profiles.authenticate('short')).toBeNull();
      expect(await profiles.authenticate('../../etc/passwd'.padEnd(32, 'x'))).toBeNull();
    });

    it('refuses an invalid nickname', async () => {
      expect(await profiles.create('\u200B')).toMatchObject({ ok: false, code: 'NICKNAME_INVALID' });
    });

    it('moves the profile to another device with the recovery code; the old token stops working', async () => {
      const created = await profiles.create('Cai');
      if (!created.ok) throw new Error('create');
      const typed = created.value.recoveryCode.toLowerCase().replace(/-/g, ' ');
      const moved = await profiles.recover(typed);
      if (!moved.ok) throw new Error(moved.message);
      expect(moved.value.profile.id).toBe(created.value.profile.id);
      expect(await profiles.authenticate(moved.value.token)).toMatchObject({ id: created.value.profile.id });
      expect(await profiles.authenticate(created.value.token)).toBeNull();
      expect(await profiles.recover('AAAAA-BBBBB-CCCCC-DDDDD')).toMatchObject({ ok: false, code: 'SESSION_INVALID' });
    });

    it('a recovery rotates the code: the code seen once cannot take the profile back', async () => {
      const created = await profiles.create('Eve');
      if (!created.ok) throw new Error('create');
      const moved = await profiles.recover(created.value.recoveryCode);
      if (!moved.ok) throw new Error(moved.message);
      expect(moved.value.recoveryCode).not.toBe(created.value.recoveryCode);
      expect(await profiles.recover(created.value.recoveryCode)).toMatchObject({ ok: false, code: 'SESSION_INVALID' });
      const again = await profiles.recover(moved.value.recoveryCode);
      expect(again.ok).toBe(true);
      expect(await profiles.authenticate(moved.value.token)).toBeNull();
    });

    it('of parallel recoveries with one code exactly one wins, and only its token works', async () => {
      const created = await profiles.create('Fay');
      if (!created.ok) throw new Error('create');
      const tries = await Promise.all(Array.from({ length: 16 }, () => profiles.recover(created.value.recoveryCode)));
      const won = tries.filter((t) => t.ok);
      expect(won).toHaveLength(1);
      const tokens = await Promise.all(tries.map((t) => (t.ok ? profiles.authenticate(t.value.token) : null)));
      expect(tokens.filter(Boolean)).toHaveLength(1);
    });

    it('a profile that answered nothing expires after its idle time; a retained one stays', async () => {
      const idle = await profiles.create('Gus');
      const kept = await profiles.create('Hal');
      if (!idle.ok || !kept.ok) throw new Error('create');
      await profiles.retain(kept.value.profile.id);
      now += 29 * DAY;
      expect(await profiles.authenticate(idle.value.token)).not.toBeNull();
      now += 2 * DAY;
      await expireUpTo(name, now);
      expect(await profiles.authenticate(idle.value.token)).toBeNull();
      expect(await store.profileById(idle.value.profile.id)).toBeNull();
      expect(await profiles.recover(idle.value.recoveryCode)).toMatchObject({ ok: false, code: 'SESSION_INVALID' });
      expect(await profiles.authenticate(kept.value.token)).toMatchObject({ id: kept.value.profile.id });
    });

    it('a recovered profile that never answered keeps its remaining idle time, not a fresh one', async () => {
      const created = await profiles.create('Ida');
      if (!created.ok) throw new Error('create');
      now += 20 * DAY;
      const moved = await profiles.recover(created.value.recoveryCode);
      if (!moved.ok) throw new Error(moved.message);
      now += 11 * DAY;
      await expireUpTo(name, now);
      expect(await profiles.authenticate(moved.value.token)).toBeNull();
    });
  });
}

/**
 * Memory expiry follows the injected clock. Redis keeps its own time: the test checks that every key of an
 * unretained profile carries the TTL and removes those that would have lapsed by `now`, as Redis would.
 */
async function expireUpTo(name: string, now: number): Promise<void> {
  if (name !== 'redis') return;
  const keys = await redis.client.keys('cca:profile*');
  for (const k of keys) {
    const ttl = await redis.client.pttl(k);
    if (ttl === -1) continue;
    // Created at 1_700_000_000_000 with 30 days: everything with a TTL is past it once now is 31 days on.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30 * DAY);
    if (now - 1_700_000_000_000 >= 30 * DAY) await redis.client.del(k);
  }
}

contract('memory', async (now) => new MemoryProfileStore(now));
contract('redis', async () => {
  await redis.client.flushdb();
  return new RedisProfileStore(redis.client);
});

describe('recovery code format', () => {
  it('groups in fives and reads back whatever people type', () => {
    expect(formatRecoveryCode('ABCDEFGHJKMNPQRSTVWX')).toBe('ABCDE-FGHJK-MNPQR-STVWX');
    expect(normalizeRecoveryCode(' abcde fghjk-mnpqr_stvwx ')).toBe('ABCDEFGHJKMNPQRSTVWX');
  });
});
