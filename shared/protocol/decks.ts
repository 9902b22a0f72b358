import { z } from 'zod';
import { QuestionIdSchema } from '../question.js';

/** Upload limits: checked at the edge (HTTP body limit, this schema) and again by resolveDeck. */
export const DECK_LIMITS = {
  /** YAML text of an uploaded deck, in UTF-8 bytes. */
  maxUploadBytes: 200 * 1024,
  maxUploadQuestions: 100,
  maxTopics: 40,
  maxIds: 100,
  /** "Weakest domains": how many of the group's weakest domains to draw from (default 2). */
  defaultWeakestDomains: 2,
} as const;

/** Uploaded question ids get this prefix in the room, so they can never collide with bank ids. */
export const UPLOAD_ID_PREFIX = 'up-';

export function isUploadedId(id: string): boolean {
  return id.startsWith(UPLOAD_ID_PREFIX);
}

export const DECK_KINDS = ['random', 'topics', 'ids', 'weakest', 'upload'] as const;
export type DeckKind = (typeof DECK_KINDS)[number];

const TopicSchema = z.string().min(2).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase kebab-case topic');

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** What a host (or a homework lead) asks for: a room's question set. */
export const DeckSpecSchema = z.discriminatedUnion('kind', [
  /** Today's draw: the room settings' domains, difficulties and blueprint. */
  z.strictObject({ kind: z.literal('random') }),
  z.strictObject({ kind: z.literal('topics'), topics: z.array(TopicSchema).min(1).max(DECK_LIMITS.maxTopics) }),
  /** Played in this order. */
  z.strictObject({ kind: z.literal('ids'), ids: z.array(QuestionIdSchema).min(1).max(DECK_LIMITS.maxIds) }),
  /** The group's weakest domains, from the practice profiles of the players in the room. */
  z.strictObject({ kind: z.literal('weakest'), domains: z.int().min(1).max(8).optional() }),
  /** A deck in the bank's YAML format (questions/FORMAT.md); lives only in the room it is uploaded to. */
  z.strictObject({
    kind: z.literal('upload'),
    yaml: z
      .string()
      .min(1, 'the deck is empty')
      .max(DECK_LIMITS.maxUploadBytes, `a deck holds at most ${DECK_LIMITS.maxUploadBytes / 1024} KB of YAML`)
      .refine((s) => utf8Bytes(s) <= DECK_LIMITS.maxUploadBytes, `a deck holds at most ${DECK_LIMITS.maxUploadBytes / 1024} KB of YAML`),
  }),
]);
export type DeckSpec = z.infer<typeof DeckSpecSchema>;

export const RANDOM_DECK: DeckSpec = { kind: 'random' };

/** One reason a deck was refused: which question (id or `#n`) and which field, when known. */
export const DeckProblemSchema = z.object({ id: z.string().optional(), field: z.string().optional(), message: z.string() });
export type DeckProblem = z.infer<typeof DeckProblemSchema>;

/** "q-01: choices[2]: message", as the host screen lists it. */
export function formatDeckProblem(p: DeckProblem): string {
  return [p.id, p.field, p.message].filter(Boolean).join(': ');
}

/** What host and player views say about the room's deck (never the questions themselves). */
export const DeckSummarySchema = z.object({
  kind: z.enum(DECK_KINDS),
  /** Questions in the deck (ids, upload) or in its pool (topics, weakest); null for a random draw. */
  size: z.int().nullable(),
  topics: z.array(z.string()).optional(),
  /** Weakest: the domains picked, weakest first. */
  domains: z.array(z.string()).optional(),
  /** Uploaded: not checked by the bank's second reader. */
  unreviewed: z.boolean(),
});
export type DeckSummary = z.infer<typeof DeckSummarySchema>;

/** POST /api/rooms/:code/deck (Authorization: Bearer <host token>). */
export const DeckRequestSchema = z.strictObject({ deck: DeckSpecSchema });
export type DeckRequest = z.infer<typeof DeckRequestSchema>;
