import { z } from 'zod';
import { OutlineDomainIdSchema, OutlineIdSchema, OutlineParamSchema } from '../curriculum-schema.js';
import { PublicQuestionSchema, QuestionTypeSchema } from '../question.js';
import { DeckSpecSchema } from './decks.js';

/** Limits of an assignment (the lead's form and the server agree on them). */
export const HOMEWORK_LIMITS = {
  maxQuestions: 100,
  /** Members per assignment: a study group, with room to spare. */
  maxMembers: 500,
  /** The due date lies at least this far ahead when the assignment is made... */
  minLeadMs: 60_000,
  /** ...and at most this far. */
  maxAheadMs: 366 * 24 * 3_600_000,
} as const;

/** 12 URL-safe characters (nanoid): the id is the invitation, so it is not guessable. */
export const AssignmentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{12}$/, 'an assignment id has 12 letters, digits, - or _');

/** Request bodies of /api/homework (HTTP, JSON). */
export const homeworkSchemas = {
  create: z.strictObject({
    title: z.string().trim().min(1, 'give the assignment a title').max(80),
    /** Shared deck spec (random, topics, ids, upload; "weakest" needs a room and is refused). */
    deck: DeckSpecSchema,
    /** Random and topics decks draw this many; ids and uploads keep every question. */
    count: z.int().min(1).max(HOMEWORK_LIMITS.maxQuestions).default(10),
    /** Milliseconds since the epoch. */
    dueAt: z.int().positive(),
    /** Domain accuracy in the results follows this outline. */
    outline: OutlineParamSchema,
  }),
  /** A member without a practice profile gives a name; with one, the profile's name is used. */
  start: z.strictObject({ name: z.string().max(200).optional() }),
  answer: z.strictObject({ index: z.int().min(0).max(HOMEWORK_LIMITS.maxQuestions - 1), choices: z.array(z.int().min(0).max(5)).min(1).max(6) }),
} as const;

export type CreateAssignmentBody = z.input<typeof homeworkSchemas.create>;

/** Accuracy per domain of the assignment's outline (the same shape as a room report's). */
const DomainAccuracySchema = z.object({
  domain: OutlineDomainIdSchema,
  answered: z.int(),
  correct: z.int(),
  /** correct / answered, 0-1; null when nothing was answered. */
  accuracy: z.number().nullable(),
});

/** What anyone holding the link sees before starting. */
export const AssignmentInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  dueAt: z.number(),
  serverTime: z.number(),
  outline: OutlineIdSchema,
  questionCount: z.int(),
  /** False when some questions come from an uploaded deck nobody reviewed. */
  reviewed: z.boolean(),
  /** New attempts may start (the due date has not passed). */
  open: z.boolean(),
});
export type AssignmentInfo = z.infer<typeof AssignmentInfoSchema>;

export const AttemptViewSchema = z.object({
  name: z.string(),
  status: z.enum(['in-progress', 'finished']),
  /** Index of the next question to answer (= total once finished). */
  index: z.int(),
  total: z.int(),
  score: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** The next question; null once finished. Never its answer. */
  question: PublicQuestionSchema.extend({ reviewed: z.boolean() }).nullable(),
});
export type AttemptView = z.infer<typeof AttemptViewSchema>;

/** Reply to POST /attempt: the attempt, and the member token when the member has no profile. */
export const StartReplySchema = z.object({
  assignment: AssignmentInfoSchema,
  attempt: AttemptViewSchema,
  resumed: z.boolean(),
  /** Only on creation without a profile: the browser keeps it to resume. */
  memberToken: z.string().optional(),
});
export type StartReply = z.infer<typeof StartReplySchema>;

export const HomeworkFeedbackSchema = z.object({
  correct: z.boolean(),
  correctChoices: z.array(z.int()),
  explanation: z.string(),
  sourceUrl: z.string(),
  attempt: AttemptViewSchema,
});
export type HomeworkFeedback = z.infer<typeof HomeworkFeedbackSchema>;

export const GridCellSchema = z.enum(['right', 'wrong']).nullable();
export type GridCell = z.infer<typeof GridCellSchema>;

/** The lead's view and the download: per member, per question, per domain. */
export const HomeworkResultsSchema = z.object({
  assignment: AssignmentInfoSchema,
  exportedAt: z.string(),
  questions: z.array(
    z.object({
      index: z.int(),
      id: z.string(),
      domain: z.string(),
      domain2025: z.string(),
      topic: z.string(),
      type: QuestionTypeSchema,
      prompt: z.string(),
      choices: z.array(z.string()),
      correct: z.array(z.int()),
      explanation: z.string(),
      sourceUrl: z.string(),
      reviewed: z.boolean(),
      /** Members who answered it / got it right. */
      answered: z.int(),
      right: z.int(),
    }),
  ),
  members: z.array(
    z.object({
      /** A public id for this attempt (not the member's token or profile). */
      id: z.string(),
      name: z.string(),
      profiled: z.boolean(),
      status: z.enum(['in-progress', 'finished']),
      startedAt: z.number(),
      finishedAt: z.number().nullable(),
      score: z.number(),
      answered: z.int(),
      /** One cell per question, in question order. */
      grid: z.array(GridCellSchema),
      /** The choices picked per question (null = not yet answered). */
      choices: z.array(z.array(z.int()).nullable()),
    }),
  ),
  /** In the assignment's outline; only domains with questions. */
  domains: z.array(DomainAccuracySchema),
});
export type HomeworkResults = z.infer<typeof HomeworkResultsSchema>;
