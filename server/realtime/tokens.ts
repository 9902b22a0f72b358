import { createHash } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../../shared/protocol/events.js';

export const newRoomCode = customAlphabet(ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH);
/** 192 bits: host and session tokens are bearer secrets. */
export const newSecret = (): string => nanoid(32);
export const newPlayerId = (): string => nanoid(12);

/** Only hashes of secrets are kept (in memory and in snapshots), so a leaked snapshot grants nothing. */
export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
