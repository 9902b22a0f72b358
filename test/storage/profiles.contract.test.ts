import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryProfileStore, RedisProfileStore } from '../../server/practice/profile-stores.js';
import { Profiles, formatRecoveryCode, normalizeRecoveryCode, type ProfileStore } from '../../server/practice/profiles.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();

function contract(name: string, make: () => Promise<ProfileStore>) {
  describe(`${name} profiles`, () => {
    let profiles: Profiles;
    beforeEach(async () => {
      profiles = new Profiles(await make(), () => 1_700_000_000_000);
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
  });
}

contract('memory', async () => new MemoryProfileStore());
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
