import type { ErrorCode, ProtocolError } from '../../../shared/protocol/errors.js';

/** What a player or host reads when the server refuses something: plain words, no codes. */
const HUMAN: Partial<Record<ErrorCode, string>> = {
  ROOM_NOT_FOUND: 'That room does not exist (or has ended). Check the code on the big screen.',
  ROOM_FULL: 'This room is full.',
  ROOM_LOCKED: 'The host has locked this room. Ask them to unlock it.',
  NICKNAME_TAKEN: 'Someone in this room already uses that nickname. Try another one.',
  KICKED: 'The host removed you from this game.',
  LATE: 'Too late: the question had closed.',
  ALREADY_ANSWERED: 'You already answered this question.',
  LOCKED_OUT: 'You are locked out for this question.',
  FLOOR_TAKEN: 'Someone else buzzed first.',
  ALREADY_BUZZED: 'You already buzzed on this question.',
  PAUSED: 'The game is paused.',
  RATE_LIMITED: 'Slow down a little and try again.',
  STORE_UNAVAILABLE: 'The server is busy for a moment. Trying again…',
  ROOM_UNAVAILABLE: 'The room is moving to another server. Trying again…',
  NOT_IN_ROOM: 'You are not in this room any more. Join again with the code.',
  SESSION_INVALID: 'Your seat in this room has expired. Join again with the code.',
  SESSION_REPLACED: 'This seat is open on another device or tab: continue there, or reload here to take it back.',
  UNSUPPORTED_PROTOCOL: 'This page is out of date. Reload it.',
  INTERNAL: 'No answer from the server. Check your connection.',
};

/** Codes whose own message already speaks to a person (it names the field or the rule). */
const SERVER_WORDS = new Set<ErrorCode>(['NICKNAME_INVALID', 'INVALID_SETTINGS', 'UNKNOWN_TEAM', 'NO_QUESTIONS', 'NO_PLAYERS', 'BAD_REQUEST']);

export function humanError(error: ProtocolError): string {
  if (SERVER_WORDS.has(error.code)) return error.message;
  return HUMAN[error.code] ?? error.message;
}

/** Refusals meaning the question closed before the answer arrived. */
export function isTooLate(code: ErrorCode): boolean {
  return code === 'LATE' || code === 'STALE_QUESTION' || code === 'WRONG_PHASE';
}
