import { describe, expect, it } from 'vitest';
import { DOMAIN_IDS, DOMAIN_WEIGHT, type DomainId } from '../../shared/domains.js';
import { Rng } from '../../server/game/rng.js';
import { isDue, isLearned, missed, reviewed } from '../../server/practice/reviews.js';
import { nextQuestion, type Candidate } from '../../server/practice/selection.js';

const rng = () => new Rng(99);
/** 30 questions per domain, rated 1000-2450. */
const questions: Candidate[] = DOMAIN_IDS.flatMap((domain) => Array.from({ length: 30 }, (_, i) => ({ id: `${domain}-${i}`, domain, rating: 1000 + 50 * i })));
const byId = new Map(questions.map((q) => [q.id, q]));
const base = { questions, ratingFor: () => 1500, offset: 'normal' as const, domains: [] as DomainId[], recent: new Set<string>(), due: [] as string[] };

describe('next practice question', () => {
  it('keeps the exam blueprint within 2 points per domain over 6,000 draws', () => {
    const r = rng();
    const counts = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 0]));
    for (let i = 0; i < 6_000; i++) {
      counts[byId.get(nextQuestion(base, r)!.id)!.domain]!++;
    }
    for (const d of DOMAIN_IDS) expect(Math.abs((100 * counts[d]!) / 6_000 - DOMAIN_WEIGHT[d])).toBeLessThan(2);
  });

  it('never serves a question from the recent window', () => {
    const r = rng();
    const window: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const s = nextQuestion({ ...base, recent: new Set(window), domains: ['ebpf'] }, r)!;
      expect(window).not.toContain(s.id);
      window.push(s.id);
      if (window.length > 20) window.shift();
    }
  });

  it('serves due reviews first, oldest first, unless just seen', () => {
    const due = ['cluster-mesh-3', 'ebpf-7'];
    expect(nextQuestion({ ...base, due }, rng())).toEqual({ id: 'cluster-mesh-3', reason: 'review' });
    expect(nextQuestion({ ...base, due, recent: new Set(['cluster-mesh-3']) }, rng())).toEqual({ id: 'ebpf-7', reason: 'review' });
  });

  it('aims near the domain rating, shifted by easier/harder', () => {
    const mean = (offset: 'easier' | 'normal' | 'harder') => {
      const r = rng();
      let sum = 0;
      for (let i = 0; i < 200; i++) sum += byId.get(nextQuestion({ ...base, offset, domains: ['architecture'] }, r)!.id)!.rating;
      return sum / 200;
    };
    expect(Math.abs(mean('normal') - 1500)).toBeLessThan(75);
    expect(Math.abs(mean('harder') - 1700)).toBeLessThan(75);
    expect(Math.abs(mean('easier') - 1300)).toBeLessThan(75);
  });

  it('draws chosen domains evenly and returns null when nothing is left', () => {
    const r = rng();
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) seen.add(byId.get(nextQuestion({ ...base, domains: ['ebpf', 'cluster-mesh'] }, r)!.id)!.domain);
    expect([...seen].sort()).toEqual(['cluster-mesh', 'ebpf']);
    const all = new Set(questions.filter((q) => q.domain === 'ebpf').map((q) => q.id));
    expect(nextQuestion({ ...base, domains: ['ebpf'], recent: all }, rng())).toBeNull();
  });
});

describe('review queue (FSRS)', () => {
  it('brings a missed question back soon, then further apart, until it has stuck', () => {
    let now = new Date('2026-11-21T10:00:00Z');
    let card = missed('ebpf-maps-01', now);
    expect(isDue(card, now)).toBe(false);
    expect(new Date(card.due).getTime() - now.getTime()).toBeLessThanOrEqual(10 * 60_000);
    const gaps: number[] = [];
    for (let i = 0; i < 12 && !isLearned(card); i++) {
      now = new Date(card.due);
      expect(isDue(card, now)).toBe(true);
      const before = now.getTime();
      card = reviewed(card, true, now);
      gaps.push(new Date(card.due).getTime() - before);
    }
    expect(isLearned(card)).toBe(true);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]!);
  });

  it('a wrong review brings it back sooner than a right one', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    let card = missed('q', now);
    card = reviewed(card, true, new Date(card.due));
    card = reviewed(card, true, new Date(card.due));
    const at = new Date(card.due);
    const right = reviewed(card, true, at);
    const wrong = reviewed(card, false, at);
    expect(new Date(wrong.due).getTime()).toBeLessThan(new Date(right.due).getTime());
    expect(wrong.lapses).toBe(card.lapses + 1);
  });
});
