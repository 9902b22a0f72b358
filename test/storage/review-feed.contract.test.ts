import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuestionResult } from '../../server/game/state.js';
import { MemoryPracticeStore, RedisPracticeStore, type PracticeStore } from '../../server/practice/practice-store.js';
import { roomMisses, type RoomMiss } from '../../server/practice/room-misses.js';
import { PracticeService } from '../../server/practice/service.js';
import { Harness } from '../helpers/harness.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';

const redis = usePrivateRedis();
const bank = makeBank(6);

/** A Classic question in a room of three profiled players: Ana right, Ben wrong, Cai silent. */
function closedClassicQuestion() {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 2 });
  h.join('Ana', 'Ben', 'Cai');
  h.host('start');
  h.answer('ana', h.correct);
  h.answer('ben', h.wrong);
  const before = h.effects.length;
  h.advance(20_000);
  const closed = h.effects.slice(before).find((e) => e.type === 'question-closed') as { result: QuestionResult };
  const profiles = [['ana', 'p-ana'], ['ben', 'p-ben'], ['cai', 'p-cai']] as const;
  return { questionId: closed.result.questionId, misses: roomMisses(h.state, closed.result, profiles) };
}

function contract(name: string, make: () => Promise<PracticeStore>) {
  describe(`review-queue feeding from rooms (${name} store)`, () => {
    let store: PracticeStore;
    let now = Date.UTC(2026, 11, 1, 10);
    let service: PracticeService;
    beforeEach(async () => {
      store = await make();
      now = Date.UTC(2026, 11, 1, 10);
      service = new PracticeService(bank, store, () => now);
    });

    it('a wrong answer and a present silence are fed, a right answer is not; the miss comes back as a review', async () => {
      const { questionId, misses } = closedClassicQuestion();
      expect(await service.feedRoomMisses(misses)).toBe(2);
      expect(Object.keys((await store.load('p-ana')).reviews)).toEqual([]);
      for (const id of ['p-ben', 'p-cai']) expect(Object.keys((await store.load(id)).reviews)).toEqual([questionId]);
      now += 10 * 60_000;
      const next = await service.next('p-cai', { domains: [], offset: 'normal' });
      expect(next).toMatchObject({ ok: true, reason: 'review', question: { id: questionId } });
      expect(await service.next('p-ana', { domains: [], offset: 'normal' })).toMatchObject({ ok: true, reason: 'new' });
    });

    it('the same room and question fed again (a replay, a retried write) adds nothing and leaves the schedule', async () => {
      const { questionId, misses } = closedClassicQuestion();
      await service.feedRoomMisses(misses);
      const before = await store.load('p-ben');
      now += 3_600_000;
      expect(await service.feedRoomMisses(misses)).toBe(0);
      const after = await store.load('p-ben');
      expect(after.reviews[questionId]).toEqual(before.reviews[questionId]);
      expect(after.fedMisses).toEqual(before.fedMisses);
    });

    it('racing feeds of one miss (two nodes, a failover re-send) make one card', async () => {
      const miss: RoomMiss = { profileId: 'p-dee', questionId: bank.questions[0]!.id, key: `ROOM:1:${bank.questions[0]!.id}` };
      const results = await Promise.all(Array.from({ length: 6 }, () => service.feedRoomMisses([miss])));
      expect(results.reduce((s, n) => s + n, 0)).toBe(1);
      const p = await store.load('p-dee');
      expect(Object.keys(p.reviews)).toEqual([miss.questionId]);
      expect(p.reviews[miss.questionId]!.reps).toBe(1);
      expect(p.fedMisses).toEqual([miss.key]);
    });

    it('a question outside the bank stores nothing; feeding ranks nobody on the rating board', async () => {
      expect(await service.feedRoomMisses([{ profileId: 'p-eve', questionId: 'uploaded-deck-1', key: 'ROOM:1:uploaded-deck-1' }])).toBe(0);
      expect(await store.load('p-eve')).toEqual(await new MemoryPracticeStore().load('nobody'));
      await service.feedRoomMisses(closedClassicQuestion().misses);
      expect(await store.ratingTop('overall', 10)).toEqual([]);
    });

    it('the first practice attempt at a room miss reviews its card: right pushes it out, so it is not due again at once', async () => {
      const { questionId, misses } = closedClassicQuestion();
      await service.feedRoomMisses(misses);
      now += 10 * 60_000;
      expect(await service.next('p-ben', { domains: [], offset: 'normal' })).toMatchObject({ reason: 'review', question: { id: questionId } });
      const answered = await service.answer('p-ben', questionId, bank.byId.get(questionId)!.answer);
      expect(answered).toMatchObject({ ok: true, correct: true, outcome: { rated: true, review: 'rescheduled' } });
      const card = (await store.load('p-ben')).reviews[questionId]!;
      expect(new Date(card.due).getTime()).toBeGreaterThan(now);
    });
  });
}

contract('memory', async () => new MemoryPracticeStore());
let redisStore: RedisPracticeStore | undefined;
contract('redis', async () => {
  await redis.client.flushdb();
  redisStore?.close();
  redisStore = new RedisPracticeStore(redis.client, 20, 3);
  return redisStore;
});
afterAll(() => redisStore?.close());
