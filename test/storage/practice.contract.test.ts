import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyAnswer, newPlayerPractice, serve } from '../../server/practice/engine.js';
import { MemoryPracticeStore, RedisPracticeStore, type PracticeStore } from '../../server/practice/practice-store.js';
import { initialQuestionRating, rateAttempt } from '../../server/rating/practice-rating.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();

const fallback = initialQuestionRating(2);
const answer = (store: PracticeStore, profileId: string, questionId: string, correct: boolean, now: number) =>
  store.update(profileId, questionId, fallback, (p, q) => {
    const r = applyAnswer(p, q!, { questionId, domain: 'ebpf', domain2025: 'fundamentals', correct, now, week: '2026-W47' });
    return r.ok ? { player: r.player, question: r.question, result: r.outcome as object } : { abort: { refused: r.code } as object };
  });
const serveOne = (store: PracticeStore, profileId: string, questionId: string, now: number) =>
  store.update(profileId, null, null, (p) => ({ player: serve(p, questionId, now), result: true }));

function contract(name: string, make: () => Promise<PracticeStore>) {
  describe(`${name} practice store`, () => {
    let store: PracticeStore;
    beforeEach(async () => {
      store = await make();
    });

    it('persists ratings, stats, the question rating and the leaderboards', async () => {
      await serveOne(store, 'ana', 'q1', 1_000);
      expect(await answer(store, 'ana', 'q1', true, 3_000)).toMatchObject({ rated: true });
      const p = await store.load('ana');
      expect(p.overall.rating).toBeGreaterThan(1500);
      expect(p.stats.ebpf).toEqual({ answered: 1, correct: 1, totalTimeMs: 2_000 });
      const q = (await store.questionRatings(['q1', 'q2'], () => fallback)).get('q1')!;
      expect(q.rating).toBeLessThan(fallback.rating);
      expect((await store.questionRatings(['q2'], () => fallback)).get('q2')).toEqual(fallback);
      expect(await store.ratingTop('overall', 5)).toEqual([{ profileId: 'ana', rating: Math.round(p.overall.rating) }]);
      expect((await store.ratingTop('ebpf', 5))[0]!.profileId).toBe('ana');
    });

    it('refuses an answer to an unserved question and leaves the records unchanged', async () => {
      expect(await answer(store, 'ben', 'q9', true, 1)).toEqual({ refused: 'NOT_SERVED' });
      expect((await store.load('ben')).attempted).toEqual([]);
    });

    it('two racing answers from the same player count once', async () => {
      await serveOne(store, 'cai', 'q1', 0);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => answer(store, 'cai', 'q1', i % 2 === 0, 10 + i)));
      expect(results.filter((r) => r !== undefined && 'rated' in r)).toHaveLength(1);
      const p = await store.load('cai');
      expect(p.attempted).toEqual(['q1']);
      expect(p.stats.ebpf!.answered).toBe(1);
      expect(p.history).toHaveLength(1);
    });

    it('players answering the same question at once each update its rating', async () => {
      for (const id of ['p1', 'p2', 'p3', 'p4']) await serveOne(store, id, 'shared', 0);
      await Promise.all(['p1', 'p2', 'p3', 'p4'].map((id) => answer(store, id, 'shared', true, 5)));
      const q = (await store.questionRatings(['shared'], () => fallback)).get('shared')!;
      // Four wins against it, whatever the order: lower than one win leaves it (no lost update).
      const afterOneWin = rateAttempt(newPlayerPractice().overall, fallback, true).question.rating;
      expect(q.rating).toBeLessThan(afterOneWin - 10);
    });
  });
}

contract('memory', async () => new MemoryPracticeStore());
let redisStore: RedisPracticeStore | undefined;
contract('redis', async () => {
  await redis.client.flushdb();
  redisStore?.close();
  redisStore = new RedisPracticeStore(redis.client, 20, 3); // fewer connections than racers: the pool queues
  return redisStore;
});
afterAll(() => redisStore?.close());
