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

/**
 * Only hashes of the token and the recovery code are stored. A profile expires `ttlMs` after it was made unless
 * it is retained (it answered something): idle sign-ups do not pile up.
 */
export interface ProfileStore {
  createProfile(profile: Profile, tokenHash: string, recoveryHash: string, ttlMs: number): Promise<void>;
  profileByToken(tokenHash: string): Promise<Profile | null>;
  profileById(id: string): Promise<Profile | null>;
  /** Atomically replaces the token and the recovery code of the profile this code belongs to; null when none matches (or another caller won). */
  recover(recoveryHash: string, newTokenHash: string, newRecoveryHash: string): Promise<Profile | null>;
  /** The profile holds answers: it no longer expires. */
  retain(profileId: string): Promise<void>;
}

/** Profiles that answered nothing are removed this long after creation (PROFILE_IDLE_DAYS). */
export const DEFAULT_PROFILE_IDLE_MS = 30 * 24 * 3_600_000;
/** Retained ids remembered in this process, so answers after the first cost no store call. */
const RETAINED_REMEMBERED = 10_000;

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
  private readonly retained = new Set<string>();

  constructor(
    private readonly store: ProfileStore,
    private readonly now: () => number = Date.now,
    private readonly idleMs: number = DEFAULT_PROFILE_IDLE_MS,
  ) {}

  async create(nickname: string): Promise<ProfileResult<{ profile: Profile; token: string; recoveryCode: string }>> {
    const checked = normalizeNickname(nickname);
    if (!checked.ok) return { ok: false, code: 'NICKNAME_INVALID', message: checked.reason };
    const profile: Profile = { id: nanoid(12), name: checked.nickname, createdAt: this.now() };
    const token = nanoid(32);
    const recovery = recoveryChars();
    await this.store.createProfile(profile, hashSecret(token), hashSecret(recovery), this.idleMs);
    return { ok: true, value: { profile, token, recoveryCode: formatRecoveryCode(recovery) } };
  }

  /** The profile a token belongs to; null for unknown, malformed, replaced or expired tokens. */
  async authenticate(token: string): Promise<Profile | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
    return this.store.profileByToken(hashSecret(token));
  }

  /**
   * Moves the profile to this device: a fresh token and a fresh recovery code; the previous ones stop working,
   * so a code seen once cannot take the profile back later. Of several callers with one code, one wins.
   */
  async recover(recoveryCode: string): Promise<ProfileResult<{ profile: Profile; token: string; recoveryCode: string }>> {
    const code = normalizeRecoveryCode(recoveryCode);
    const token = nanoid(32);
    const next = recoveryChars();
    const profile = code.length === 20 ? await this.store.recover(hashSecret(code), hashSecret(token), hashSecret(next)) : null;
    if (!profile) return { ok: false, code: 'SESSION_INVALID', message: 'that recovery code does not match a profile (a code works once: each recovery gives a new one)' };
    return { ok: true, value: { profile, token, recoveryCode: formatRecoveryCode(next) } };
  }

  /** The profile answered something: keep it for good. */
  async retain(profileId: string): Promise<void> {
    if (this.retained.has(profileId)) return;
    await this.store.retain(profileId);
    if (this.retained.size >= RETAINED_REMEMBERED) this.retained.clear();
    this.retained.add(profileId);
  }
}
