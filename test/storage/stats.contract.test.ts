import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuestionResult } from '../../server/game/state.js';
import { MemoryPracticeStore, RedisPracticeStore, type PracticeStore } from '../../server/practice/practice-store.js';
import { serve } from '../../server/practice/engine.js';
import { roomMisses } from '../../server/practice/room-misses.js';
import { PracticeService, READINESS_MIN_RATED } from '../../server/practice/service.js';
import { Rng } from '../../server/game/rng.js';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import { Harness } from '../helpers/harness.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';

const redis = usePrivateRedis();
const bank = makeBank(6);
const wrongOf = (id: string) => [[0, 1, 2, 3].find((c) => !bank.byId.get(id)!.answer.includes(c))!];

function contract(name: string, make: () => Promise<PracticeStore>) {
  describe(`/stats that teaches (${name} store)`, () => {
    let store: PracticeStore;
    let now = Date.UTC(2026, 11, 1, 10);
    let service: PracticeService;
    beforeEach(async () => {
      store = await make();
      now = Date.UTC(2026, 11, 1, 10);
      service = new PracticeService(bank, store, () => now, new Rng(5));
    });

    /** Serves one question of the domain and answers it, right or wrong; returns its id and the choices given. */
    async function practise(profile: string, domain: DomainId, right: boolean, pick?: string) {
      if (pick) await store.update(profile, null, null, (p) => ({ player: serve(p, pick, now), result: null }));
      const next = pick ? null : await service.next(profile, { domains: [domain], offset: 'normal' });
      if (next && !next.ok) throw new Error(next.message);
      const id = next?.ok ? next.question.id : pick!;
      const choices = right ? [...bank.byId.get(id)!.answer] : wrongOf(id);
      now += 4_000;
      const a = await service.answer(profile, id, choices);
      if (!a.ok) throw new Error(a.message);
      now += 60_000;
      return { id, choices };
    }

    it('a new profile has no readiness figure, a provisional rating with its deviation, nothing missed', async () => {
      const s = await service.stats('new');
      expect(s.readiness).toMatchObject({ percent: null, domainsReady: 0, domainsTotal: 8, minRatedPerDomain: READINESS_MIN_RATED });
      expect(s.readiness.method).toMatch(/based on/i);
      expect(s).toMatchObject({ rating: 1500, deviation: 350, provisional: true, missed: [], trend: [] });
      expect(s.domains.every((d) => d.rated === 0 && d.provisional)).toBe(true);
    });

    it('a missed practice question comes with the learner\'s answer, the correct one and the choices', async () => {
      const { id, choices } = await practise('ana', 'ebpf', false, 'ebpf-0'); // single choice, four options
      const q = bank.byId.get(id)!;
      const [m] = (await service.stats('ana')).missed;
      expect(m).toMatchObject({ questionId: id, yourAnswer: choices, answerRecorded: true, correctChoices: q.answer, choices: q.choices, type: q.type, explanation: q.explanation });
      // A later wrong review replaces the kept answer; a right one keeps the miss's.
      now += 3_600_000;
      // Serve the due review directly (the selection keeps recently served questions back for a while).
      await store.update('ana', null, null, (p) => ({ player: serve(p, id, now), result: null }));
      const other = q.choices.map((_, i) => i).filter((i) => !q.answer.includes(i) && i !== choices[0])[0];
      expect(other, "a question with a second wrong choice").toBeDefined();
      if (other !== undefined) {
        expect((await service.answer('ana', id, [other])).ok).toBe(true);
        expect((await service.stats('ana')).missed[0]!.yourAnswer).toEqual([other]);
      }
    });

    it('a card from before answers were kept says so', async () => {
      const { id } = await practise('old', 'ebpf', false);
      await store.update('old', null, null, (p) => {
        const { answer: _gone, ...card } = p.reviews[id]!;
        return { player: { ...p, reviews: { [id]: card } }, result: null };
      });
      expect((await service.stats('old')).missed[0]).toMatchObject({ questionId: id, answerRecorded: false, yourAnswer: null });
    });

    it('room misses keep the answer in bank order (rooms shuffle choices); a silence is "no answer"', async () => {
      const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 2 });
      h.join('Ana', 'Ben', 'Cai');
      h.host('start');
      const shown = h.state.questions[0]!.question;
      const wrongText = shown.choices[h.wrong[0]!]!;
      h.answer('ben', h.wrong);
      const before = h.effects.length;
      h.advance(20_000);
      const closed = h.effects.slice(before).find((e) => e.type === 'question-closed') as { result: QuestionResult };
      expect(await service.feedRoomMisses(roomMisses(h.state, closed.result, [['ben', 'p-ben'], ['cai', 'p-cai']]))).toBe(2);
      const record = bank.byId.get(shown.id)!;
      expect((await service.stats('p-ben')).missed[0]).toMatchObject({ questionId: shown.id, yourAnswer: [record.choices.indexOf(wrongText)], answerRecorded: true, correctChoices: record.answer });
      expect((await service.stats('p-cai')).missed[0]).toMatchObject({ questionId: shown.id, yourAnswer: null, answerRecorded: true });
    });

    it(`readiness shows a figure only once every domain has ${READINESS_MIN_RATED} rated answers`, async () => {
      for (const d of DOMAIN_IDS) for (let i = 0; i < READINESS_MIN_RATED; i++) if (d !== 'ebpf' || i > 0) await practise('cai', d, i % 2 === 0);
      const short = await service.stats('cai');
      expect(short.readiness).toMatchObject({ percent: null, domainsReady: 7 });
      expect(short.domains.find((d) => d.domain === 'ebpf')!.rated).toBe(READINESS_MIN_RATED - 1);
      await practise('cai', 'ebpf', true);
      const ready = await service.stats('cai');
      expect(ready.readiness.domainsReady).toBe(8);
      expect(ready.readiness.percent).toBeGreaterThan(0);
      expect(ready.readiness.percent).toBeLessThan(100);
      expect(ready.trend).toHaveLength(8 * READINESS_MIN_RATED);
      // The other outline counts its own domains: the same answers, placed by domain2025.
      const five = await service.stats('cai', 'cca-2025');
      expect(five.readiness.domainsTotal).toBe(5);
      expect(five.domains.reduce((s, d) => s + d.rated, 0)).toBe(8 * READINESS_MIN_RATED);
    });
  });
}

contract('memory', async () => new MemoryPracticeStore());
let redisStore: RedisPracticeStore | undefined;
contract('redis', async () => {
  await redis.client.flushdb();
  redisStore?.close();
  redisStore = new RedisPracticeStore(redis.client);
  return redisStore;
});
afterAll(() => redisStore?.close());
