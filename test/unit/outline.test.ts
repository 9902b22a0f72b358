import { describe, expect, it } from 'vitest';
import { DOMAIN_2025_IDS, outlineDomainIds, type Domain2025Id } from '../../shared/curriculum.js';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { practiceSchemas } from '../../shared/protocol/practice.js';
import { RoomSettingsSchema } from '../../shared/settings.js';
import { QuestionBank } from '../../server/game/bank.js';
import { groupDebrief, playerDebrief } from '../../server/game/exam-view.js';
import { Rng } from '../../server/game/rng.js';
import { domainAccuracy } from '../../server/game/summary.js';
import { newPlayerPractice, type PlayerPractice } from '../../server/practice/engine.js';
import { ExamService, MemoryExamStore } from '../../server/practice/exams.js';
import { MemoryPracticeStore } from '../../server/practice/practice-store.js';
import { PracticeService } from '../../server/practice/service.js';
import { Harness } from '../helpers/harness.js';
import { makeQuestion } from '../helpers/questions.js';

/**
 * 240 questions spread evenly over the 8 domains, but half of them in one 5-domain domain
 * (fundamentals 50%, the four others the rest, unevenly): a draw that ignored the outline's weights would
 * give fundamentals about half of every game.
 */
const OTHERS: Domain2025Id[] = ['architecture-components', 'kubernetes-networking', 'observability', 'securing-workloads'];
const bank = new QuestionBank(
  Array.from({ length: 240 }, (_, i) =>
    makeQuestion({ id: `q-${i}`, domain: DOMAIN_IDS[i % 8]!, domain2025: i % 10 < 5 ? 'fundamentals' : OTHERS[i % 4]!, difficulty: ((i % 3) + 1) as 1 | 2 | 3 }),
  ),
);
const domain2025 = (id: string) => bank.byId.get(id)!.domain2025;

function shares(ids: string[]): Record<Domain2025Id, number> {
  const counts = Object.fromEntries(DOMAIN_2025_IDS.map((d) => [d, 0])) as Record<Domain2025Id, number>;
  for (const id of ids) counts[domain2025(id)]++;
  return Object.fromEntries(DOMAIN_2025_IDS.map((d) => [d, (100 * counts[d]) / ids.length])) as Record<Domain2025Id, number>;
}
const expectEvenFifths = (s: Record<Domain2025Id, number>) => {
  for (const d of DOMAIN_2025_IDS) expect(Math.abs(s[d] - 20), `${d} ${s[d].toFixed(1)}%`).toBeLessThan(2);
};

describe('the 5-domain outline (cca-2025)', () => {
  it('a room draws by its weights (20% each) over 300 seeded 7-question games, not by the pool', () => {
    const drawn = (outline: 'cca-2024' | 'cca-2025') =>
      Array.from({ length: 300 }, (_, seed) => {
        const h = new Harness(bank, { mode: 'classic', questionCount: 7, outline }, { seed });
        h.join('Ana');
        h.host('start');
        return h.state.questions.map((gq) => gq.question.id);
      }).flat();
    const s = shares(drawn('cca-2025'));
    console.log('room on cca-2025, share per domain (%):', JSON.stringify(s));
    expectEvenFifths(s);
    // The 8-domain blueprint on the same bank follows the pool instead: fundamentals near half.
    expect(shares(drawn('cca-2024')).fundamentals).toBeGreaterThan(40);
  });

  it('a practice session draws by its weights over 3,000 seeded serves', async () => {
    const practice = new PracticeService(bank, new MemoryPracticeStore(), () => 1_000_000, new Rng(5));
    const served: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const r = await practice.next('p1', { outline: 'cca-2025', domains: [], offset: 'normal' });
      if (!r.ok) throw new Error(r.message);
      served.push(r.question.id);
    }
    const s = shares(served);
    console.log('practice on cca-2025, share per domain (%):', JSON.stringify(s));
    expectEvenFifths(s);
  });

  it('practice can pick 5-domain domains, and rejects a domain of the other outline', async () => {
    const practice = new PracticeService(bank, new MemoryPracticeStore(), () => 1_000_000, new Rng(6));
    for (let i = 0; i < 20; i++) {
      const r = await practice.next('p1', { outline: 'cca-2025', domains: ['observability'], offset: 'normal' });
      expect(r.ok && r.question.domain2025).toBe('observability');
    }
    const bad = practiceSchemas.next.safeParse({ outline: 'cca-2025', domains: ['ebpf'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('ebpf is not a domain of outline cca-2025');
    expect(practiceSchemas.next.parse({ domains: ['ebpf'] }).outline).toBe('cca-2024');
    expect(practiceSchemas.statsQuery.safeParse({ outline: 'cca-2030' }).success).toBe(false);
  });

  it('a mock exam draws by its weights (60 questions: 12 per domain; 7-question exams: 20% each over 300) and debriefs by its domains', async () => {
    let seed = 0;
    const exams = new ExamService(bank, new MemoryExamStore(), () => 1_000_000, () => seed++);
    const full = await exams.start('p1', { outline: 'cca-2025', count: 60 });
    expect(Object.values(shares(full.questions.map((q) => q.id))).map((s) => Math.round((s * 60) / 100))).toEqual([12, 12, 12, 12, 12]);
    const small: string[] = [];
    for (let i = 0; i < 300; i++) small.push(...(await exams.start('p2', { outline: 'cca-2025', count: 7 })).questions.map((q) => q.id));
    const s = shares(small);
    console.log('mock exams on cca-2025, share per domain (%):', JSON.stringify(s));
    expectEvenFifths(s);

    const done = await exams.submit('p1', full.id);
    if ('ok' in done) throw new Error(done.message);
    expect(done.result!.outline).toBe('cca-2025');
    expect(done.result!.byDomain.map((d) => [d.domain, d.total])).toEqual(DOMAIN_2025_IDS.map((d) => [d, 12]));
    expect(new Set(done.result!.questions.map((q) => q.domain))).toEqual(new Set(DOMAIN_2025_IDS));
  });

  it('an exam stored before outlines keeps its 8-domain debrief', async () => {
    const store = new MemoryExamStore();
    const exams = new ExamService(bank, store, () => 1_000_000, () => 1);
    const started = await exams.start('p1', { count: 16 });
    const stored = (await store.load(started.id))!;
    const { outline: _o, ...old } = stored; // records written before the field existed
    await store.save({ ...old, version: stored.version + 1 });
    const done = await exams.submit('p1', started.id);
    if ('ok' in done) throw new Error(done.message);
    expect(done.result!.outline).toBe('cca-2024');
    expect(done.result!.byDomain.map((d) => d.domain)).toEqual(DOMAIN_IDS.filter((d) => done.result!.byDomain.some((x) => x.domain === d)));
  });

  it('a room mock exam debriefs each player and the group by the room outline', () => {
    const h = new Harness(bank, { mode: 'exam', questionCount: 10, outline: 'cca-2025' }, { seed: 3 });
    const [ana] = h.join('Ana');
    h.host('start');
    h.host('end');
    const mine = playerDebrief(h.state, h.state.exam!, ana!);
    expect(mine.outline).toBe('cca-2025');
    expect(mine.byDomain.map((d) => [d.domain, d.total])).toEqual(DOMAIN_2025_IDS.map((d) => [d, 2]));
    expect(groupDebrief(h.state, h.state.exam!).byDomain.map((d) => d.domain)).toEqual([...DOMAIN_2025_IDS]);
  });

  it('room settings default to the 8-domain outline, refuse an unknown one and domains of the other outline', () => {
    expect(RoomSettingsSchema.parse({}).outline).toBe('cca-2024');
    expect(RoomSettingsSchema.safeParse({ outline: 'cca-2030' }).success).toBe(false);
    const mixed = RoomSettingsSchema.safeParse({ outline: 'cca-2025', domains: ['ebpf'] });
    expect(mixed.error?.issues[0]).toMatchObject({ path: ['domains', 0], message: 'ebpf is not a domain of outline cca-2025' });
    expect(RoomSettingsSchema.safeParse({ outline: 'cca-2024', domains: ['observability'] }).success).toBe(false);
  });

  it("a room's group report counts accuracy per domain of its outline", () => {
    const h = new Harness(bank, { mode: 'classic', questionCount: 3, outline: 'cca-2025' }, { seed: 2 });
    const [ana] = h.join('Ana');
    h.host('start');
    const first = h.qid;
    h.answer(ana!, h.correct); // everyone answered: the question closes
    expect(domainAccuracy(h.state)).toEqual([{ domain: domain2025(first), answered: 1, correct: 1, accuracy: 1 }]);
  });

  it('a room filters by domains of its outline', () => {
    const h = new Harness(bank, { mode: 'classic', questionCount: 20, outline: 'cca-2025', domains: ['observability', 'securing-workloads'] }, { seed: 1 });
    h.join('Ana');
    h.host('start');
    expect(h.state.questions).toHaveLength(20);
    expect(new Set(h.state.questions.map((q) => q.question.domain2025))).toEqual(new Set(['observability', 'securing-workloads']));
  });
});

describe('domain ratings and readiness per outline', () => {
  it('one practice answer rates the question domain in both outlines; stats and readiness follow the chosen one', async () => {
    const store = new MemoryPracticeStore();
    const practice = new PracticeService(bank, store, () => 1_000_000, new Rng(8));
    const r = await practice.next('p1', { outline: 'cca-2025', domains: ['securing-workloads'], offset: 'normal' });
    if (!r.ok) throw new Error(r.message);
    const q = bank.byId.get(r.question.id)!;
    const a = await practice.answer('p1', q.id, q.answer);
    if (!a.ok) throw new Error(a.message);
    expect(a.outcome.domain2025RatingAfter).toBeGreaterThan(1500);
    expect(a.outcome.domainRatingAfter).toBeGreaterThan(1500);

    const s2025 = await practice.stats('p1', 'cca-2025');
    expect(s2025.outline).toBe('cca-2025');
    expect(s2025.domains.map((d) => d.domain).sort()).toEqual([...DOMAIN_2025_IDS].sort());
    const sw = s2025.domains.find((d) => d.domain === 'securing-workloads')!;
    expect(sw).toMatchObject({ answered: 1, accuracy: 1, rating: a.outcome.domain2025RatingAfter });
    const s2024 = await practice.stats('p1');
    expect(s2024.outline).toBe('cca-2024');
    expect(s2024.domains.map((d) => d.domain).sort()).toEqual([...DOMAIN_IDS].sort());
    expect(s2024.domains.find((d) => d.domain === q.domain)).toMatchObject({ answered: 1, rating: a.outcome.domainRatingAfter });
    expect(s2025.readiness).toMatchObject({ percent: null, domainsReady: 0, domainsTotal: 5 }); // one answer is not enough
    expect((await store.ratingTop('securing-workloads', 5))[0]).toEqual({ profileId: 'p1', rating: a.outcome.domain2025RatingAfter });
  });

  it('a profile stored before the 5-domain outline keeps working: its 2025 ratings start fresh', async () => {
    const store = new MemoryPracticeStore();
    const old = { ...newPlayerPractice(), overall: { rating: 1700, deviation: 80, volatility: 0.06 }, byDomain: { ebpf: { rating: 1750, deviation: 90, volatility: 0.06 } } } as Partial<PlayerPractice>;
    delete old.byDomain2025;
    delete old.stats2025;
    await store.update('old', null, null, () => ({ player: old as PlayerPractice, result: null }));
    const practice = new PracticeService(bank, store, () => 1_000_000, new Rng(9));
    const fresh = await practice.stats('old', 'cca-2025');
    expect(fresh.domains.every((d) => d.answered === 0 && d.provisional && d.rating === 1700)).toBe(true);
    expect((await practice.stats('old')).domains.find((d) => d.domain === 'ebpf')!.rating).toBe(1750);
    const r = await practice.next('old', { outline: 'cca-2025', domains: [], offset: 'normal' });
    if (!r.ok) throw new Error(r.message);
    const a = await practice.answer('old', r.question.id, bank.byId.get(r.question.id)!.answer);
    expect(a.ok).toBe(true);
    expect((await store.load('old')).byDomain2025?.[domain2025(r.question.id)]).toBeDefined();
  });

  it('lists both outlines in data order', () => {
    expect(outlineDomainIds('cca-2025')).toEqual([...DOMAIN_2025_IDS]);
    expect(outlineDomainIds('cca-2024')).toEqual(DOMAIN_IDS);
  });
});
