import { z } from 'zod';
import { DOMAIN_2025_IDS } from '../curriculum.js';
import { OutlineDomainIdSchema } from '../curriculum-schema.js';
import { DOMAIN_IDS } from '../domains.js';
import { PublicQuestionSchema, QUESTION_TYPES } from '../question.js';
import { DeckProblemSchema, DeckSummarySchema } from './decks.js';
import { ERROR_CODES } from './errors.js';
import { AssignmentInfoSchema, AttemptViewSchema, HomeworkResultsSchema } from './homework.js';
import { ExamSummarySchema } from './practice-views.js';
import { PROTEST_DECISIONS } from './protests.js';

/** Response bodies of the HTTP API that are not practice or homework views (those live beside their requests). */

/** Every HTTP refusal, whatever the route: one code from the closed list and a sentence for the person. */
export const RefusalSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** Decks that do not validate: which question and field, when known. */
    problems: z.array(DeckProblemSchema).optional(),
  }),
});
export type Refusal = z.infer<typeof RefusalSchema>;

export const HealthSchema = z.object({ ok: z.literal(true) });

export const ReadinessSchema = z.object({
  ok: z.boolean(),
  store: z.enum(['memory', 'redis']),
  storeOk: z.boolean(),
  accepting: z.boolean(),
  /** As the store reports it: Redis with append-only or RDB snapshots on; null when Redis did not say. */
  persistent: z.boolean().nullable(),
  persistence: z.object({ aof: z.boolean().nullable(), rdb: z.boolean().nullable() }),
  node: z.string(),
});
export type ReadinessReply = z.infer<typeof ReadinessSchema>;

/** The Prometheus text exposition format. */
export const MetricsTextSchema = z.string();

const counts = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.int()])) as Record<K, z.ZodInt>);

export const BankStatsSchema = z.object({
  total: z.int(),
  byDomain: counts(DOMAIN_IDS),
  byDomain2025: counts(DOMAIN_2025_IDS),
  byType: counts(QUESTION_TYPES),
  byDifficulty: counts(['1', '2', '3'] as const),
});

export const WeeklyLeaderboardSchema = z.object({
  week: z.string(),
  board: z.enum(['quiz', 'exam']),
  entries: z.array(
    z.object({
      rank: z.int(),
      /** The person (`profile:<id>` or `seat:<playerId>`), never a nickname: same-named people are separate rows. */
      key: z.string(),
      /** Their latest display name. */
      name: z.string(),
      points: z.number(),
    }),
  ),
});

export const RoomInfoSchema = z.object({
  exists: z.literal(true),
  code: z.string(),
  mode: z.string(),
  phase: z.string(),
  playerCount: z.int(),
  teams: z.array(z.string()),
  joinable: z.boolean(),
});
export type RoomInfoReply = z.infer<typeof RoomInfoSchema>;

/** A page of a listing: `total` rows in all, these from `offset`. */
const page = { total: z.int(), limit: z.int(), offset: z.int() };

export const RoomLeaderboardSchema = z.object({
  code: z.string(),
  ...page,
  entries: z.array(z.object({ rank: z.int(), playerId: z.string(), name: z.string(), score: z.number() })),
});

export const BankTopicsSchema = z.object({ topics: z.array(z.object({ topic: z.string(), domain: z.enum(DOMAIN_IDS), count: z.int() })) });
export type BankTopicsReply = z.infer<typeof BankTopicsSchema>;

export const DeckReplySchema = z.object({ deck: DeckSummarySchema });

/** Flags and protests for bank maintainers; room codes are left out (a code is a key to a live room). */
export const FlagListSchema = z.object({
  ...page,
  flags: z.array(
    z.object({
      questionId: z.string(),
      count: z.int(),
      /** Newest first. */
      reasons: z.array(z.object({ reason: z.string(), at: z.string() })),
      /** Protests of answers to it in rooms, with the host's decision; newest first. */
      protests: z.array(z.object({ reason: z.string(), at: z.string(), decision: z.enum(PROTEST_DECISIONS).nullable(), decidedAt: z.string().nullable() })),
    }),
  ),
});

export const ProfileSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.number() });
/** The token is the browser's secret; the recovery code moves the profile to another device (a recovery replaces both). */
export const ProfileCredentialsSchema = z.object({ profile: ProfileSchema, token: z.string(), recoveryCode: z.string() });
export const MeSchema = z.object({ profile: ProfileSchema });
export const PracticeNextSchema = z.object({ question: PublicQuestionSchema, reason: z.enum(['new', 'review']) });
export const ExamHistorySchema = z.object({ exams: z.array(ExamSummarySchema) });
export const RatingBoardSchema = z.object({
  board: z.union([z.literal('overall'), OutlineDomainIdSchema]),
  entries: z.array(z.object({ rank: z.int(), name: z.string(), rating: z.number() })),
});

export const AssignmentCreatedSchema = z.object({ assignment: AssignmentInfoSchema, leadToken: z.string() });
export const AssignmentSchema = z.object({ assignment: AssignmentInfoSchema });
export const CurrentAttemptSchema = z.object({ assignment: AssignmentInfoSchema, attempt: AttemptViewSchema.nullable() });
export const ResultsSchema = z.object({ results: HomeworkResultsSchema });
