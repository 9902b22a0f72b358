import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { ClientEventName, serverMessageSchemas } from '../../shared/protocol/events.js';

/**
 * The words the schemas cannot carry: who may send an event and what its refusals mean. Keyed by
 * the event maps, so a new event does not type-check until it is described here.
 */

export type ServerMessageName = keyof typeof serverMessageSchemas;

export interface EventDoc {
  who: string;
  summary: string;
  notes?: string;
  /** Refusals specific to this event (every event may also get BAD_REQUEST, RATE_LIMITED, INTERNAL…). */
  errors?: ErrorCode[];
}

const PLAY: ErrorCode[] = ['WRONG_PHASE', 'PAUSED', 'STALE_QUESTION', 'LATE', 'NOT_OPEN_YET', 'SESSION_REPLACED', 'KICKED'];

export const EVENT_DOCS: Record<ClientEventName, EventDoc> = {
  'room:create': {
    who: 'anyone (this socket becomes the host)',
    summary: 'Create a room with optional settings',
    notes: 'Limited per client address (ROOMS_PER_IP_PER_MINUTE).',
    errors: ['INVALID_SETTINGS', 'UNSUPPORTED_PROTOCOL'],
  },
  'host:attach': {
    who: 'anyone holding the host token',
    summary: 'Take control of a room again (after a reload or from another screen)',
    notes: 'The previous host socket gets session:replaced. An unknown room and a wrong token get the same SESSION_INVALID. Limited per client address (RESUMES_PER_IP_PER_MINUTE).',
    errors: ['SESSION_INVALID', 'UNSUPPORTED_PROTOCOL'],
  },
  'host:configure': { who: 'the host, in the lobby', summary: 'Change settings (a partial patch, merged and re-validated)', errors: ['INVALID_SETTINGS', 'WRONG_PHASE'] },
  'host:command': {
    who: 'the host',
    summary: 'start, pause, resume, skip, reveal, next or end',
    notes: 'next on a reveal shows the leaderboard (Study: advances at once); next on the leaderboard opens the following question or finishes the game.',
    errors: ['WRONG_PHASE', 'NO_PLAYERS', 'NO_QUESTIONS'],
  },
  'host:kick': {
    who: 'the host',
    summary: 'Remove a player: their seat, practice profile and nickname are banned from the room',
    errors: ['UNKNOWN_PLAYER'],
  },
  'host:unban': { who: 'the host', summary: 'Lift a ban listed in the host view’s bans', errors: ['UNKNOWN_PLAYER'] },
  'host:lock': { who: 'the host', summary: 'Lock or unlock the room to new players', errors: ['WRONG_PHASE'] },
  'room:join': {
    who: 'anyone',
    summary: 'Take a seat with a nickname (and a team, and a practice profile token)',
    notes: 'Limited per client address (JOINS_PER_IP_PER_MINUTE) and per room (JOINS_PER_ROOM_PER_MINUTE).',
    errors: ['ROOM_NOT_FOUND', 'ROOM_FULL', 'ROOM_LOCKED', 'KICKED', 'NICKNAME_INVALID', 'NICKNAME_TAKEN', 'UNKNOWN_TEAM', 'SESSION_INVALID', 'WRONG_PHASE', 'UNSUPPORTED_PROTOCOL'],
  },
  'room:resume': {
    who: 'anyone holding a session token',
    summary: 'Come back to your seat (same name, team and score) on a new connection',
    notes: 'The seat’s previous socket gets session:replaced. An unknown room and a wrong token get the same SESSION_INVALID. Limited per client address (RESUMES_PER_IP_PER_MINUTE).',
    errors: ['SESSION_INVALID', 'KICKED', 'ROOM_UNAVAILABLE', 'UNSUPPORTED_PROTOCOL'],
  },
  'player:team': { who: 'a player', summary: 'Pick a team (or none)', errors: ['UNKNOWN_TEAM', 'WRONG_PHASE'] },
  'player:answer': {
    who: 'a player, question open',
    summary: 'Answer the open question (Classic, Study; in Buzz-in only while holding the floor)',
    notes: 'The same answer sent again is acknowledged with alreadyRecorded: true and counted once.',
    errors: [...PLAY, 'ALREADY_ANSWERED', 'INVALID_CHOICE', 'LOCKED_OUT', 'NOT_YOUR_TURN'],
  },
  'player:buzz': {
    who: 'a player, Buzz-in question open',
    summary: 'Buzz in',
    notes: 'The ack means the buzz was recorded, not that you won the floor: the winner is announced in the next view (question.buzz.holder, me.holdsFloor).',
    errors: [...PLAY, 'LOCKED_OUT', 'FLOOR_TAKEN', 'ALREADY_BUZZED'],
  },
  'exam:answer': { who: 'a player, room exam running', summary: 'Set, change or (with []) clear an answer', errors: ['STALE_QUESTION', 'INVALID_CHOICE', 'ALREADY_SUBMITTED', 'PAUSED', 'LATE'] },
  'exam:flag': { who: 'a player, room exam running', summary: 'Flag or unflag a question for review', errors: ['STALE_QUESTION', 'ALREADY_SUBMITTED', 'PAUSED', 'LATE'] },
  'exam:submit': { who: 'a player, room exam running', summary: 'Hand your sheet in for good', errors: ['ALREADY_SUBMITTED', 'PAUSED', 'LATE'] },
  'time:sync': { who: 'anyone', summary: 'Clock offset: the server echoes clientTime with its own time' },
  'host:export': { who: 'the host, game finished', summary: 'The full results (players, questions with answers, every answer, domains)', errors: ['WRONG_PHASE'] },
  'question:flag': {
    who: 'anyone in a room (host or player)',
    summary: 'Report a question of this game as wrong or unclear',
    notes: 'The reason needs visible characters (letters, numbers, symbols).',
    errors: ['NOT_IN_ROOM', 'STALE_QUESTION', 'UNKNOWN_QUESTION', 'REASON_INVALID'],
  },
  'player:protest': {
    who: 'a player, from the question’s reveal until the game ends',
    summary: 'Protest the judged answer to a revealed question (1-300 visible characters)',
    errors: ['NOT_REVEALED', 'UNKNOWN_QUESTION', 'WRONG_MODE', 'NOTHING_TO_PROTEST', 'ALREADY_PROTESTED', 'QUESTION_VOIDED', 'REASON_INVALID', 'WRONG_PHASE', 'TOO_MANY_PROTESTS'],
  },
  'host:protest': {
    who: 'the host',
    summary: 'Decide a protest: void the question, re-score the answer, or reject',
    errors: ['UNKNOWN_PROTEST', 'ALREADY_DECIDED', 'ALREADY_CORRECT', 'QUESTION_VOIDED'],
  },
};

export const MESSAGE_DOCS: Record<ServerMessageName, { summary: string; notes?: string }> = {
  'room:view': {
    summary: 'The full view for this socket, after every change',
    notes:
      'Phase, open question or exam (never a solution before its reveal), reveal, leaderboard, final report, your seat. Changes every screen must see (phase, question, buzz, scores, pause, settings) go to everyone at once; routine ones (answer counts, joins, who is online) reach host screens at most every 500 ms and players not at all.',
  },
  'room:kicked': { summary: 'The host removed you' },
  'room:closed': { summary: 'The room is gone for good', notes: 'Sent to every socket still in the room when it closes; the socket is no longer bound to it.' },
  'session:replaced': { summary: 'Another connection took this seat or host control', notes: 'Show the person that the seat is open on another device; do not resume automatically.' },
  'net:ping': { summary: 'Latency probe: acknowledge it at once', notes: 'Sent once on connect; later samples come from Socket.IO’s own heartbeat.' },
};
