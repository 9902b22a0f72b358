import { z } from 'zod';
import type { OutlineId } from '../curriculum.js';
import { OutlineParamSchema } from '../curriculum-schema.js';
import type { PublicQuestion, QuestionType } from '../question.js';
import { DeckSpecSchema } from './decks.js';
import type { DomainAccuracy } from './views.js';

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

/** What anyone holding the link sees before starting. */
export interface AssignmentInfo {
  id: string;
  title: string;
  createdAt: number;
  dueAt: number;
  serverTime: number;
  outline: OutlineId;
  questionCount: number;
  /** False when some questions come from an uploaded deck nobody reviewed. */
  reviewed: boolean;
  /** New attempts may start (the due date has not passed). */
  open: boolean;
}

export interface AttemptView {
  name: string;
  status: 'in-progress' | 'finished';
  /** Index of the next question to answer (= total once finished). */
  index: number;
  total: number;
  score: number;
  startedAt: number;
  finishedAt: number | null;
  /** The next question; null once finished. Never its answer. */
  question: (PublicQuestion & { reviewed: boolean }) | null;
}

/** Reply to POST /attempt: the attempt, and the member token when the member has no profile. */
export interface StartReply {
  assignment: AssignmentInfo;
  attempt: AttemptView;
  resumed: boolean;
  /** Only on creation without a profile: the browser keeps it to resume. */
  memberToken?: string;
}

export interface HomeworkFeedback {
  correct: boolean;
  correctChoices: number[];
  explanation: string;
  sourceUrl: string;
  attempt: AttemptView;
}

export type GridCell = 'right' | 'wrong' | null;

/** The lead's view and the download: per member, per question, per domain. */
export interface HomeworkResults {
  assignment: AssignmentInfo;
  exportedAt: string;
  questions: {
    index: number;
    id: string;
    domain: string;
    domain2025: string;
    topic: string;
    type: QuestionType;
    prompt: string;
    choices: string[];
    correct: number[];
    explanation: string;
    sourceUrl: string;
    reviewed: boolean;
    /** Members who answered it / got it right. */
    answered: number;
    right: number;
  }[];
  members: {
    /** A public id for this attempt (not the member's token or profile). */
    id: string;
    name: string;
    profiled: boolean;
    status: 'in-progress' | 'finished';
    startedAt: number;
    finishedAt: number | null;
    score: number;
    answered: number;
    /** One cell per question, in question order. */
    grid: GridCell[];
    /** The choices picked per question (null = not yet answered). */
    choices: (number[] | null)[];
  }[];
  /** In the assignment's outline; only domains with questions. */
  domains: DomainAccuracy[];
}
