import { z } from 'zod';
import { DOMAIN_2025_IDS } from '../curriculum.js';
import { DomainIdSchema, QUESTION_TYPES, type PublicQuestion } from '../question.js';
import { DECK_KINDS, type DeckSummary } from './decks.js';
// A mock exam's debrief is the same in a room and in solo practice: one schema.
import { ExamResultSchema } from './practice-views.js';
export { ExamResultSchema };
import { PROTEST_DECISIONS, type MyProtestView, type ProtestView } from './protests.js';

/**
 * Schemas of view parts whose TypeScript types live with other features (questions, decks, practice,
 * protests). The checks at the bottom fail type-checking when either side changes without the other.
 */

export const QuestionTypeSchema = z.enum(QUESTION_TYPES);
export const DifficultySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

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
  Same<z.infer<typeof ProtestViewSchema>, ProtestView>,
  Same<z.infer<typeof MyProtestViewSchema>, MyProtestView>,
] = [true, true, true, true];
