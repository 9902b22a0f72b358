import { describe, expect, it } from 'vitest';
import { COMPETENCIES, DOMAIN_2025_IDS, OUTLINES, OUTLINE_IDS, domainName, outline, outlineDomainOf } from '../../shared/curriculum.js';
import { DOMAINS, DOMAIN_IDS } from '../../shared/domains.js';

describe('curriculum outlines (shared/curriculum/outlines.json)', () => {
  it('hold both outlines, each weighted to 100%', () => {
    expect(OUTLINES.map((o) => o.id)).toEqual([...OUTLINE_IDS]);
    for (const o of OUTLINES) expect(o.domains.reduce((s, d) => s + d.weight, 0)).toBe(100);
  });

  it('match the 8 domain ids and weights the stored data uses, and the 5-domain ids', () => {
    expect(outline('cca-2024').domains.map((d) => [d.id, d.weight])).toEqual(DOMAINS.map((d) => [d.id, d.weight]));
    expect(outline('cca-2025').domains.map((d) => d.id)).toEqual([...DOMAIN_2025_IDS]);
    expect(outline('cca-2025').domains.every((d) => d.weight === 20)).toBe(true);
    expect(DOMAIN_IDS.some((d) => (DOMAIN_2025_IDS as readonly string[]).includes(d))).toBe(false);
  });

  it('list 27 uniquely named competencies, each pointing at a 5-domain domain', () => {
    expect(COMPETENCIES).toHaveLength(27);
    expect(new Set(COMPETENCIES.map((c) => c.id)).size).toBe(27);
    for (const c of COMPETENCIES) expect(DOMAIN_2025_IDS).toContain(c.domain2025);
    for (const d of DOMAIN_IDS) expect(COMPETENCIES.some((c) => c.domain === d)).toBe(true);
  });

  it('place a question in either outline and name its domains', () => {
    const q = { domain: 'ebpf', domain2025: 'fundamentals' } as const;
    expect(outlineDomainOf(q, 'cca-2024')).toBe('ebpf');
    expect(outlineDomainOf(q, 'cca-2025')).toBe('fundamentals');
    expect(domainName('securing-workloads')).toBe('Securing Workloads with Cilium');
    expect(domainName('bgp-external-networking', 'cca-2024')).toBe('BGP and External Networking');
  });
});
