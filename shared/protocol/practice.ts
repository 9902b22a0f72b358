import { z } from 'zod';
import { DEFAULT_OUTLINE, outlineDomainIds } from '../curriculum.js';
import { OutlineDomainIdSchema, OutlineParamSchema } from '../curriculum-schema.js';
import { QuestionIdSchema } from '../question.js';

/** Chosen domains must belong to the chosen outline. */
const domainsInOutline = (b: { outline?: 'cca-2024' | 'cca-2025' | undefined; domains: string[] }, ctx: z.RefinementCtx) => {
  const allowed = outlineDomainIds(b.outline ?? DEFAULT_OUTLINE) as string[];
  b.domains.forEach((d, i) => {
    if (!allowed.includes(d)) ctx.addIssue({ code: 'custom', path: ['domains', i], message: `${d} is not a domain of outline ${b.outline ?? DEFAULT_OUTLINE} (${allowed.join(', ')})` });
  });
};

/** Request bodies of the practice API (HTTP, JSON); responses are typed in server/practice/service.ts. */
export const practiceSchemas = {
  createProfile: z.strictObject({ nickname: z.string().max(200) }),
  recoverProfile: z.strictObject({ code: z.string().min(10).max(40) }),
  next: z
    .strictObject({
      /** Outline whose domains `domains` names and whose weights the selection follows. */
      outline: OutlineParamSchema,
      domains: z.array(OutlineDomainIdSchema).max(8).default([]),
      offset: z.enum(['easier', 'normal', 'harder']).default('normal'),
    })
    .superRefine(domainsInOutline),
  /** Query of GET /practice/stats: domain reports and readiness in this outline. */
  statsQuery: z.object({ outline: OutlineParamSchema }),
  /** `board` of GET /leaderboards/rating: overall or a domain id of either outline. */
  ratingBoard: z.union([z.literal('overall'), OutlineDomainIdSchema]),
  answer: z.strictObject({ questionId: QuestionIdSchema, choices: z.array(z.int().min(0).max(5)).min(1).max(6) }),
  /** Defaults: 60 questions, 90 minutes, 75% (widely reported, not officially confirmed). */
  startExam: z.strictObject({
    /** Blueprint and per-domain debrief follow this outline. */
    outline: OutlineParamSchema,
    count: z.int().min(1).max(100).optional(),
    durationMinutes: z.int().min(1).max(180).optional(),
    passMark: z.int().min(1).max(100).optional(),
  }),
  examAnswer: z.strictObject({ choices: z.array(z.int().min(0).max(5)).min(1).max(6).nullable(), flagged: z.boolean().optional() }),
} as const;
