import { z } from 'zod';
import { OUTLINE_IDS } from '../curriculum.js';
import { OutlineDomainIdSchema } from '../curriculum-schema.js';
import { DomainIdSchema, QUESTION_TYPES } from '../question.js';
import { GAME_MODES } from '../settings.js';
import { PROTEST_DECISIONS, type ProtestRecord } from './protests.js';
import { DomainAccuracySchema, ReportRowSchema } from './views.js';

/** Everything a study group keeps after a game: per player, per question, per domain. */
export const GameExportSchema = z.object({
  code: z.string(),
  mode: z.enum(GAME_MODES),
  exportedAt: z.string(),
  players: z.array(z.object({ id: z.string(), name: z.string(), team: z.string().nullable(), score: z.number(), rank: z.int() })),
  questions: z.array(
    z.object({
      index: z.int(),
      id: z.string(),
      domain: DomainIdSchema,
      topic: z.string(),
      type: z.enum(QUESTION_TYPES),
      prompt: z.string(),
      choices: z.array(z.string()),
      correct: z.array(z.int()),
      distribution: z.array(z.int()),
      explanation: z.string(),
      sourceUrl: z.string(),
      voided: z.boolean().optional().meta({ description: 'Voided after a protest: it counts for nobody (absent from older servers)' }),
      outlineDomain: OutlineDomainIdSchema.optional().meta({ description: "Its domain in the room's outline (absent from older servers)" }),
    }),
  ),
  answers: z.array(
    z.object({
      questionIndex: z.int(),
      questionId: z.string(),
      playerId: z.string(),
      name: z.string(),
      choices: z.array(z.int()).nullable(),
      correct: z.boolean(),
      points: z.number(),
      elapsedMs: z.number().nullable(),
    }),
  ),
  domains: z.array(DomainAccuracySchema).meta({ description: "Domains of `outline`, the room's chosen outline" }),
  outline: z.enum(OUTLINE_IDS).optional(),
  grid: z.array(ReportRowSchema).optional().meta({ description: 'The player × question grid: one row per player (join order), marks in `questions` order' }),
  protests: z
    .array(
      z.object({
        questionIndex: z.int(),
        questionId: z.string(),
        playerId: z.string(),
        name: z.string(),
        reason: z.string(),
        at: z.string(),
        decision: z.enum(PROTEST_DECISIONS).nullable(),
        decidedAt: z.string().nullable(),
      }),
    )
    .optional()
    .meta({ description: "Every protest and the host's decision (null while open)" }),
});
export type GameExport = z.infer<typeof GameExportSchema>;

export interface FlagSummary {
  questionId: string;
  count: number;
  /** Newest first. */
  reasons: { reason: string; roomCode: string; at: string }[];
  /** Protests of answers to it in rooms, with the host's decision; newest first. */
  protests: ProtestRecord[];
}
