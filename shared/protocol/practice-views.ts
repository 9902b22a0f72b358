import { z } from 'zod';
import { OutlineDomainIdSchema, OutlineIdSchema } from '../curriculum-schema.js';
import { PublicQuestionSchema, QuestionTypeSchema } from '../question.js';

/** Response shapes of the practice and exam API, shared by the server and the client (the types derive from these schemas). */

export const AnswerOutcomeSchema = z.object({
  rated: z.boolean(),
  review: z.enum(['added', 'rescheduled', 'learned']).nullable(),
  ratingBefore: z.number(),
  ratingAfter: z.number(),
  domainRatingAfter: z.number(),
  /** The rating of the question's domain in the 5-domain outline. */
  domain2025RatingAfter: z.number(),
  points: z.number(),
});
export type AnswerOutcome = z.infer<typeof AnswerOutcomeSchema>;

export const AnswerFeedbackSchema = z.object({
  correct: z.boolean(),
  correctChoices: z.array(z.int()),
  explanation: z.string(),
  sourceUrl: z.string(),
  outcome: AnswerOutcomeSchema,
});
export type AnswerFeedback = z.infer<typeof AnswerFeedbackSchema>;

export const DomainReportSchema = z.object({
  /** A domain of the outline the report was asked for. */
  domain: OutlineDomainIdSchema,
  answered: z.int(),
  accuracy: z.number().nullable(),
  averageMs: z.number().nullable(),
  rating: z.number(),
  /** Rating deviation: the rating is likely within about twice this either way. */
  deviation: z.number(),
  provisional: z.boolean(),
  /** Rated answers (first practice attempts) in this domain: readiness needs a minimum in each. */
  rated: z.int(),
});
export type DomainReport = z.infer<typeof DomainReportSchema>;

/** A question in the review queue, with what the learner answered and the solution. */
export const MissedQuestionSchema = z.object({
  questionId: z.string(),
  /** The question's domain in the report's outline. */
  domain: OutlineDomainIdSchema,
  prompt: z.string(),
  type: QuestionTypeSchema,
  choices: z.array(z.string()),
  correctChoices: z.array(z.int()),
  /** The learner's choices at the last miss; null = left unanswered (or not recorded, see `answerRecorded`). */
  yourAnswer: z.array(z.int()).nullable(),
  /** False for misses recorded before answers were kept. */
  answerRecorded: z.boolean(),
  explanation: z.string(),
  sourceUrl: z.string(),
  due: z.string(),
});
export type MissedQuestion = z.infer<typeof MissedQuestionSchema>;

export const ReadinessSchema = z.object({
  /** Null until every domain of the outline has `minRatedPerDomain` rated answers. */
  percent: z.number().nullable(),
  provisional: z.boolean(),
  /** One sentence: what the estimate is based on. */
  method: z.string(),
  minRatedPerDomain: z.int(),
  /** Domains that have the minimum, of `domainsTotal`. */
  domainsReady: z.int(),
  domainsTotal: z.int(),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

export const PracticeStatsSchema = z.object({
  /** The outline the domain reports and readiness follow. */
  outline: OutlineIdSchema,
  rating: z.number(),
  deviation: z.number(),
  provisional: z.boolean(),
  trend: z.array(z.object({ at: z.number(), rating: z.number() })),
  /** Weakest first. */
  domains: z.array(DomainReportSchema),
  /** Provisional until every domain has its own, settled rating. */
  readiness: ReadinessSchema,
  dueReviews: z.int(),
  missed: z.array(MissedQuestionSchema),
});
export type PracticeStats = z.infer<typeof PracticeStatsSchema>;

export const ExamResultSchema = z.object({
  correct: z.int(),
  total: z.int(),
  percent: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  timedOut: z.boolean(),
  /** The outline `byDomain` follows (older stored exams: cca-2024). */
  outline: OutlineIdSchema,
  byDomain: z.array(z.object({ domain: OutlineDomainIdSchema, correct: z.int(), total: z.int() })),
  /** `domain` in the result's outline. */
  questions: z.array(
    z.object({
      id: z.string(),
      domain: OutlineDomainIdSchema,
      prompt: z.string(),
      choices: z.array(z.string()),
      yourAnswer: z.array(z.int()).nullable(),
      correctChoices: z.array(z.int()),
      correct: z.boolean(),
      flagged: z.boolean(),
      explanation: z.string(),
      sourceUrl: z.string(),
    }),
  ),
});
export type ExamResult = z.infer<typeof ExamResultSchema>;

/** What the exam page gets: no solutions until the exam is submitted. */
export const ExamViewSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'submitted']),
  deadline: z.number(),
  serverTime: z.number(),
  passMark: z.number(),
  passMarkOfficial: z.literal(false),
  questions: z.array(PublicQuestionSchema),
  answers: z.array(z.array(z.int()).nullable()),
  flags: z.array(z.boolean()),
  result: ExamResultSchema.nullable(),
});
export type ExamView = z.infer<typeof ExamViewSchema>;

export const ExamSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  status: z.enum(['open', 'submitted']),
  total: z.int(),
  percent: z.number().nullable(),
  passed: z.boolean().nullable(),
  /** Taken as a room mock exam (with a practice profile), not alone. */
  roomCode: z.string().nullable(),
});
export type ExamSummary = z.infer<typeof ExamSummarySchema>;
