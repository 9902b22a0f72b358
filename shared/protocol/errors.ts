/** The closed list of error codes a client can receive in an ack. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNSUPPORTED_PROTOCOL',
  'UNKNOWN_EVENT',
  'RATE_LIMITED',
  'ROOM_NOT_FOUND',
  'ROOM_FULL',
  'ROOM_LOCKED',
  'NOT_HOST',
  'NOT_IN_ROOM',
  'SESSION_INVALID',
  'KICKED',
  'NICKNAME_INVALID',
  'NICKNAME_TAKEN',
  'UNKNOWN_TEAM',
  'UNKNOWN_PLAYER',
  'WRONG_PHASE',
  'PAUSED',
  'STALE_QUESTION',
  'LATE',
  /** "Get ready" is still counting: the question cannot be answered or buzzed yet. */
  'NOT_OPEN_YET',
  'ALREADY_ANSWERED',
  'LOCKED_OUT',
  'NOT_YOUR_TURN',
  'FLOOR_TAKEN',
  'ALREADY_BUZZED',
  'INVALID_CHOICE',
  'INVALID_SETTINGS',
  'NO_QUESTIONS',
  'NO_PLAYERS',
  'NOT_FOUND',
  'NOT_SERVED',
  'ALREADY_SUBMITTED',
  'STORE_UNAVAILABLE',
  /** Protests: the question is not in this room, has not been revealed, or protests do not apply. */
  'UNKNOWN_QUESTION',
  'NOT_REVEALED',
  'WRONG_MODE',
  'NOTHING_TO_PROTEST',
  'ALREADY_PROTESTED',
  'REASON_INVALID',
  'TOO_MANY_PROTESTS',
  'UNKNOWN_PROTEST',
  'ALREADY_DECIDED',
  'ALREADY_CORRECT',
  'QUESTION_VOIDED',
  'ROOM_UNAVAILABLE',
  /** Decks: a deck that does not validate (problems listed), one over the size limits, or one that selects nothing. */
  'DECK_INVALID',
  'DECK_TOO_LARGE',
  'DECK_EMPTY',
  /** This seat (or the host's control) was taken over by another connection: this one no longer acts for it. */
  'SESSION_REPLACED',
  /** HTTP: a request body over the route's limit, or a content type, charset or encoding it does not read. */
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

export function fail(code: ErrorCode, message: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}
