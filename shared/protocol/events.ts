import { z } from 'zod';
import { RoomSettingsPatchSchema, TeamNameSchema } from '../settings.js';
import { QuestionIdSchema } from '../question.js';
import type { Ack } from './errors.js';
import { PROTEST_DECISIONS } from './protests.js';
import type { GameExport } from './export.js';
import type { RoomView } from './views.js';

import { PROTOCOL_VERSION } from './version.js';

export { PROTOCOL_VERSION };

import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from './room-code.js';

export { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH };

export const RoomCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`), 'room code: 6 characters');

const TokenSchema = z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/);
const PlayerIdSchema = z.string().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/);
const ProtocolSchema = z.literal(PROTOCOL_VERSION);
/** `<question index>:<player id>`, as the host view lists it. */
const ProtestIdSchema = z.string().max(40).regex(/^\d{1,5}:[A-Za-z0-9_-]{1,32}$/);
/** Length-capped here; the visible-character rules run in the room (NICKNAME_INVALID). */
const NicknameInputSchema = z.string().max(200);

export const HOST_COMMANDS = ['start', 'pause', 'resume', 'skip', 'reveal', 'next', 'end'] as const;
export type HostCommand = (typeof HOST_COMMANDS)[number];

/** One schema per client→server event; the server validates every payload with it at the edge. */
export const clientEventSchemas = {
  'room:create': z.strictObject({ protocol: ProtocolSchema, settings: RoomSettingsPatchSchema.optional() }),
  'host:attach': z.strictObject({ protocol: ProtocolSchema, code: RoomCodeSchema, hostToken: TokenSchema }),
  'host:configure': z.strictObject({ settings: RoomSettingsPatchSchema }),
  'host:command': z.strictObject({ command: z.enum(HOST_COMMANDS) }),
  'host:kick': z.strictObject({ playerId: PlayerIdSchema }),
  'host:lock': z.strictObject({ locked: z.boolean() }),
  'room:join': z.strictObject({
    protocol: ProtocolSchema,
    code: RoomCodeSchema,
    nickname: NicknameInputSchema,
    team: TeamNameSchema.optional(),
    /** A practice profile's token: room answers then count towards that profile's stats. */
    profileToken: TokenSchema.optional(),
  }),
  'room:resume': z.strictObject({ protocol: ProtocolSchema, code: RoomCodeSchema, sessionToken: TokenSchema }),
  'player:team': z.strictObject({ team: TeamNameSchema.nullable() }),
  'player:answer': z.strictObject({
    questionId: QuestionIdSchema,
    choices: z.array(z.int().min(0).max(5)).min(1).max(6),
  }),
  'player:buzz': z.strictObject({ questionId: QuestionIdSchema }),
  /** Room exam: set or change an answer; empty `choices` clears it. */
  'exam:answer': z.strictObject({ questionId: QuestionIdSchema, choices: z.array(z.int().min(0).max(5)).max(6) }),
  'exam:flag': z.strictObject({ questionId: QuestionIdSchema, flagged: z.boolean() }),
  'exam:submit': z.strictObject({}),
  'time:sync': z.strictObject({ clientTime: z.number().finite() }),
  /** Host, once the game has finished: the full results for CSV/JSON download. */
  'host:export': z.strictObject({}),
  /** Anyone in a room: this question looks wrong or unclear. */
  'question:flag': z.strictObject({ questionId: QuestionIdSchema, reason: z.string().trim().min(3).max(280) }),
  /**
   * Player, from the reveal on: my answer to this question was judged wrongly. Length-capped here;
   * the 1-300 visible-character rules run in the room (REASON_INVALID).
   */
  'player:protest': z.strictObject({ questionId: QuestionIdSchema, reason: z.string().max(2_000) }),
  /** Host: accept a protest (void the question for everyone, or re-score the protester's answer) or reject it. */
  'host:protest': z.strictObject({ protestId: ProtestIdSchema, decision: z.enum(PROTEST_DECISIONS) }),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;
export type ParsedPayload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;

/** What each event's successful ack carries besides `ok: true`. */
export interface AckData {
  'room:create': { code: string; hostToken: string; joinUrl: string; view: RoomView };
  'host:attach': { view: RoomView };
  'host:configure': { view: RoomView };
  'host:command': { view: RoomView };
  'host:kick': { view: RoomView };
  'host:lock': { view: RoomView };
  'room:join': { playerId: string; sessionToken: string; view: RoomView };
  'room:resume': { playerId: string; view: RoomView };
  'player:team': { view: RoomView };
  /**
   * `receivedAt`: server time the answer arrived (what its speed score is measured from).
   * `alreadyRecorded`: this very answer had already arrived (a resend, e.g. from an outbox after a
   * reconnect): it counts once, and `receivedAt` is when the first copy arrived while the question is open.
   */
  'player:answer': { accepted: true; receivedAt: number; alreadyRecorded: boolean };
  'player:buzz': { accepted: true; receivedAt: number };
  'exam:answer': { accepted: true; receivedAt: number };
  'exam:flag': { accepted: true; receivedAt: number };
  /** The view shows your sheet as submitted (or the debrief, if yours was the last one). */
  'exam:submit': { view: RoomView };
  'time:sync': { clientTime: number; serverTime: number };
  'host:export': { export: GameExport };
  'question:flag': { recorded: boolean };
  /** The view carries your protest's state (`me.protest`). */
  'player:protest': { view: RoomView };
  'host:protest': { view: RoomView };
}

export type AckFor<E extends ClientEventName> = Ack<AckData[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (response: AckFor<E>) => void) => void;
};

export interface ServerToClientEvents {
  /** A full snapshot of what this socket may see; sent after every change. */
  'room:view': (view: RoomView) => void;
  /** You were removed by the host; the session cannot rejoin this room. */
  'room:kicked': (info: { code: string }) => void;
  'room:closed': (info: { code: string; reason: 'ended' | 'expired' }) => void;
  /** The server times its own round trips to estimate one-way latency for buzz fairness. */
  'net:ping': (serverTime: number, ack: (clientEcho: number) => void) => void;
}
