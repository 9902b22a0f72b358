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
  /** Defaults: 60 questions, 90 minutes, 75% (widely reported, not officially confirmed). */
  startExam: z.strictObject({
    count: z.int().min(1).max(100).optional(),
    durationMinutes: z.int().min(1).max(180).optional(),
    passMark: z.int().min(1).max(100).optional(),
  }),
  examAnswer: z.strictObject({ choices: z.array(z.int().min(0).max(5)).min(1).max(6).nullable(), flagged: z.boolean().optional() }),
} as const;
