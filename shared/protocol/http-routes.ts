import { z } from 'zod';
import { OutlineParamSchema } from '../curriculum-schema.js';
import { DECK_LIMITS, DeckRequestSchema } from './decks.js';
import type { ErrorCode } from './errors.js';
import { RoomCodeSchema } from './events.js';
import { AssignmentIdSchema, homeworkSchemas, HomeworkFeedbackSchema, StartReplySchema } from './homework.js';
import * as R from './http-replies.js';
import { WEEKLY_BOARDS } from './leaderboards.js';
import { practiceSchemas } from './practice.js';
import { AnswerFeedbackSchema, ExamViewSchema, PracticeStatsSchema } from './practice-views.js';

/**
 * Every HTTP route: its parameters, query, body and reply as zod schemas. The server validates with these,
 * the client types its calls with them, and the OpenAPI document is generated from them.
 */

/** Who may call: the Bearer token a route reads (the OpenAPI document names them as security schemes). */
export type HttpAuth = 'profile' | 'host' | 'member' | 'lead' | 'metrics';

export interface HttpRoute {
  method: 'get' | 'post' | 'put';
  /** Express style: `/api/rooms/:code`. */
  path: string;
  summary: string;
  tag: 'operations' | 'rooms' | 'bank' | 'leaderboards' | 'practice' | 'exams' | 'homework';
  auth?: HttpAuth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Largest JSON body read, in bytes (default 16 KB). */
  bodyLimit?: number;
  /** `alsoStatus`: the same body with another status (readiness: 503 while not ready). */
  ok: { status: 200 | 201; schema: z.ZodType; contentType?: 'text/plain'; alsoStatus?: 503 };
  /** Codes this route may refuse with besides the ones every route can (BAD_REQUEST, the body's, STORE_UNAVAILABLE, INTERNAL). */
  refusals: readonly ErrorCode[];
}

/** The HTTP status of each refusal code, the same on every route. */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> & Record<'BAD_REQUEST' | 'INTERNAL', number> = {
  BAD_REQUEST: 400,
  NICKNAME_INVALID: 400,
  INVALID_CHOICE: 400,
  SESSION_INVALID: 401,
  NOT_HOST: 403,
  NOT_FOUND: 404,
  ROOM_NOT_FOUND: 404,
  NO_QUESTIONS: 404,
  WRONG_PHASE: 409,
  NOT_SERVED: 409,
  ALREADY_ANSWERED: 409,
  ALREADY_SUBMITTED: 409,
  ROOM_FULL: 409,
  LATE: 410,
  DECK_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DECK_INVALID: 422,
  DECK_EMPTY: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  ROOM_UNAVAILABLE: 503,
};

export const httpStatus = (code: ErrorCode): number => HTTP_STATUS[code] ?? 400;

/** A whole number in a query string: digits only (`1.5`, `1e3`, `-1` and repeats are refused, not rounded). */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number ${min}-${max}`)
    .optional()
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.int().min(min, `must be ${min}-${max}`).max(max, `must be ${min}-${max}`))
    .meta({ description: `whole number ${min}-${max}; default ${fallback}` });

const pageQuery = (maxLimit: number, fallback: number) => z.object({ limit: wholeNumber(1, maxLimit, fallback), offset: wholeNumber(0, 100_000, 0) });

const RoomParams = z.object({ code: RoomCodeSchema.meta({ description: 'the 6-character room code (any case)' }) });
/** Solo exams: 16 characters; room exams: `room-<code>-<start>-<player id>`. */
const ExamId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'an exam id has letters, digits, - or _');
const AssignmentParams = z.object({ id: AssignmentIdSchema });
const noBody = z.strictObject({});

const deckBodyLimit = Math.ceil(DECK_LIMITS.maxUploadBytes * 1.5) + 4096;

export const HTTP_ROUTES = {
  health: { method: 'get', path: '/healthz', tag: 'operations', summary: 'The process runs', ok: { status: 200, schema: R.HealthSchema }, refusals: [] },
  ready: {
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    summary: 'Ready for players: the store answers and the node is not shutting down (503 with the same body otherwise)',
    ok: { status: 200, schema: R.ReadinessSchema, alsoStatus: 503 },
    refusals: [],
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics; with METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`',
    auth: 'metrics',
    ok: { status: 200, schema: R.MetricsTextSchema, contentType: 'text/plain' },
    refusals: ['SESSION_INVALID'],
  },
  openapi: {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'operations',
    summary: 'This document',
    ok: { status: 200, schema: z.object({ openapi: z.string() }).loose() },
    refusals: [],
  },
  asyncapi: {
    method: 'get',
    path: '/api/asyncapi.json',
    tag: 'operations',
    summary: 'The Socket.IO protocol as an AsyncAPI 3 document',
    ok: { status: 200, schema: z.object({ asyncapi: z.string() }).loose() },
    refusals: [],
  },
  bankStats: { method: 'get', path: '/api/bank/stats', tag: 'bank', summary: 'Question counts by domain, type and difficulty', ok: { status: 200, schema: R.BankStatsSchema }, refusals: [] },
  bankTopics: { method: 'get', path: '/api/bank/topics', tag: 'bank', summary: 'The topics a topics deck can pick', ok: { status: 200, schema: R.BankTopicsSchema }, refusals: [] },
  weekly: {
    method: 'get',
    path: '/api/leaderboards/weekly',
    tag: 'leaderboards',
    summary: 'Weekly points per person (ISO week, UTC; default this week); `board=exam` for room mock exams',
    query: z.object({
      board: z.enum(WEEKLY_BOARDS).default('quiz'),
      week: z.string().regex(/^\d{4}-W\d{2}$/, 'must look like 2026-W47').optional(),
      limit: wholeNumber(1, 200, 50),
    }),
    ok: { status: 200, schema: R.WeeklyLeaderboardSchema },
    refusals: [],
  },
  ratingBoard: {
    method: 'get',
    path: '/api/leaderboards/rating',
    tag: 'leaderboards',
    summary: 'Practice rating leaderboard, overall or per domain',
    query: z.object({ board: practiceSchemas.ratingBoard.default('overall'), limit: wholeNumber(1, 100, 50) }),
    ok: { status: 200, schema: R.RatingBoardSchema },
    refusals: [],
  },
  roomInfo: {
    method: 'get',
    path: '/api/rooms/:code',
    tag: 'rooms',
    summary: 'A room by its code (rate-limited per client address, failed guesses more tightly)',
    params: RoomParams,
    ok: { status: 200, schema: R.RoomInfoSchema },
    refusals: ['ROOM_NOT_FOUND', 'ROOM_UNAVAILABLE', 'RATE_LIMITED'],
  },
  roomLeaderboard: {
    method: 'get',
    path: '/api/rooms/:code/leaderboard',
    tag: 'rooms',
    summary: "A room's scores, highest first, a page at a time (kept a day after the room closes)",
    params: RoomParams,
    query: pageQuery(500, 100),
    ok: { status: 200, schema: R.RoomLeaderboardSchema },
    refusals: ['ROOM_NOT_FOUND', 'ROOM_UNAVAILABLE', 'RATE_LIMITED'],
  },
  roomDeck: {
    method: 'post',
    path: '/api/rooms/:code/deck',
    tag: 'rooms',
    summary: "Sets the room's question deck in the lobby; nothing changes on a refusal",
    auth: 'host',
    params: RoomParams,
    body: DeckRequestSchema,
    bodyLimit: deckBodyLimit,
    ok: { status: 200, schema: R.DeckReplySchema },
    refusals: ['NOT_HOST', 'ROOM_NOT_FOUND', 'ROOM_UNAVAILABLE', 'WRONG_PHASE', 'DECK_TOO_LARGE', 'DECK_INVALID', 'DECK_EMPTY', 'RATE_LIMITED'],
  },
  flags: {
    method: 'get',
    path: '/api/questions/flags',
    tag: 'bank',
    summary: 'Flagged or protested questions, most reported first, a page at a time (no room codes)',
    query: pageQuery(500, 100),
    ok: { status: 200, schema: R.FlagListSchema },
    refusals: [],
  },
  createProfile: {
    method: 'post',
    path: '/api/profiles',
    tag: 'practice',
    summary: 'A practice profile: a secret token for this browser and a recovery code (idle profiles that never answer expire)',
    body: practiceSchemas.createProfile,
    ok: { status: 201, schema: R.ProfileCredentialsSchema },
    refusals: ['NICKNAME_INVALID', 'RATE_LIMITED'],
  },
  recoverProfile: {
    method: 'post',
    path: '/api/profiles/recover',
    tag: 'practice',
    summary: 'Moves the profile to this device: a new token and a new recovery code; the old ones stop working',
    body: practiceSchemas.recoverProfile,
    ok: { status: 200, schema: R.ProfileCredentialsSchema },
    refusals: ['SESSION_INVALID', 'RATE_LIMITED'],
  },
  me: { method: 'get', path: '/api/me', tag: 'practice', summary: 'The profile of this token', auth: 'profile', ok: { status: 200, schema: R.MeSchema }, refusals: ['SESSION_INVALID'] },
  practiceNext: {
    method: 'post',
    path: '/api/practice/next',
    tag: 'practice',
    summary: 'The next practice question (no solution)',
    auth: 'profile',
    body: practiceSchemas.next,
    ok: { status: 200, schema: R.PracticeNextSchema },
    refusals: ['SESSION_INVALID', 'NO_QUESTIONS'],
  },
  practiceAnswer: {
    method: 'post',
    path: '/api/practice/answer',
    tag: 'practice',
    summary: 'Answers the question served last; rated on a first attempt',
    auth: 'profile',
    body: practiceSchemas.answer,
    ok: { status: 200, schema: AnswerFeedbackSchema },
    refusals: ['SESSION_INVALID', 'NOT_SERVED', 'ALREADY_ANSWERED', 'INVALID_CHOICE', 'NOT_FOUND'],
  },
  practiceStats: {
    method: 'get',
    path: '/api/practice/stats',
    tag: 'practice',
    summary: 'Rating, trend, domains weakest first, readiness, due reviews and missed questions',
    auth: 'profile',
    query: z.object({ outline: OutlineParamSchema }),
    ok: { status: 200, schema: PracticeStatsSchema },
    refusals: ['SESSION_INVALID'],
  },
  startExam: {
    method: 'post',
    path: '/api/exams',
    tag: 'exams',
    summary: 'Starts a mock exam (questions without solutions, deadline)',
    auth: 'profile',
    body: practiceSchemas.startExam,
    ok: { status: 201, schema: ExamViewSchema },
    refusals: ['SESSION_INVALID'],
  },
  exams: {
    method: 'get',
    path: '/api/exams',
    tag: 'exams',
    summary: 'Exam history (solo and room exams)',
    auth: 'profile',
    ok: { status: 200, schema: R.ExamHistorySchema },
    refusals: ['SESSION_INVALID'],
  },
  exam: {
    method: 'get',
    path: '/api/exams/:id',
    tag: 'exams',
    summary: 'One exam; the result once submitted or timed out',
    auth: 'profile',
    params: z.object({ id: ExamId }),
    ok: { status: 200, schema: ExamViewSchema },
    refusals: ['SESSION_INVALID', 'NOT_FOUND'],
  },
  examAnswer: {
    method: 'put',
    path: '/api/exams/:id/answers/:index',
    tag: 'exams',
    summary: 'Sets, changes or clears (`null`) the answer to one exam question, and its flag',
    auth: 'profile',
    params: z.object({ id: ExamId, index: wholeNumber(0, 999, 0) }),
    body: practiceSchemas.examAnswer,
    ok: { status: 200, schema: ExamViewSchema },
    refusals: ['SESSION_INVALID', 'NOT_FOUND', 'ALREADY_SUBMITTED', 'INVALID_CHOICE'],
  },
  submitExam: {
    method: 'post',
    path: '/api/exams/:id/submit',
    tag: 'exams',
    summary: 'Submits the exam; the view carries the result',
    auth: 'profile',
    params: z.object({ id: ExamId }),
    body: noBody,
    ok: { status: 200, schema: ExamViewSchema },
    refusals: ['SESSION_INVALID', 'NOT_FOUND', 'ALREADY_SUBMITTED'],
  },
  createHomework: {
    method: 'post',
    path: '/api/homework',
    tag: 'homework',
    summary: 'Sets homework: a deck resolved once, a due date; the lead token opens the results',
    body: homeworkSchemas.create,
    bodyLimit: 512 * 1024,
    ok: { status: 201, schema: R.AssignmentCreatedSchema },
    refusals: ['DECK_INVALID', 'DECK_EMPTY', 'DECK_TOO_LARGE', 'RATE_LIMITED'],
  },
  homework: {
    method: 'get',
    path: '/api/homework/:id',
    tag: 'homework',
    summary: 'An assignment as anyone holding the link sees it',
    params: AssignmentParams,
    ok: { status: 200, schema: R.AssignmentSchema },
    refusals: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  currentAttempt: {
    method: 'get',
    path: '/api/homework/:id/attempt',
    tag: 'homework',
    summary: "The member's attempt (the next question, never its answer), or null",
    auth: 'member',
    params: AssignmentParams,
    ok: { status: 200, schema: R.CurrentAttemptSchema },
    refusals: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  startAttempt: {
    method: 'post',
    path: '/api/homework/:id/attempt',
    tag: 'homework',
    summary: 'Starts or resumes an attempt; a member token comes back when there is no profile',
    auth: 'member',
    params: AssignmentParams,
    body: homeworkSchemas.start,
    ok: { status: 200, schema: StartReplySchema },
    refusals: ['NOT_FOUND', 'NICKNAME_INVALID', 'ALREADY_SUBMITTED', 'LATE', 'ROOM_FULL', 'RATE_LIMITED'],
  },
  homeworkAnswer: {
    method: 'post',
    path: '/api/homework/:id/answers',
    tag: 'homework',
    summary: 'Answers the next question of the attempt',
    auth: 'member',
    params: AssignmentParams,
    body: homeworkSchemas.answer,
    ok: { status: 200, schema: HomeworkFeedbackSchema },
    refusals: ['NOT_FOUND', 'SESSION_INVALID', 'ALREADY_ANSWERED', 'NOT_SERVED', 'ALREADY_SUBMITTED', 'INVALID_CHOICE', 'RATE_LIMITED'],
  },
  homeworkResults: {
    method: 'get',
    path: '/api/homework/:id/results',
    tag: 'homework',
    summary: "The lead's view: members, the member × question grid, domain accuracy",
    auth: 'lead',
    params: AssignmentParams,
    ok: { status: 200, schema: R.ResultsSchema },
    refusals: ['NOT_FOUND', 'NOT_HOST', 'RATE_LIMITED'],
  },
} as const satisfies Record<string, HttpRoute>;

export type HttpRouteId = keyof typeof HTTP_ROUTES;
/** The body a route answers with on success (what the client reads). */
export type HttpReply<K extends HttpRouteId> = z.output<(typeof HTTP_ROUTES)[K]['ok']['schema']>;
/** The body a route takes (what the client sends). */
export type HttpBody<K extends HttpRouteId> = (typeof HTTP_ROUTES)[K] extends { body: infer B extends z.ZodType } ? z.input<B> : never;
