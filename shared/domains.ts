import { OUTLINES, type OutlineDomainId } from './curriculum.js';

/** Plain data (no zod) so client pages can import it cheaply. The eight CCA exam domains with their official weights (percent). Ids are stable: stored data uses them. */
export const DOMAINS = [
  { id: 'architecture', name: 'Architecture', weight: 20 },
  { id: 'network-policy', name: 'Network Policy', weight: 18 },
  { id: 'service-mesh', name: 'Service Mesh', weight: 16 },
  { id: 'network-observability', name: 'Network Observability', weight: 10 },
  { id: 'installation-configuration', name: 'Installation and Configuration', weight: 10 },
  { id: 'cluster-mesh', name: 'Cluster Mesh', weight: 10 },
  { id: 'ebpf', name: 'eBPF', weight: 10 },
  { id: 'bgp-external-networking', name: 'BGP and External Networking', weight: 6 },
] as const;

export type DomainId = (typeof DOMAINS)[number]['id'];

export const DOMAIN_IDS = DOMAINS.map((d) => d.id) as [DomainId, ...DomainId[]];

export const DOMAIN_WEIGHT: Readonly<Record<DomainId, number>> = Object.fromEntries(
  DOMAINS.map((d) => [d.id, d.weight]),
) as Record<DomainId, number>;

/** Display names of the domains of both outlines (their ids do not overlap), so any report's domain has a name. */
export const DOMAIN_NAME: Readonly<Record<OutlineDomainId, string>> = Object.fromEntries(
  OUTLINES.flatMap((o) => o.domains.map((d) => [d.id, d.name])),
) as Record<OutlineDomainId, string>;

/**
 * Exam defaults that are widely reported but not officially confirmed by the CNCF:
 * keep them configurable and label them as such wherever they are shown.
 */
export const EXAM_DEFAULTS = {
  questionCount: 60,
  durationMinutes: 90,
  passMarkPercent: 75,
  officiallyConfirmed: false,
} as const;
