import { DEFAULT_OUTLINE, outlineWeights, type OutlineDomainId } from '../../shared/curriculum.js';
import type { Rng } from '../game/rng.js';

export interface Candidate {
  id: string;
  /** The question's domain in the outline the session follows. */
  domain: OutlineDomainId;
  rating: number;
  fact?: string;
}

export type Offset = 'easier' | 'normal' | 'harder';

/** How far from the player's rating each setting aims (Glicko points). */
export const OFFSET_POINTS: Record<Offset, number> = { easier: -200, normal: 0, harder: 200 };

export interface SelectionInput {
  questions: readonly Candidate[];
  /** The player's rating per domain (overall rating where a domain has none yet). */
  ratingFor: (domain: OutlineDomainId) => number;
  offset: Offset;
  /** Chosen domains, drawn evenly; empty = weighted by the blueprint of the session's outline. */
  domains: readonly OutlineDomainId[];
  /** The outline's weight per domain; the 8-domain outline's when absent. */
  weights?: ReadonlyMap<string, number>;
  /** Recently served ids: never served again inside this window. */
  recent: ReadonlySet<string>;
  /** Fact keys of the recently served questions: no other question of those facts inside the window. */
  recentFacts?: ReadonlySet<string>;
  /** Due review ids, oldest first: served before anything new. */
  due: readonly string[];
  /** How many of the closest questions to choose among, so sessions do not repeat in lockstep. */
  spread?: number;
}

export type Selection = { id: string; reason: 'review' | 'new' } | null;

function pickDomain(available: OutlineDomainId[], chosen: readonly OutlineDomainId[], weights: ReadonlyMap<string, number>, rng: Rng): OutlineDomainId {
  const pool = chosen.length > 0 ? available.filter((d) => chosen.includes(d)) : available;
  const weight = (d: OutlineDomainId) => (chosen.length > 0 ? 1 : (weights.get(d) ?? 0));
  let x = rng.next() * pool.reduce((s, d) => s + weight(d), 0);
  for (const d of pool) {
    x -= weight(d);
    if (x < 0) return d;
  }
  return pool.at(-1)!;
}

/**
 * The next practice question: a due review first; otherwise a domain (chosen ones evenly, or the
 * outline's blueprint weights), then one of the `spread` questions rated closest to the player's domain
 * rating plus the offset, never one served inside the recent window nor one sharing a fact with those.
 */
export function nextQuestion(input: SelectionInput, rng: Rng): Selection {
  const facts = input.recentFacts ?? new Set<string>();
  const open = (q: Candidate) => !input.recent.has(q.id) && !(q.fact && facts.has(q.fact));
  const review = input.due.find((id) => input.questions.some((q) => q.id === id && open(q)));
  if (review) return { id: review, reason: 'review' };
  const fresh = input.questions.filter((q) => open(q) && (input.domains.length === 0 || input.domains.includes(q.domain)));
  if (fresh.length === 0) return null;
  const weights = input.weights ?? outlineWeights(DEFAULT_OUTLINE);
  const available = [...new Set(fresh.map((q) => q.domain))].filter((d) => input.domains.length > 0 || (weights.get(d) ?? 0) > 0);
  if (available.length === 0) return null;
  const domain = pickDomain(available, input.domains, weights, rng);
  const target = input.ratingFor(domain) + OFFSET_POINTS[input.offset];
  const closest = fresh
    .filter((q) => q.domain === domain)
    .sort((a, b) => Math.abs(a.rating - target) - Math.abs(b.rating - target))
    .slice(0, input.spread ?? 5);
  return { id: closest[rng.int(closest.length)]!.id, reason: 'new' };
}
