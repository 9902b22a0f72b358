import { z } from 'zod';
import { DOMAIN_IDS } from './domains.js';
import { COMPETENCY_BY_ID, DOMAIN_2025_IDS } from './curriculum.js';

export const DomainIdSchema = z.enum(DOMAIN_IDS);

export const QUESTION_TYPES = ['single', 'multiple', 'true-false'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** recall asks for a fact; the others test understanding (reading YAML, picking a command, diagnosing). */
export const QUESTION_STYLES = ['recall', 'scenario', 'yaml', 'command', 'troubleshooting'] as const;
export type QuestionStyle = (typeof QUESTION_STYLES)[number];

export const TRUE_FALSE_CHOICES = ['True', 'False'] as const;

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const isoDate = z.iso.date();

export const QuestionIdSchema = z.string().min(3).max(80).regex(kebab, 'lowercase kebab-case id');

const VerificationSchema = z.strictObject({
  on: isoDate,
  against: z.array(z.url()).min(1),
  quote: z.string().min(10).optional(),
  /** Cilium minor versions whose docs the question was checked against. */
  versions: z.array(z.enum(['1.18', '1.19'])).min(1).optional(),
});

const ReviewSchema = z.strictObject({
  on: isoDate,
  against: z.array(z.url()).min(1),
  result: z.enum(['confirmed', 'corrected']),
  note: z.string().optional(),
});

/** A question as stored in the bank: public part, solution and provenance together. */
export const QuestionRecordSchema = z
  .strictObject({
    id: QuestionIdSchema,
    domain: DomainIdSchema,
    topic: z.string().min(2).max(60).regex(kebab, 'lowercase kebab-case topic'),
    /** Competency of the 8-domain outline (shared/curriculum/outlines.json) that the question targets. */
    competency: z.string({ error: (i) => (i.input === undefined ? 'required: the competency of the 8-domain outline (ids in shared/curriculum/outlines.json)' : undefined) }).regex(kebab, 'lowercase kebab-case competency id'),
    /** Domain of the 5-domain outline. */
    domain2025: z.enum(DOMAIN_2025_IDS, { error: (i) => `${i.input === undefined ? 'required' : 'unknown'}: the domain of the 5-domain outline, one of ${DOMAIN_2025_IDS.join(', ')}` }),
    /** Questions sharing a fact key test the same fact: one game never draws two of them. */
    fact: z.string().min(3).max(80).regex(kebab, 'lowercase kebab-case fact key').optional(),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    type: z.enum(QUESTION_TYPES),
    style: z.enum(QUESTION_STYLES),
    prompt: z.string().trim().min(10).max(3000),
    choices: z.array(z.string().trim().min(1).max(300)).min(2).max(6),
    answer: z.array(z.int().min(0)).min(1),
    explanation: z.string().trim().min(20).max(2000),
    source: z.strictObject({
      url: z.url(),
      seed: z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/, 'seed file name like 000_3bd19a429a976745.txt').optional(),
    }),
    verified: VerificationSchema,
    review: ReviewSchema.optional(),
  })
  .superRefine((q, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const competency = COMPETENCY_BY_ID.get(q.competency);
    if (!competency) issue(['competency'], `unknown competency "${q.competency}" (see shared/curriculum/outlines.json)`);
    else if (competency.domain !== q.domain) issue(['competency'], `competency "${q.competency}" belongs to domain ${competency.domain}, not ${q.domain}`);
    const n = q.choices.length;
    q.answer.forEach((a, i) => {
      if (a >= n) issue(['answer', i], `index ${a} is out of range for ${n} choices`);
    });
    if (new Set(q.answer).size !== q.answer.length) issue(['answer'], 'answer lists an index twice');
    const seen = new Map<string, number>();
    q.choices.forEach((c, i) => {
      const key = c.trim().toLowerCase().replace(/\s+/g, ' ');
      const first = seen.get(key);
      if (first !== undefined) issue(['choices', i], `duplicate of choice ${first}`);
      else seen.set(key, i);
    });
    if (q.type === 'single') {
      if (q.answer.length !== 1) issue(['answer'], 'a single-choice question has exactly one answer');
      if (n < 3) issue(['choices'], 'a single-choice question has at least 3 choices');
    } else if (q.type === 'multiple') {
      if (q.answer.length < 2) issue(['answer'], 'a multiple-choice question has at least two answers');
      if (q.answer.length >= n) issue(['answer'], 'a multiple-choice question must leave at least one wrong choice');
    } else {
      if (n !== 2 || q.choices[0] !== 'True' || q.choices[1] !== 'False') {
        issue(['choices'], 'a true-false question has exactly the choices ["True", "False"]');
      }
      if (q.answer.length !== 1) issue(['answer'], 'a true-false question has exactly one answer');
    }
  });

export type QuestionRecord = z.infer<typeof QuestionRecordSchema>;

export const QuestionTypeSchema = z.enum(QUESTION_TYPES);

/** What a client may see while a question is open: never the answer or anything derived from it. */
export const PublicQuestionSchema = z.object({
  id: z.string(),
  domain: DomainIdSchema,
  /** Its domain in the 5-domain outline (reports by that outline need it). */
  domain2025: z.enum(DOMAIN_2025_IDS),
  topic: z.string(),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  type: QuestionTypeSchema,
  prompt: z.string(),
  choices: z.array(z.string()),
  /** From a deck the host uploaded: not checked by the bank's reviewers (the screens say so). */
  unreviewed: z.literal(true).optional(),
});
export type PublicQuestion = z.infer<typeof PublicQuestionSchema>;

/** The part of a question that stays on the server until the reveal. */
export interface QuestionSolution {
  answer: number[];
  explanation: string;
  sourceUrl: string;
}

export function publicPart(q: QuestionRecord): PublicQuestion {
  return {
    id: q.id,
    domain: q.domain,
    domain2025: q.domain2025,
    topic: q.topic,
    difficulty: q.difficulty,
    type: q.type,
    prompt: q.prompt,
    choices: [...q.choices],
  };
}

export function solutionPart(q: QuestionRecord): QuestionSolution {
  return { answer: [...q.answer], explanation: q.explanation, sourceUrl: q.source.url };
}

/**
 * Why a selection of choice indices is not a valid answer to a question of this type, or null when
 * it is: indices in range, none twice, exactly one unless multiple choice, and never all of them.
 */
export function selectionProblem(type: QuestionType, choiceCount: number, choices: readonly number[]): string | null {
  if (choices.length === 0) return 'pick a choice';
  if (choices.some((c) => !Number.isInteger(c) || c < 0 || c >= choiceCount)) return `choices must be 0-${choiceCount - 1}`;
  if (new Set(choices).size !== choices.length) return 'a choice is listed twice';
  if (type !== 'multiple' && choices.length !== 1) return 'pick exactly one choice';
  if (type === 'multiple' && choices.length >= choiceCount) return 'pick fewer than all choices';
  return null;
}

/** True when a chosen set of indices is exactly the correct set. */
export function isCorrectSelection(selected: readonly number[], answer: readonly number[]): boolean {
  if (selected.length !== answer.length) return false;
  const want = new Set(answer);
  return selected.every((i) => want.has(i));
}
