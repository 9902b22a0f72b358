import { beforeEach, describe, expect, it } from 'vitest';
import { homeworkSchemas } from '../../shared/protocol/homework.js';
import { RedisHomeworkStore } from '../../server/homework/redis-store.js';
import { HomeworkService, type Member } from '../../server/homework/service.js';
import { MemoryHomeworkStore, type Attempt, type HomeworkStore } from '../../server/homework/store.js';
import type { RoomMiss } from '../../server/practice/room-misses.js';
import { stringify } from 'yaml';
import { storedQuestion } from '../helpers/fixture-bank.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();
const bank = makeBank(3);
const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;
const IDS = ['ebpf-0', 'ebpf-1', 'network-policy-0', 'architecture-0'];
const right = (id: string) => bank.byId.get(id)!.answer;
const wrong = (id: string) => [[0, 1].find((c) => !right(id).includes(c))!];

interface Harness {
  store: HomeworkStore;
  /** Stored assignments (to check that a refusal stored nothing). */
  count(): Promise<number>;
  /** Redis: the assignment's remaining time to live. */
  ttlMs?: (id: string) => Promise<number>;
}

function contract(name: string, make: () => Promise<Harness>) {
  describe(`${name} homework store`, () => {
    let h: Harness;
    let now: number;
    let fed: RoomMiss[];
    let hw: HomeworkService;
    const anon: Member = { profile: null, token: null };
    const ana: Member = { profile: { id: 'prof-ana', name: 'Ana' }, token: null };
    beforeEach(async () => {
      h = await make();
      now = T0;
      fed = [];
      hw = new HomeworkService(bank, h.store, { now: () => now, onMisses: async (m) => void fed.push(...m), seed: () => 7 });
    });
    const create = async (over: Record<string, unknown> = {}) => {
      const body = homeworkSchemas.create.parse({ title: 'Week 3', deck: { kind: 'ids', ids: IDS }, dueAt: T0 + 48 * HOUR, ...over });
      const out = await hw.create(body);
      if (!out.ok) throw new Error(out.message);
      return out;
    };

    it('[HW1] creates an assignment with its questions frozen; the link shows no answers', async () => {
      const { assignment, leadToken } = await create();
      expect(leadToken).toMatch(/^[\w-]{32}$/);
      expect(assignment).toMatchObject({ title: 'Week 3', questionCount: 4, open: true, reviewed: true, outline: 'cca-2024', dueAt: T0 + 48 * HOUR });
      const described = await hw.describe(assignment.id);
      expect(described).toEqual({ ok: true, assignment });
      expect(JSON.stringify(described)).not.toContain('"answer"');
      expect((await h.store.load(assignment.id))!.questions.map((q) => q.id)).toEqual(IDS);
      expect(await h.count()).toBe(1);
      if (h.ttlMs) expect(await h.ttlMs(assignment.id)).toBeGreaterThan(48 * HOUR + 179 * 24 * HOUR); // kept 180 days past the due date
    });

    it('[HW2] a member without a profile starts, answers in order, gets explanations and 1 point per right answer', async () => {
      const { assignment } = await create();
      const started = await hw.start(assignment.id, anon, '  Ben  ');
      if (!started.ok) throw new Error(started.message);
      expect(started.memberToken).toMatch(/^[\w-]{32}$/);
      expect(started.attempt).toMatchObject({ name: 'Ben', index: 0, total: 4, score: 0, status: 'in-progress' });
      expect(started.attempt.question!.id).toBe(IDS[0]);
      expect(JSON.stringify(started.attempt)).not.toContain('"answer"');
      const ben: Member = { profile: null, token: started.memberToken! };
      const fb = await hw.answer(assignment.id, ben, 0, right(IDS[0]!));
      expect(fb).toMatchObject({ ok: true, correct: true, correctChoices: right(IDS[0]!), explanation: expect.stringContaining('synthetic'), sourceUrl: expect.stringMatching(/^https:/) });
      expect(fb.ok && fb.attempt).toMatchObject({ index: 1, score: 1 });
      expect(await hw.answer(assignment.id, ben, 1, wrong(IDS[1]!))).toMatchObject({ ok: true, correct: false, attempt: { score: 1, index: 2 } });
      expect(await hw.answer(assignment.id, ben, 1, right(IDS[1]!))).toMatchObject({ ok: false, code: 'ALREADY_ANSWERED' });
      expect(await hw.answer(assignment.id, ben, 3, right(IDS[3]!))).toMatchObject({ ok: false, code: 'NOT_SERVED' });
      expect(await hw.answer(assignment.id, ben, 2, [7])).toMatchObject({ ok: false, code: 'INVALID_CHOICE' });
      expect(await hw.answer(assignment.id, { profile: null, token: 'x'.repeat(32) }, 2, [0])).toMatchObject({ ok: false, code: 'SESSION_INVALID' });
      expect(await hw.start(assignment.id, anon, '\u200b')).toMatchObject({ ok: false, code: 'NICKNAME_INVALID' });
    });

    it('[HW3] resumes where the member stopped: same question, same score, no new token', async () => {
      const { assignment } = await create();
      const started = await hw.start(assignment.id, anon, 'Cai');
      const cai: Member = { profile: null, token: started.ok ? started.memberToken! : '' };
      if (h.ttlMs) expect(await h.ttlMs(`${assignment.id}:attempts`)).toBeGreaterThan(0); // attempts expire with their assignment
      await hw.answer(assignment.id, cai, 0, right(IDS[0]!));
      now += HOUR;
      const again = await hw.start(assignment.id, cai, 'ignored');
      expect(again).toMatchObject({ ok: true, resumed: true, attempt: { name: 'Cai', index: 1, score: 1, question: { id: IDS[1] } } });
      expect(again.ok && again.memberToken).toBeUndefined();
      expect(await hw.current(assignment.id, cai)).toMatchObject({ ok: true, attempt: { index: 1 } });
      expect(await hw.current(assignment.id, anon)).toMatchObject({ ok: true, attempt: null });
    });

    it('[HW4] one attempt each: a finished member cannot start again; a profile is one member on any device', async () => {
      const { assignment } = await create();
      expect(await hw.start(assignment.id, ana, undefined)).toMatchObject({ ok: true, resumed: false, attempt: { name: 'Ana' } });
      expect(await hw.start(assignment.id, ana, 'Other')).toMatchObject({ ok: true, resumed: true });
      for (const [i, id] of IDS.entries()) await hw.answer(assignment.id, ana, i, i === 2 ? wrong(id) : right(id));
      expect(await hw.current(assignment.id, ana)).toMatchObject({ ok: true, attempt: { status: 'finished', score: 3, index: 4, question: null } });
      expect(await hw.start(assignment.id, ana, undefined)).toMatchObject({ ok: false, code: 'ALREADY_SUBMITTED' });
      expect(await hw.answer(assignment.id, ana, 3, right(IDS[3]!))).toMatchObject({ ok: false, code: 'ALREADY_SUBMITTED' });
      // The miss of a profiled member is fed to the review queue, once, keyed by assignment and question.
      expect(fed).toEqual([{ profileId: 'prof-ana', questionId: IDS[2], key: `hw:${assignment.id}:${IDS[2]}`, picked: wrong(IDS[2]!).map((c) => bank.byId.get(IDS[2]!)!.choices[c]) }]);
    });

    it('[HW5] racing answers to the same question count once', async () => {
      const { assignment } = await create();
      await hw.start(assignment.id, ana, undefined);
      const outs = await Promise.all(Array.from({ length: 6 }, (_, i) => hw.answer(assignment.id, ana, 0, i % 2 ? right(IDS[0]!) : wrong(IDS[0]!))));
      expect(outs.filter((o) => o.ok)).toHaveLength(1);
      expect(outs.filter((o) => !o.ok).every((o) => !o.ok && o.code === 'ALREADY_ANSWERED')).toBe(true);
      expect((await h.store.attempt(assignment.id, 'p:prof-ana'))!.answers).toHaveLength(1);
    });

    it('[HW6] the due date: nobody starts late; an attempt begun in time may be finished after it', async () => {
      const { assignment } = await create({ dueAt: T0 + HOUR });
      await hw.start(assignment.id, ana, undefined);
      now = T0 + HOUR;
      expect(await hw.describe(assignment.id)).toMatchObject({ ok: true, assignment: { open: false } });
      expect(await hw.start(assignment.id, anon, 'Late')).toMatchObject({ ok: false, code: 'LATE' });
      expect(await hw.start(assignment.id, ana, undefined)).toMatchObject({ ok: true, resumed: true });
      for (const [i, id] of IDS.entries()) expect(await hw.answer(assignment.id, ana, i, right(id))).toMatchObject({ ok: true });
      expect((await h.store.attempts(assignment.id)).map((a) => a.name)).toEqual(['Ana']);
    });

    it('[HW7] results for the lead only: who did it, the player × question grid and domain accuracy', async () => {
      const { assignment, leadToken } = await create({ outline: 'cca-2024' });
      await hw.start(assignment.id, ana, undefined);
      for (const [i, id] of IDS.entries()) await hw.answer(assignment.id, ana, i, i === 1 ? wrong(id) : right(id));
      now += 1_000;
      const ben = await hw.start(assignment.id, anon, 'Ben');
      const benM: Member = { profile: null, token: ben.ok ? ben.memberToken! : '' };
      await hw.answer(assignment.id, benM, 0, wrong(IDS[0]!));
      expect(await hw.results(assignment.id, 'nope')).toMatchObject({ ok: false, code: 'NOT_HOST' });
      const out = await hw.results(assignment.id, leadToken);
      if (!out.ok) throw new Error(out.message);
      const r = out.results;
      expect(r.members.map((m) => [m.name, m.status, m.score, m.answered, m.profiled])).toEqual([
        ['Ana', 'finished', 3, 4, true],
        ['Ben', 'in-progress', 0, 1, false],
      ]);
      expect(r.members.map((m) => m.grid)).toEqual([
        ['right', 'wrong', 'right', 'right'],
        ['wrong', null, null, null],
      ]);
      expect(r.members[1]!.choices).toEqual([wrong(IDS[0]!), null, null, null]);
      expect(r.questions.map((q) => [q.id, q.answered, q.right])).toEqual([[IDS[0], 2, 1], [IDS[1], 1, 0], [IDS[2], 1, 1], [IDS[3], 1, 1]]);
      expect(r.questions[0]).toMatchObject({ correct: right(IDS[0]!), reviewed: true, explanation: expect.any(String) });
      expect(r.domains).toEqual([
        { domain: 'architecture', answered: 1, correct: 1, accuracy: 1 },
        { domain: 'network-policy', answered: 1, correct: 1, accuracy: 1 },
        { domain: 'ebpf', answered: 3, correct: 1, accuracy: 1 / 3 },
      ]);
      expect(JSON.stringify(r)).not.toMatch(/prof-ana|tokenHash|"t:/); // no identities leave
      const five = await create({ outline: 'cca-2025' });
      const r5 = await hw.results(five.assignment.id, five.leadToken);
      expect(r5.ok && r5.results.domains.every((d) => d.answered === 0 && d.accuracy === null)).toBe(true);
    });

    it('[HW8] bad input is refused with a clear code and nothing is stored', async () => {
      const parse = (body: unknown) => homeworkSchemas.create.safeParse(body);
      expect(parse({ title: 'x', deck: { kind: 'dice' }, dueAt: T0 + HOUR }).success).toBe(false);
      expect(parse({ title: 'x', deck: { kind: 'ids', ids: ['Not An Id'] }, dueAt: T0 + HOUR }).success).toBe(false);
      expect(parse({ title: 'x', deck: { kind: 'ids', ids: Array.from({ length: 101 }, (_, i) => `q-${i}`) }, dueAt: T0 + HOUR }).success).toBe(false);
      expect(parse({ title: '', deck: { kind: 'ids', ids: IDS }, dueAt: T0 + HOUR }).success).toBe(false);
      const body = (over: object) => homeworkSchemas.create.parse({ title: 'Bad', deck: { kind: 'ids', ids: IDS }, dueAt: T0 + HOUR, ...over });
      expect(await hw.create(body({ dueAt: T0 - 1 }))).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('dueAt') });
      expect(await hw.create(body({ dueAt: T0 + 400 * 24 * HOUR }))).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(await hw.create(body({ deck: { kind: 'ids', ids: ['ebpf-0', 'no-such-question'] } }))).toMatchObject({ ok: false, code: 'DECK_INVALID', message: expect.stringContaining('no-such-question') });
      expect(await hw.create(body({ deck: { kind: 'ids', ids: ['ebpf-0', 'ebpf-0'] } }))).toMatchObject({ ok: false, code: 'DECK_INVALID' });
      expect(await h.count()).toBe(0);
      expect(await hw.describe('AAAAAAAAAAAA')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await hw.start('AAAAAAAAAAAA', anon, 'Ben')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await hw.results('AAAAAAAAAAAA', 'x')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await h.count()).toBe(0);
    });

    it('[HW10] decks through resolveDeck: topics and random draw `count`, an upload is kept with the assignment and marked not reviewed', async () => {
      const topics = await create({ deck: { kind: 'topics', topics: ['testing'] }, count: 5 });
      expect(topics.assignment.questionCount).toBe(5);
      const random = await create({ deck: { kind: 'random' }, count: 8 });
      expect(random.assignment).toMatchObject({ questionCount: 8, reviewed: true });
      const yaml = stringify([storedQuestion('own-1'), storedQuestion('own-2', { answer: [2] })]);
      const up = await create({ deck: { kind: 'upload', yaml } });
      expect(up.assignment).toMatchObject({ questionCount: 2, reviewed: false });
      const stored = (await h.store.load(up.assignment.id))!;
      expect(stored.questions.map((q) => [q.id, q.reviewed])).toEqual([['up-own-1', false], ['up-own-2', false]]);
      const started = await hw.start(up.assignment.id, ana, undefined);
      expect(started.ok && started.attempt.question).toMatchObject({ id: 'up-own-1', reviewed: false });
      await hw.answer(up.assignment.id, ana, 0, [1]);
      await hw.answer(up.assignment.id, ana, 1, [2]);
      expect(fed).toEqual([]); // uploaded questions are not in the bank: nothing to review later
      const before = await h.count();
      const badYaml = stringify([storedQuestion('own-3', { answer: [9] })]);
      const bad = await hw.create(homeworkSchemas.create.parse({ title: 'Bad', deck: { kind: 'upload', yaml: badYaml }, dueAt: T0 + HOUR }));
      expect(bad).toMatchObject({ ok: false, code: 'DECK_INVALID', problems: [expect.objectContaining({ id: 'own-3', field: expect.stringContaining('answer') })] });
      expect(await hw.create(homeworkSchemas.create.parse({ title: 'Weak', deck: { kind: 'weakest' }, dueAt: T0 + HOUR }))).toMatchObject({ ok: false, code: 'DECK_INVALID' });
      expect(await hw.create(homeworkSchemas.create.parse({ title: 'T', deck: { kind: 'topics', topics: ['no-such-topic'] }, dueAt: T0 + HOUR }))).toMatchObject({ ok: false, code: 'DECK_INVALID' });
      expect(await h.count()).toBe(before);
    });

    it('[HW9] store: one attempt per key under racing starts, a member cap, compare-and-set answers', async () => {
      const { assignment } = await create();
      const attempt = (key: string, id: string): Attempt => ({ id, key, name: id, profileId: null, startedAt: T0, finishedAt: null, answers: [] });
      const outs = await Promise.all(['a', 'b', 'c', 'd'].map((id) => h.store.start(assignment.id, attempt('p:same', id), 10)));
      expect(outs.filter((o) => 'created' in o && o.created)).toHaveLength(1);
      const stored = (await h.store.attempt(assignment.id, 'p:same'))!;
      expect(await h.store.start(assignment.id, attempt('p:two', 'e'), 2)).toMatchObject({ created: true });
      expect(await h.store.start(assignment.id, attempt('p:three', 'f'), 2)).toEqual({ full: true });
      expect(await h.store.start('AAAAAAAAAAAA', attempt('p:x', 'g'), 2)).toEqual({ full: true });
      const next = { ...stored, answers: [{ choices: [0], correct: true, at: T0 }] };
      expect(await h.store.replace(assignment.id, stored, next)).toBe(true);
      expect(await h.store.replace(assignment.id, stored, { ...next, name: 'stale' })).toBe(false);
      expect(await h.store.attempt(assignment.id, 'p:same')).toEqual(next);
      expect((await h.store.attempts(assignment.id)).map((a) => a.key).sort()).toEqual(['p:same', 'p:two']);
    });
  });
}

contract('memory', async () => {
  const store = new MemoryHomeworkStore();
  return { store, count: async () => store.size };
});
contract('redis', async () => {
  await redis.client.flushdb();
  return { store: new RedisHomeworkStore(redis.client, () => T0), ttlMs: (id: string) => redis.client.pttl(`cca:hw:${id}`), count: async () => (await redis.client.keys('cca:hw:*')).filter((k) => !k.endsWith(':attempts')).length };
});
