import { z } from 'zod';
import { HOST_COMMANDS } from '../../shared/protocol/events.js';
import { PROTEST_DECISIONS } from '../../shared/protocol/protests.js';
import type { Same } from '../../shared/protocol/view-parts.js';
import type { JoinLinks } from '../../shared/protocol/views.js';
import { RoomSettingsPatchSchema } from '../../shared/settings.js';
import type { Action } from '../game/actions.js';
import type { RoomDeck } from '../game/decks.js';
import type { RoomState } from '../game/state.js';

/**
 * What a room's snapshot and log entries look like on Redis, validated on every restore: a room
 * that does not parse is refused whole (closed cleanly), never half-loaded.
 */
export const SNAPSHOT_VERSION = 2;

const id = z.string().min(1).max(200);
const time = z.number().finite();
const nullableTime = time.nullable();
/** Objects keyed by ids come back without a prototype, so `__proto__` is just another key. */
const idRecord = <T extends z.ZodType>(value: T) =>
  z.record(z.string(), value).transform((r) => Object.assign(Object.create(null) as Record<string, z.output<T>>, r));

const JoinLinksSchema: z.ZodType<JoinLinks> = z.strictObject({
  url: z.string(),
  lanUrls: z.array(z.string()),
  loopbackOnly: z.boolean(),
  source: z.enum(['public-url', 'host-address']),
});

const ActorSchema = z.union([z.strictObject({ role: z.literal('host') }), z.strictObject({ role: z.literal('player'), playerId: id })]);
const choices = z.array(z.number().int().min(0).max(63)).max(64);
/** Decks are resolved and checked by the shell before they reach the reducer; here only their shape. */
const DeckSchema = z.custom<RoomDeck>((v) => typeof v === 'object' && v !== null && Array.isArray((v as { questionIds?: unknown }).questionIds));

const ActionUnion = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('join'),
    playerId: id,
    name: z.string(),
    team: z.string().nullable().optional(),
    profileId: id.nullable().optional(),
    formerPlayerId: id.nullable().optional(),
  }),
  z.strictObject({ type: z.literal('connection'), playerId: id, connected: z.boolean() }),
  z.strictObject({ type: z.literal('set-team'), playerId: id, team: z.string().nullable() }),
  z.strictObject({ type: z.literal('configure'), by: ActorSchema, settings: RoomSettingsPatchSchema }),
  z.strictObject({ type: z.literal('set-deck'), by: ActorSchema, deck: DeckSchema.nullable() }),
  ...HOST_COMMANDS.map((command) => z.strictObject({ type: z.literal(command), by: ActorSchema })),
  z.strictObject({ type: z.literal('kick'), by: ActorSchema, playerId: id }),
  z.strictObject({ type: z.literal('unban'), by: ActorSchema, playerId: id }),
  z.strictObject({ type: z.literal('lock'), by: ActorSchema, locked: z.boolean() }),
  z.strictObject({ type: z.literal('answer'), playerId: id, questionId: id, choices }),
  z.strictObject({ type: z.literal('buzz'), playerId: id, questionId: id, latencyMs: z.number().finite().min(0) }),
  z.strictObject({ type: z.literal('exam-answer'), playerId: id, questionId: id, choices }),
  z.strictObject({ type: z.literal('exam-flag'), playerId: id, questionId: id, flagged: z.boolean() }),
  z.strictObject({ type: z.literal('exam-submit'), playerId: id }),
  z.strictObject({ type: z.literal('protest'), playerId: id, questionId: id, reason: z.string() }),
  z.strictObject({ type: z.literal('decide-protest'), by: ActorSchema, protestId: id, decision: z.enum(PROTEST_DECISIONS) }),
  z.strictObject({ type: z.literal('timeout') }),
]);
/** Fails to compile when an action is added or changed without its schema following. */
const actionSchemaMatches: Same<z.output<typeof ActionUnion>, Action> = true;
void actionSchemaMatches;
export const ActionSchema: z.ZodType<Action> = ActionUnion as z.ZodType<Action>;

/** A new seat: the session token's hash (never the token) and the profile it joined with. */
const SessionSchema = z.strictObject({ tokenHash: z.string().min(16), playerId: id, profileId: id.nullable() });

/** One accepted change to a room, in the order the owner applied it, with the time it applied it at. */
export const LogEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  epoch: z.number().int().min(1),
  at: time,
  action: ActionSchema.optional(),
  session: SessionSchema.optional(),
  links: JoinLinksSchema.optional(),
});
export type LogEntry = z.output<typeof LogEntrySchema>;

const PlayerSchema = z.looseObject({
  id,
  name: z.string(),
  nameKey: z.string(),
  team: z.string().nullable(),
  score: z.number().finite(),
  streak: z.number().int(),
  connected: z.boolean(),
  droppedAt: nullableTime.optional(),
  joinedAt: time,
});

const AnswerSchema = z.looseObject({ choices, at: time, elapsedMs: time });
const RoundSchema = z.looseObject({
  index: z.number().int().min(0),
  opensAt: nullableTime.optional(),
  openedAt: nullableTime,
  deadline: nullableTime,
  frozenAt: nullableTime,
  answers: idRecord(AnswerSchema),
  buzz: z.looseObject({ pending: z.array(z.looseObject({ playerId: id })), lockedOut: z.array(id), attempts: z.array(z.looseObject({ playerId: id })) }).nullable(),
});
const ResultSchema = z.looseObject({
  index: z.number().int().min(0),
  questionId: id,
  domain: z.string(),
  distribution: z.array(z.number()),
  perPlayer: idRecord(z.looseObject({ correct: z.boolean(), points: z.number().finite() })),
  participants: z.number().int().min(0),
});
const ExamSchema = z.looseObject({
  startedAt: time,
  deadline: time,
  sheets: idRecord(z.looseObject({ answers: idRecord(choices), flagged: z.array(id), submittedAt: nullableTime })),
  endedAt: nullableTime,
});
const GameQuestionSchema = z.looseObject({ question: z.looseObject({ id, domain: z.string(), choices: z.array(z.unknown()) }), solution: z.looseObject({}) });

/** The reducer's state as stored: every field the reducer relies on is present and of its type. */
const RoomStateSchema = z.looseObject({
  code: z.string().min(1),
  createdAt: time,
  rng: z.number().int(),
  settings: z.looseObject({ mode: z.string() }),
  maxPlayers: z.number().int().min(1),
  presenceGraceMs: z.number().int().min(0),
  phase: z.enum(['lobby', 'question', 'exam', 'reveal', 'leaderboard', 'finished']),
  locked: z.boolean(),
  pausedAt: nullableTime,
  players: idRecord(PlayerSchema),
  playerOrder: z.array(id),
  banned: z.array(id),
  questions: z.array(GameQuestionSchema),
  round: RoundSchema.nullable(),
  exam: ExamSchema.nullable(),
  results: z.array(ResultSchema),
  scoreLog: z.array(z.looseObject({ playerId: id, points: z.number().finite() })),
  protests: z.array(z.looseObject({ id, playerId: id })).optional(),
  deck: DeckSchema.nullable().optional(),
  version: z.number().int().min(0),
});

const roomParts = {
  state: RoomStateSchema,
  hostTokenHash: z.string().min(16),
  sessions: z.array(z.tuple([z.string().min(16), id])),
  profiles: z.array(z.tuple([id, id])),
  join: JoinLinksSchema.nullable(),
};

/** Version 1 (before the room log): the room alone, no sequence number. */
const SnapshotV1Schema = z.looseObject({
  v: z.literal(1),
  ...roomParts,
  profiles: roomParts.profiles.optional(),
  join: roomParts.join.optional(),
});

/** Version 2: the room after log entry `seq`, written by the holder of lease `epoch`. */
const SnapshotV2Schema = z.strictObject({ v: z.literal(2), seq: z.number().int().min(0), epoch: z.number().int().min(0), ...roomParts });

export interface RoomSnapshot {
  v: typeof SNAPSHOT_VERSION;
  /** The last log entry this snapshot includes (0: none). */
  seq: number;
  epoch: number;
  state: RoomState;
  hostTokenHash: string;
  sessions: [tokenHash: string, playerId: string][];
  profiles: [playerId: string, profileId: string][];
  join: JoinLinks | null;
}

export type SnapshotDecode = { ok: true; snapshot: RoomSnapshot; migratedFrom: number | null } | { ok: false; reason: string };

/** Parses a stored snapshot of any known version into the current one. */
export function decodeSnapshot(data: string): SnapshotDecode {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const version = typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined;
  if (version === 1) {
    const v1 = SnapshotV1Schema.safeParse(raw);
    if (!v1.success) return { ok: false, reason: `version 1 malformed: ${issueText(v1.error)}` };
    const { state, hostTokenHash, sessions, profiles, join } = v1.data;
    // Before the log there were no entries: the snapshot was the whole room.
    return { ok: true, migratedFrom: 1, snapshot: { v: 2, seq: 0, epoch: 0, state: state as unknown as RoomState, hostTokenHash, sessions, profiles: profiles ?? [], join: join ?? null } };
  }
  if (version !== SNAPSHOT_VERSION) return { ok: false, reason: `unknown version ${JSON.stringify(version)}` };
  const v2 = SnapshotV2Schema.safeParse(raw);
  if (!v2.success) return { ok: false, reason: `version 2 malformed: ${issueText(v2.error)}` };
  return { ok: true, migratedFrom: null, snapshot: { ...v2.data, v: 2, state: v2.data.state as unknown as RoomState } };
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

export type LogDecode = {
  entries: LogEntry[];
  /** Entries stored twice (same sequence number and content): skipped. */
  duplicates: number;
  /** Where the log stops making sense (torn, malformed or out of sequence): replay stops there. */
  brokenAt: { seq: number; reason: string } | null;
};

/** Checks the entries after a snapshot: in sequence from `after + 1`, each one well-formed. */
export function decodeLog(raw: string[], first: number, after: number): LogDecode {
  const entries: LogEntry[] = [];
  let duplicates = 0;
  let expected = after + 1;
  let previous: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!;
    let parsed: LogEntry;
    try {
      const result = LogEntrySchema.safeParse(JSON.parse(text));
      if (!result.success) return { entries, duplicates, brokenAt: { seq: first + i, reason: `malformed: ${issueText(result.error)}` } };
      parsed = result.data;
    } catch {
      return { entries, duplicates, brokenAt: { seq: first + i, reason: 'torn (not JSON)' } };
    }
    if (parsed.seq < expected) {
      // Already in the snapshot, or the same entry twice.
      if (parsed.seq === expected - 1 && text === previous) duplicates++;
      else if (parsed.seq > after) return { entries, duplicates, brokenAt: { seq: parsed.seq, reason: 'sequence number repeated with other content' } };
      continue;
    }
    if (parsed.seq > expected) return { entries, duplicates, brokenAt: { seq: expected, reason: `gap: entry ${expected} missing` } };
    entries.push(parsed);
    previous = text;
    expected++;
  }
  return { entries, duplicates, brokenAt: null };
}
