import { DOMAIN_WEIGHT, type DomainId } from '../../shared/domains.js';
import type { Rng } from '../game/rng.js';

export interface Candidate {
  id: string;
  domain: DomainId;
  rating: number;
}

export type Offset = 'easier' | 'normal' | 'harder';

/** How far from the player's rating each setting aims (Glicko points). */
export const OFFSET_POINTS: Record<Offset, number> = { easier: -200, normal: 0, harder: 200 };

export interface SelectionInput {
  questions: readonly Candidate[];
  /** The player's rating per domain (overall rating where a domain has none yet). */
  ratingFor: (domain: DomainId) => number;
  offset: Offset;
  /** Chosen domains, drawn evenly; empty = weighted by the exam blueprint. */
  domains: readonly DomainId[];
  /** Recently served ids: never served again inside this window. */
  recent: ReadonlySet<string>;
  /** Due review ids, oldest first: served before anything new. */
  due: readonly string[];
  /** How many of the closest questions to choose among, so sessions do not repeat in lockstep. */
  spread?: number;
}

export type Selection = { id: string; reason: 'review' | 'new' } | null;

function pickDomain(available: DomainId[], chosen: readonly DomainId[], rng: Rng): DomainId {
  const pool = chosen.length > 0 ? available.filter((d) => chosen.includes(d)) : available;
  const weight = (d: DomainId) => (chosen.length > 0 ? 1 : DOMAIN_WEIGHT[d]);
  let x = rng.next() * pool.reduce((s, d) => s + weight(d), 0);
  for (const d of pool) {
    x -= weight(d);
    if (x < 0) return d;
  }
  return pool.at(-1)!;
}

/**
 * The next practice question: a due review first; otherwise a domain (chosen ones evenly, or the
 * blueprint's weights), then one of the `spread` questions rated closest to the player's domain
 * rating plus the offset, never one served inside the recent window.
 */
export function nextQuestion(input: SelectionInput, rng: Rng): Selection {
  const review = input.due.find((id) => !input.recent.has(id) && input.questions.some((q) => q.id === id));
  if (review) return { id: review, reason: 'review' };
  const fresh = input.questions.filter((q) => !input.recent.has(q.id) && (input.domains.length === 0 || input.domains.includes(q.domain)));
  if (fresh.length === 0) return null;
  const available = [...new Set(fresh.map((q) => q.domain))];
  const domain = pickDomain(available, input.domains, rng);
  const target = input.ratingFor(domain) + OFFSET_POINTS[input.offset];
  const closest = fresh
    .filter((q) => q.domain === domain)
    .sort((a, b) => Math.abs(a.rating - target) - Math.abs(b.rating - target))
    .slice(0, input.spread ?? 5);
  return { id: closest[rng.int(closest.length)]!.id, reason: 'new' };
}
