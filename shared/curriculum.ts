/**
 * The exam outlines, read from `curriculum/outlines.json` (data, not code). Plain TypeScript without zod so
 * client pages can import it; `test/questions/curriculum.test.ts` checks the file's shape.
 */
import data from './curriculum/outlines.json' with { type: 'json' };
import type { DomainId } from './domains.js';

export interface Competency {
  id: string;
  name: string;
  /** The domain of the 5-domain outline this competency usually falls under (a question may say otherwise). */
  domain2025: string;
}

export interface OutlineDomain {
  id: string;
  name: string;
  weight: number;
  competencies?: Competency[];
}

export interface Outline {
  id: string;
  name: string;
  source: string;
  note: string;
  domains: OutlineDomain[];
}

export const OUTLINES: readonly Outline[] = data.outlines;
export const OUTLINE_IDS = ['cca-2024', 'cca-2025'] as const;
export type OutlineId = (typeof OUTLINE_IDS)[number];
export const DEFAULT_OUTLINE: OutlineId = 'cca-2024';

export const DOMAIN_2025_IDS = [
  'fundamentals',
  'architecture-components',
  'kubernetes-networking',
  'observability',
  'securing-workloads',
] as const;
export type Domain2025Id = (typeof DOMAIN_2025_IDS)[number];

export function outline(id: OutlineId): Outline {
  const found = OUTLINES.find((o) => o.id === id);
  if (!found) throw new Error(`unknown outline ${id}`);
  return found;
}

/** Every competency of the 8-domain outline, with the domain it belongs to. */
export const COMPETENCIES: readonly (Competency & { domain: string })[] = outline('cca-2024').domains.flatMap((d) =>
  (d.competencies ?? []).map((c) => ({ ...c, domain: d.id })),
);

export const COMPETENCY_BY_ID: ReadonlyMap<string, Competency & { domain: string }> = new Map(
  COMPETENCIES.map((c) => [c.id, c]),
);

/** A domain id of either outline (the two id sets do not overlap). */
export type OutlineDomainId = DomainId | Domain2025Id;

/** Where a question sits in the given outline: its 8-domain `domain`, or its `domain2025`. */
export function outlineDomainOf(q: { domain: DomainId; domain2025: Domain2025Id }, id: OutlineId): OutlineDomainId {
  return id === 'cca-2025' ? q.domain2025 : q.domain;
}

/** Weight (percent) per domain id of the outline. */
export function outlineWeights(id: OutlineId): ReadonlyMap<string, number> {
  return new Map(outline(id).domains.map((d) => [d.id, d.weight]));
}

/** A domain's display name in its outline; the id itself for an unknown one. */
export function domainName(id: string, outlineId?: OutlineId): string {
  const outlines = outlineId ? [outline(outlineId)] : OUTLINES;
  for (const o of outlines) for (const d of o.domains) if (d.id === id) return d.name;
  return id;
}

export function isOutlineId(x: unknown): x is OutlineId {
  return typeof x === 'string' && (OUTLINE_IDS as readonly string[]).includes(x);
}

/** Labels for outline pickers: the 5-domain outline is published but has no detailed PDF yet. */
export const OUTLINE_LABEL: Readonly<Record<OutlineId, string>> = {
  'cca-2024': '8 domains: the CCA curriculum PDF (official)',
  'cca-2025': '5 domains: the newer published outline, details not yet in a PDF',
};

/** The outline's domain ids in its order (the JSON is checked against the typed id lists by a test). */
export function outlineDomainIds(id: OutlineId): OutlineDomainId[] {
  return outline(id).domains.map((d) => d.id as OutlineDomainId);
}
