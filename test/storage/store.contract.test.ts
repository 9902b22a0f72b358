import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import { RedisStore } from '../../server/storage/redis.js';
import { isoWeek, type QuestionOutcome, type Store } from '../../server/storage/types.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();

let seq = 0;
function outcome(over: Partial<QuestionOutcome> = {}): QuestionOutcome {
  seq++;
  return {
    id: `ROOM${seq}:0:${seq}`,
    roomCode: 'ABCDEF',
    week: '2026-W47',
    board: 'quiz',
    domain: 'ebpf',
    scores: [
      { playerId: 'p1', name: 'Ana', score: 1000 },
      { playerId: 'p2', name: 'Ben', score: 0 },
    ],
    players: [
      { key: 'seat:p1', name: 'Ana', points: 1000, answered: true, correct: true, timeMs: 1200 },
      { key: 'seat:p2', name: 'Ben', points: 0, answered: true, correct: false, timeMs: 3000 },
    ],
    ...over,
  };
}

/** One behaviour contract, run against every implementation. */
function contract(name: string, make: () => Promise<Store>) {
  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
      return () => store.close();
    });

    it('records a question once, even when retried', async () => {
      const o = outcome({ id: 'retry-me' });
      expect(await store.recordQuestion(o)).toBe(true);
      expect(await store.recordQuestion(o)).toBe(false);
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([{ rank: 1, key: 'seat:p1', name: 'Ana', points: 1000 }]);
      expect(await store.playerStats('seat:p2')).toEqual([{ domain: 'ebpf', answered: 1, correct: 0, totalTimeMs: 3000 }]);
    });

    it('accumulates weekly points and stats across questions and rooms', async () => {
      await store.recordQuestion(outcome());
      await store.recordQuestion(outcome({ roomCode: 'ZZZZZZ', domain: 'cluster-mesh', players: [{ key: 'seat:p2', name: 'Ben', points: 925, answered: true, correct: true, timeMs: 3000 }] }));
      await store.recordQuestion(outcome({ players: [{ key: 'seat:p3', name: 'Cai', points: 0, answered: false, correct: false, timeMs: 0 }] }));
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([
        { rank: 1, key: 'seat:p1', name: 'Ana', points: 1000 },
        { rank: 2, key: 'seat:p2', name: 'Ben', points: 925 },
      ]);
      expect(await store.playerStats('seat:p2')).toEqual([
        { domain: 'cluster-mesh', answered: 1, correct: 1, totalTimeMs: 3000 },
        { domain: 'ebpf', answered: 1, correct: 0, totalTimeMs: 3000 },
      ]);
      expect(await store.playerStats('seat:p3')).toEqual([]);
      expect(await store.weeklyTop('2026-W48', 10)).toEqual([]);
    });

    it('keys weekly points by person: same-named people are two rows, one profile is one row with its latest name', async () => {
      await store.recordQuestion(outcome({ players: [{ key: 'seat:a1', name: 'Alex', points: 800, answered: true, correct: true, timeMs: 1 }] }));
      await store.recordQuestion(outcome({ roomCode: 'ZZZZZZ', players: [{ key: 'seat:b7', name: 'Alex', points: 500, answered: true, correct: true, timeMs: 1 }] }));
      await store.recordQuestion(outcome({ players: [{ key: 'profile:pr1', name: 'Sam', points: 300, answered: true, correct: true, timeMs: 1 }] }));
      await store.recordQuestion(outcome({ roomCode: 'ZZZZZZ', players: [{ key: 'profile:pr1', name: 'Samantha', points: 400, answered: true, correct: true, timeMs: 1 }] }));
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([
        { rank: 1, key: 'seat:a1', name: 'Alex', points: 800 },
        { rank: 2, key: 'profile:pr1', name: 'Samantha', points: 700 },
        { rank: 3, key: 'seat:b7', name: 'Alex', points: 500 },
      ]);
    });

    it('keeps mock-exam points on their own board', async () => {
      await store.recordQuestion(outcome());
      await store.recordQuestion(outcome({ board: 'exam', players: [{ key: 'seat:p1', name: 'Ana', points: 1, answered: true, correct: true, timeMs: 0 }] }));
      await store.recordQuestion(outcome({ board: 'exam', players: [{ key: 'seat:p1', name: 'Ana', points: 1, answered: true, correct: true, timeMs: 0 }, { key: 'seat:p2', name: 'Ben', points: 0, answered: false, correct: false, timeMs: 0 }] }));
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([{ rank: 1, key: 'seat:p1', name: 'Ana', points: 1000 }]);
      expect(await store.weeklyTop('2026-W47', 10, 'quiz')).toEqual([{ rank: 1, key: 'seat:p1', name: 'Ana', points: 1000 }]);
      expect(await store.weeklyTop('2026-W47', 10, 'exam')).toEqual([{ rank: 1, key: 'seat:p1', name: 'Ana', points: 2 }]);
      // Stats count every answer, whichever board its points went to.
      expect((await store.playerStats('seat:p1'))[0]).toMatchObject({ domain: 'ebpf', answered: 3, correct: 3 });
    });

    it('keeps the room leaderboard as absolute scores', async () => {
      await store.recordQuestion(outcome());
      await store.setRoomScores('ABCDEF', [{ playerId: 'p2', name: 'Ben', score: 1500 }]);
      expect(await store.roomTop('ABCDEF', 10)).toEqual([
        { playerId: 'p2', name: 'Ben', score: 1500 },
        { playerId: 'p1', name: 'Ana', score: 1000 },
      ]);
      await store.removeRoomPlayer('ABCDEF', 'p2');
      expect(await store.roomTop('ABCDEF', 10)).toEqual([{ playerId: 'p1', name: 'Ana', score: 1000 }]);
      expect(await store.roomTop('NOPE22', 10)).toEqual([]);
    });

    it('handles negative points (buzz negs)', async () => {
      await store.recordQuestion(outcome({ players: [{ key: 'seat:p4', name: 'Dee', points: -5, answered: true, correct: false, timeMs: 100 }] }));
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([{ rank: 1, key: 'seat:p4', name: 'Dee', points: -5 }]);
    });

    it('concurrent retries of one outcome still count once', async () => {
      const o = outcome({ id: 'race' });
      const results = await Promise.all(Array.from({ length: 10 }, () => store.recordQuestion(o)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.weeklyTop('2026-W47', 10))[0]!.points).toBe(1000);
    });

    it('records one flag per person per question per room, newest reasons first', async () => {
      const flag = (by: string, reason: string, roomCode = 'ABCDEF', questionId = 'ebpf-maps-01') => ({ questionId, reason, roomCode, by, at: new Date('2026-11-21T10:00:00Z') });
      expect(await store.addFlag(flag('p1', 'answer key looks wrong'))).toBe(true);
      expect(await store.addFlag(flag('p1', 'again'))).toBe(false);
      expect(await store.addFlag(flag('p2', 'distractor B is also true'))).toBe(true);
      expect(await store.addFlag(flag('p1', 'other room', 'ZZZZZZ'))).toBe(true);
      expect(await store.addFlag(flag('p1', 'unclear', 'ABCDEF', 'cm-setup-01'))).toBe(true);
      const flags = await store.listFlags(10);
      expect(flags.map((f) => [f.questionId, f.count])).toEqual([
        ['ebpf-maps-01', 3],
        ['cm-setup-01', 1],
      ]);
      expect(flags[0]!.reasons.map((r) => r.reason)).toEqual(['other room', 'distractor B is also true', 'answer key looks wrong']);
      expect(flags[0]!.reasons[0]).toEqual({ reason: 'other room', roomCode: 'ZZZZZZ', at: '2026-11-21T10:00:00.000Z' });
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

contract('memory', async () => new MemoryStore());
contract('redis', async () => {
  const store = await RedisStore.connect(redis.url);
  await store.redis.flushdb();
  return store;
});

describe('redis store scripts', () => {
  it('run by SHA, and still run (once) after Redis forgot its scripts, as after a restart', async () => {
    const store = await RedisStore.connect(redis.url);
    try {
      await store.redis.flushdb();
      await store.redis.config('RESETSTAT');
      const o = outcome({ id: 'after-flush' });
      expect(await store.recordQuestion(o)).toBe(true);
      await store.redis.script('FLUSH');
      expect(await store.recordQuestion(o)).toBe(false); // NOSCRIPT: ioredis sends the body again; the guard still holds
      expect(await store.recordQuestion(outcome({ id: 'after-flush-2' }))).toBe(true);
      expect(await store.recordQuestion(outcome({ id: 'after-flush-3' }))).toBe(true);
      expect(await store.weeklyTop('2026-W47', 10)).toEqual([{ rank: 1, key: 'seat:p1', name: 'Ana', points: 3000 }]);
      const info = (await store.redis.info('commandstats')) as string;
      // Four calls: the body went with the connection's first and once after the flush (NOSCRIPT), the rest by SHA.
      expect(info).toMatch(/cmdstat_eval:calls=2,/);
      expect(info).toMatch(/cmdstat_evalsha:calls=3,.*failed_calls=1/);
    } finally {
      await store.close();
    }
  });
});

describe('isoWeek', () => {
  it('follows ISO 8601 (weeks start Monday, week 1 holds the first Thursday)', () => {
    expect(isoWeek(new Date('2026-11-21T12:00:00Z'))).toBe('2026-W47');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
  });
});
