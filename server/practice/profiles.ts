import { customAlphabet, nanoid } from 'nanoid';
import { normalizeNickname } from '../../shared/nickname.js';
import { ROOM_CODE_ALPHABET } from '../../shared/protocol/room-code.js';
import { hashSecret } from '../realtime/tokens.js';

/** A practice profile: no password, a secret token kept by the browser, and a recovery code. */
export interface Profile {
  id: string;
  name: string;
  createdAt: number;
}

/** Only hashes of the token and the recovery code are stored. */
export interface ProfileStore {
  createProfile(profile: Profile, tokenHash: string, recoveryHash: string): Promise<void>;
  profileByToken(tokenHash: string): Promise<Profile | null>;
  profileByRecovery(recoveryHash: string): Promise<Profile | null>;
  profileById(id: string): Promise<Profile | null>;
  /** Replaces the profile's token: the old one stops working at once. */
  replaceToken(profileId: string, newTokenHash: string): Promise<void>;
}

/** 20 characters of the unambiguous room-code alphabet (≈98 bits), shown as four groups of five. */
const recoveryChars = customAlphabet(ROOM_CODE_ALPHABET, 20);

export function formatRecoveryCode(raw: string): string {
  return raw.match(/.{1,5}/g)!.join('-');
}

/** Whatever a person types back: spaces, dashes, lower case. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

export type ProfileResult<T> = { ok: true; value: T } | { ok: false; code: 'NICKNAME_INVALID' | 'SESSION_INVALID'; message: string };

export class Profiles {
  constructor(
    private readonly store: ProfileStore,
    private readonly now: () => number = Date.now,
  ) {}

  async create(nickname: string): Promise<ProfileResult<{ profile: Profile; token: string; recoveryCode: string }>> {
    const checked = normalizeNickname(nickname);
    if (!checked.ok) return { ok: false, code: 'NICKNAME_INVALID', message: checked.reason };
    const profile: Profile = { id: nanoid(12), name: checked.nickname, createdAt: this.now() };
    const token = nanoid(32);
    const recovery = recoveryChars();
    await this.store.createProfile(profile, hashSecret(token), hashSecret(recovery));
    return { ok: true, value: { profile, token, recoveryCode: formatRecoveryCode(recovery) } };
  }

  /** The profile a token belongs to; null for unknown, malformed or replaced tokens. */
  async authenticate(token: string): Promise<Profile | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
    return this.store.profileByToken(hashSecret(token));
  }

  /** Moves the profile to this device: a fresh token, and the previous one stops working. */
  async recover(recoveryCode: string): Promise<ProfileResult<{ profile: Profile; token: string }>> {
    const code = normalizeRecoveryCode(recoveryCode);
    const profile = code.length === 20 ? await this.store.profileByRecovery(hashSecret(code)) : null;
    if (!profile) return { ok: false, code: 'SESSION_INVALID', message: 'that recovery code does not match a profile' };
    const token = nanoid(32);
    await this.store.replaceToken(profile.id, hashSecret(token));
    return { ok: true, value: { profile, token } };
  }
}
