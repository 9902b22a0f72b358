import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import { RedisStore } from '../../server/storage/redis.js';
import type { QuestionCorrection, Store } from '../../server/storage/types.js';
import { usePrivateRedis } from '../helpers/private-redis.js';

const redis = usePrivateRedis();

const correction: QuestionCorrection = {
  id: 'ROOM:1:0:protest:0:p2',
  roomCode: 'ABCDEF',
  week: '2026-W47',
  board: 'quiz',
  domain: 'ebpf',
  scores: [{ playerId: 'p2', name: 'Ben', score: 875 }],
  players: [{ key: 'seat:p2', name: 'Ben', points: 875, answered: 0, correct: 1, timeMs: 0 }],
};

describe.each([
  ['memory', async (): Promise<Store> => new MemoryStore()],
  [
    'redis',
    async (): Promise<Store> => {
      const s = await RedisStore.connect(redis.url);
      await s.redis.flushdb();
      return s;
    },
  ],
] as const)('protest records and corrections (%s store)', (_name, make) => {
  it('a correction applies once, even when retried, on the question’s board and stats', async () => {
    const store = await make();
    await store.recordQuestion({
      id: 'ROOM:1:0',
      roomCode: 'ABCDEF',
      week: '2026-W47',
      board: 'quiz',
      domain: 'ebpf',
      scores: [{ playerId: 'p2', name: 'Ben', score: 0 }],
      players: [{ key: 'seat:p2', name: 'Ben', points: 0, answered: true, correct: false, timeMs: 5000 }],
    });
    expect(await store.correctQuestion(correction)).toBe(true);
    expect(await store.correctQuestion(correction)).toBe(false);
    expect(await store.weeklyTop('2026-W47', 10)).toEqual([{ rank: 1, key: 'seat:p2', name: 'Ben', points: 875 }]);
    expect(await store.playerStats('seat:p2')).toEqual([{ domain: 'ebpf', answered: 1, correct: 1, totalTimeMs: 5000 }]);
    expect(await store.roomTop('ABCDEF', 10)).toEqual([{ playerId: 'p2', name: 'Ben', score: 875 }]);
    await store.close();
  });

  it('a protest is listed with the question, its decision overwriting the open entry', async () => {
    const store = await make();
    const entry = { questionId: 'ebpf-maps-01', by: 'p2', roomCode: 'ABCDEF', reason: 'B too', at: '2026-11-21T10:00:00.000Z', decision: null, decidedAt: null };
    await store.recordProtest(entry);
    await store.recordProtest({ ...entry, decision: 'reject', decidedAt: '2026-11-21T10:01:00.000Z' });
    await store.recordProtest({ ...entry, by: 'p3', roomCode: 'ZZZZZZ', at: '2026-11-21T11:00:00.000Z' });
    await store.addFlag({ questionId: 'cm-setup-01', reason: 'unclear', roomCode: 'ABCDEF', by: 'p1', at: new Date('2026-11-21T10:00:00Z') });
    const flags = await store.listFlags(10);
    expect(flags.map((f) => [f.questionId, f.count, f.protests.length])).toEqual([
      ['ebpf-maps-01', 0, 2],
      ['cm-setup-01', 1, 0],
    ]);
    expect(flags[0]!.protests).toEqual([
      { roomCode: 'ZZZZZZ', reason: 'B too', at: '2026-11-21T11:00:00.000Z', decision: null, decidedAt: null },
      { roomCode: 'ABCDEF', reason: 'B too', at: '2026-11-21T10:00:00.000Z', decision: 'reject', decidedAt: '2026-11-21T10:01:00.000Z' },
    ]);
    await store.close();
  });
});
