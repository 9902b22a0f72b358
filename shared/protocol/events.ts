import { z } from 'zod';
import { RoomSettingsPatchSchema, TeamNameSchema } from '../settings.js';
import { QuestionIdSchema } from '../question.js';
import { ERROR_CODES, type Ack } from './errors.js';
import { PROTEST_DECISIONS } from './protests.js';
import { GameExportSchema } from './export.js';
import { RoleSchema, RoomViewSchema } from './views.js';

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
  /** Host: lift a kick's ban (ids from the host view's `bans`): that person may join again, as a new seat. */
  'host:unban': z.strictObject({ playerId: PlayerIdSchema }),
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

const viewAck = z.object({ view: RoomViewSchema });
const receipt = z.object({ accepted: z.literal(true), receivedAt: z.number().meta({ description: 'Server time the event arrived' }) });

/** What each event's successful ack carries besides `ok: true`. */
export const ackDataSchemas = {
  'room:create': z.object({
    code: z.string(),
    hostToken: z.string().meta({ description: 'Secret: keep it to take control again (host:attach) after a reload' }),
    joinUrl: z.string(),
    view: RoomViewSchema,
  }),
  'host:attach': viewAck,
  'host:configure': viewAck,
  'host:command': viewAck,
  'host:kick': viewAck,
  'host:unban': viewAck,
  'host:lock': viewAck,
  'room:join': z.object({
    playerId: z.string(),
    sessionToken: z.string().meta({ description: 'Secret: resume the seat with it (room:resume) after a drop or reload' }),
    view: RoomViewSchema,
  }),
  'room:resume': z.object({ playerId: z.string(), view: RoomViewSchema }),
  'player:team': viewAck,
  'player:answer': receipt.extend({
    receivedAt: z.number().meta({ description: 'Server time the answer arrived: its speed score is measured from it (for a resend, when the first copy arrived while the question is open)' }),
    alreadyRecorded: z.boolean().meta({ description: 'This very answer had already arrived (a resend): it counts once' }),
  }),
  'player:buzz': receipt.meta({ description: 'The buzz is recorded: NOT that you have the floor (watch question.buzz.holder / me.holdsFloor)' }),
  'exam:answer': receipt,
  'exam:flag': receipt,
  'exam:submit': viewAck.meta({ description: 'The view shows your sheet as submitted (or the debrief, if yours was the last one)' }),
  'time:sync': z.object({ clientTime: z.number(), serverTime: z.number() }),
  'host:export': z.object({ export: GameExportSchema }),
  'question:flag': z.object({ recorded: z.boolean().meta({ description: 'False if you had already flagged it' }) }),
  'player:protest': viewAck.meta({ description: "The view carries your protest's state (me.protest)" }),
  'host:protest': viewAck,
} as const satisfies Record<ClientEventName, z.ZodType>;

export type AckData = { [E in ClientEventName]: z.infer<(typeof ackDataSchemas)[E]> };

export const ProtocolErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string().meta({ description: 'A sentence for the person holding the phone' }) });

export type AckFor<E extends ClientEventName> = Ack<AckData[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (response: AckFor<E>) => void) => void;
};

/** Server → client messages (none carries an ack, except the server's latency ping). */
export const serverMessageSchemas = {
  'room:view': RoomViewSchema,
  'room:kicked': z.object({ code: z.string() }).meta({ description: 'You were removed by the host: this seat, your profile and your nickname cannot rejoin until the host lifts the ban' }),
  'room:closed': z
    .object({ code: z.string(), reason: z.enum(['ended', 'expired']) })
    .meta({
      description:
        'The room is gone: `expired` after ROOM_IDLE_MINUTES without activity (a finished game stays open for the podium, export and protests until then); `ended` is kept for a room closed on purpose, which this server does not send today',
    }),
  'session:replaced': z
    .object({ code: z.string(), role: RoleSchema.exclude(['spectator']) })
    .meta({ description: 'Another connection resumed this seat (or attached as host): this socket no longer acts for it; its calls get SESSION_REPLACED' }),
  'net:ping': z.number().meta({ description: 'Server time; acknowledge it with any value: the server times the round trip itself' }),
} as const;

type Message<E extends keyof typeof serverMessageSchemas> = z.infer<(typeof serverMessageSchemas)[E]>;

export interface ServerToClientEvents {
  /** A full snapshot of what this socket may see; sent after every change. */
  'room:view': (view: Message<'room:view'>) => void;
  /** You were removed by the host; the seat, profile and nickname cannot rejoin this room. */
  'room:kicked': (info: Message<'room:kicked'>) => void;
  'room:closed': (info: Message<'room:closed'>) => void;
  /** Another connection took this seat (or host control): this socket no longer acts for it. */
  'session:replaced': (info: Message<'session:replaced'>) => void;
  /** The server times its own round trips to estimate one-way latency for buzz fairness. */
  'net:ping': (serverTime: Message<'net:ping'>, ack: (clientEcho: number) => void) => void;
}
