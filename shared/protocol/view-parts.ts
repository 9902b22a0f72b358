import { z } from 'zod';
import { DOMAIN_2025_IDS, OUTLINE_IDS } from '../curriculum.js';
import { OutlineDomainIdSchema } from '../curriculum-schema.js';
import { DomainIdSchema, QUESTION_TYPES, type PublicQuestion } from '../question.js';
import { DECK_KINDS, type DeckSummary } from './decks.js';
import type { ExamResult } from './practice-views.js';
import { PROTEST_DECISIONS, type MyProtestView, type ProtestView } from './protests.js';

/**
 * Schemas of view parts whose TypeScript types live with other features (questions, decks, practice,
 * protests). The checks at the bottom fail type-checking when either side changes without the other.
 */

export const QuestionTypeSchema = z.enum(QUESTION_TYPES);
export const DifficultySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const ChoicesSchema = z.array(z.int().min(0));

export const PublicQuestionSchema = z.object({
  id: z.string(),
  domain: DomainIdSchema,
  domain2025: z.enum(DOMAIN_2025_IDS),
  topic: z.string(),
  difficulty: DifficultySchema,
  type: QuestionTypeSchema,
  prompt: z.string(),
  choices: z.array(z.string()),
  unreviewed: z.literal(true).optional().meta({ description: "From a deck the host uploaded: not checked by the bank's reviewers" }),
});

export const DeckSummarySchema = z.object({
  kind: z.enum(DECK_KINDS),
  size: z.int().nullable().meta({ description: 'Questions in the deck or its pool; null for a random draw' }),
  topics: z.array(z.string()).optional(),
  domains: z.array(z.string()).optional(),
  unreviewed: z.boolean(),
});

export const ExamResultSchema = z.object({
  correct: z.int(),
  total: z.int(),
  percent: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  timedOut: z.boolean(),
  outline: z.enum(OUTLINE_IDS),
  byDomain: z.array(z.object({ domain: OutlineDomainIdSchema, correct: z.int(), total: z.int() })),
  questions: z.array(
    z.object({
      id: z.string(),
      domain: OutlineDomainIdSchema,
      prompt: z.string(),
      choices: z.array(z.string()),
      yourAnswer: ChoicesSchema.nullable(),
      correctChoices: ChoicesSchema,
      correct: z.boolean(),
      flagged: z.boolean(),
      explanation: z.string(),
      sourceUrl: z.string(),
    }),
  ),
});

const ProtestDecisionSchema = z.enum(PROTEST_DECISIONS);

export const ProtestViewSchema = z.object({
  id: z.string(),
  playerId: z.string(),
  name: z.string(),
  questionId: z.string(),
  questionIndex: z.int(),
  prompt: z.string().meta({ description: "The question's prompt, shortened" }),
  reason: z.string(),
  at: z.number(),
  decision: ProtestDecisionSchema.nullable(),
  decidedAt: z.number().nullable(),
});

export const MyProtestViewSchema = z.object({ id: z.string(), questionId: z.string(), decision: ProtestDecisionSchema.nullable() });

/** True when A and B are assignable both ways. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const partsMatchTheirTypes: [
  Same<z.infer<typeof PublicQuestionSchema>, PublicQuestion>,
  Same<z.infer<typeof DeckSummarySchema>, DeckSummary>,
  Same<z.infer<typeof ExamResultSchema>, ExamResult>,
  Same<z.infer<typeof ProtestViewSchema>, ProtestView>,
  Same<z.infer<typeof MyProtestViewSchema>, MyProtestView>,
] = [true, true, true, true, true];
