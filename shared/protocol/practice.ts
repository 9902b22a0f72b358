import { z } from 'zod';
import { DomainIdSchema, QuestionIdSchema } from '../question.js';

/** Request bodies of the practice API (HTTP, JSON); responses are typed in server/practice/service.ts. */
export const practiceSchemas = {
  createProfile: z.strictObject({ nickname: z.string().max(200) }),
  recoverProfile: z.strictObject({ code: z.string().min(10).max(40) }),
  next: z.strictObject({
    domains: z.array(DomainIdSchema).max(8).default([]),
    offset: z.enum(['easier', 'normal', 'harder']).default('normal'),
  }),
  answer: z.strictObject({ questionId: QuestionIdSchema, choices: z.array(z.int().min(0).max(5)).min(1).max(6) }),
} as const;
