import { Redis } from 'ioredis';
import { LuaScript } from './lua.js';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import type { FlagSummary } from '../../shared/protocol/export.js';
import {
  FLAG_REASONS_KEPT,
  PROTESTS_LISTED,
  ROOM_RESULTS_TTL_MS,
  WEEKLY_TTL_MS,
  rankWeekly,
  type DomainStat,
  type ProtestEntry,
  type QuestionCorrection,
  type QuestionFlag,
  type QuestionOutcome,
  type RoomScore,
  type Persistence,
  type Store,
  type WeeklyBoard,
  type WeeklyEntry,
} from './types.js';

const PREFIX = 'cca:';
const keys = {
  applied: (id: string) => `${PREFIX}applied:${id}`,
  roomScores: (code: string) => `${PREFIX}room:${code}:lb`,
  roomNames: (code: string) => `${PREFIX}room:${code}:names`,
  // The quiz board keeps the original key names; the exam board has its own.
  weekly: (week: string, board: WeeklyBoard) => `${PREFIX}${board === 'quiz' ? 'weekly' : 'weekly-exam'}:${week}`,
  weeklyNames: (week: string, board: WeeklyBoard) => `${PREFIX}${board === 'quiz' ? 'weekly' : 'weekly-exam'}:${week}:names`,
  stats: (key: string) => `${PREFIX}stats:${key}`,
  flagSeen: `${PREFIX}flags:seen`,
  flagIndex: `${PREFIX}flags:index`,
  flagReasons: (questionId: string) => `${PREFIX}flags:q:${questionId}`,
  protestIndex: `${PREFIX}protests:index`,
  protests: (questionId: string) => `${PREFIX}protests:q:${questionId}`,
};

/** KEYS: the question's protests hash, the index zset. The index scores each question by its protest count. */
const RECORD_PROTEST = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], redis.call('HLEN', KEYS[1]), ARGV[3])
return 1
`, 2);

/**
 * The opening both question scripts share: room scores are absolute (ZADD, safe to repeat); what follows runs
 * only once per guard key. KEYS: guard, room scores, room names; ARGV: payload, room TTL, guard TTL, week TTL.
 */
const ROOM_SCORES_THEN_GUARD = `local p = cjson.decode(ARGV[1])
local roomTtl, guardTtl, weekTtl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for _, s in ipairs(p.scores) do
  redis.call('ZADD', KEYS[2], s[2], s[1])
  redis.call('HSET', KEYS[3], s[1], s[3])
end
if #p.scores > 0 then
  redis.call('PEXPIRE', KEYS[2], roomTtl)
  redis.call('PEXPIRE', KEYS[3], roomTtl)
end
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', guardTtl) then return 0 end
`;

/**
 * A protest decision's deltas to a recorded question, once (guard key like RECORD_QUESTION's).
 * KEYS: guard, room scores, room names, weekly, weekly names, then one stats hash per player.
 */
const CORRECT_QUESTION = new LuaScript(`
${ROOM_SCORES_THEN_GUARD}for i, pl in ipairs(p.players) do
  if pl.points ~= 0 then redis.call('ZINCRBY', KEYS[4], pl.points, pl.key) end
  redis.call('HSETNX', KEYS[5], pl.key, pl.name)
  local k = KEYS[5 + i]
  if pl.answered ~= 0 then redis.call('HINCRBY', k, p.domain .. ':answered', pl.answered) end
  if pl.correct ~= 0 then redis.call('HINCRBY', k, p.domain .. ':correct', pl.correct) end
  if pl.timeMs ~= 0 then redis.call('HINCRBY', k, p.domain .. ':timeMs', pl.timeMs) end
end
redis.call('PEXPIRE', KEYS[4], weekTtl)
redis.call('PEXPIRE', KEYS[5], weekTtl)
return 1
`, 'counted');

/** KEYS: seen set, index zset, reasons list. Adds the flag only if this person has not flagged it yet. */
const ADD_FLAG = new LuaScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZINCRBY', KEYS[2], 1, ARGV[2])
redis.call('LPUSH', KEYS[3], ARGV[3])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
return 1
`, 3);

/**
 * Records a closed question in one atomic step. Room scores are absolute (ZADD, safe to repeat);
 * the weekly points and stats increments run only if the outcome's guard key was not set yet.
 * KEYS: guard, room scores, room names, weekly, weekly names, then one stats hash per player.
 */
const RECORD_QUESTION = new LuaScript(`
${ROOM_SCORES_THEN_GUARD}for i, pl in ipairs(p.players) do
  if pl.points ~= 0 then redis.call('ZINCRBY', KEYS[4], pl.points, pl.key) end
  redis.call('HSET', KEYS[5], pl.key, pl.name)
  if pl.answered then
    local k = KEYS[5 + i]
    redis.call('HINCRBY', k, p.domain .. ':answered', 1)
    if pl.correct then redis.call('HINCRBY', k, p.domain .. ':correct', 1) end
    redis.call('HINCRBY', k, p.domain .. ':timeMs', pl.timeMs)
  end
end
redis.call('PEXPIRE', KEYS[4], weekTtl)
redis.call('PEXPIRE', KEYS[5], weekTtl)
return 1
`, 'counted');

/** Redis-backed store: sorted sets for leaderboards, hashes for stats, Lua where atomicity matters. */
export class RedisStore implements Store {
  readonly kind = 'redis';
  readonly persistent = true;

  private constructor(readonly redis: Redis) {}

  /** `onError` hears connection problems (ioredis keeps reconnecting on its own). */
  static async connect(url: string, onError: (err: Error) => void = () => {}): Promise<RedisStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
    redis.on('error', onError);
    await redis.connect();
    return new RedisStore(redis);
  }

  async recordQuestion(o: QuestionOutcome): Promise<boolean> {
    const payload = {
      domain: o.domain,
      scores: o.scores.map((s) => [s.playerId, s.score, s.name]),
      players: o.players.map((p) => ({ ...p, points: Math.trunc(p.points), timeMs: Math.round(p.timeMs) })),
    };
    const keyList = [
      keys.applied(o.id),
      keys.roomScores(o.roomCode),
      keys.roomNames(o.roomCode),
      keys.weekly(o.week, o.board),
      keys.weeklyNames(o.week, o.board),
      ...o.players.map((p) => keys.stats(p.key)),
    ];
    const applied = await RECORD_QUESTION.run(
      this.redis,
      keyList.length,
      ...keyList,
      JSON.stringify(payload),
      ROOM_RESULTS_TTL_MS,
      ROOM_RESULTS_TTL_MS,
      WEEKLY_TTL_MS,
    );
    return applied === 1;
  }

  async correctQuestion(c: QuestionCorrection): Promise<boolean> {
    const payload = {
      domain: c.domain,
      scores: c.scores.map((s) => [s.playerId, s.score, s.name]),
      players: c.players.map((p) => ({ ...p, points: Math.trunc(p.points), timeMs: Math.round(p.timeMs) })),
    };
    const keyList = [
      keys.applied(c.id),
      keys.roomScores(c.roomCode),
      keys.roomNames(c.roomCode),
      keys.weekly(c.week, c.board),
      keys.weeklyNames(c.week, c.board),
      ...c.players.map((p) => keys.stats(p.key)),
    ];
    const applied = await CORRECT_QUESTION.run(this.redis, keyList.length, ...keyList, JSON.stringify(payload), ROOM_RESULTS_TTL_MS, ROOM_RESULTS_TTL_MS, WEEKLY_TTL_MS);
    return applied === 1;
  }

  async setRoomScores(roomCode: string, scores: RoomScore[]): Promise<void> {
    if (scores.length === 0) return;
    await this.redis
      .multi()
      .zadd(keys.roomScores(roomCode), ...scores.flatMap((s) => [s.score, s.playerId]))
      .hset(keys.roomNames(roomCode), Object.fromEntries(scores.map((s) => [s.playerId, s.name])))
      .pexpire(keys.roomScores(roomCode), ROOM_RESULTS_TTL_MS)
      .pexpire(keys.roomNames(roomCode), ROOM_RESULTS_TTL_MS)
      .exec();
  }

  async removeRoomPlayer(roomCode: string, playerId: string): Promise<void> {
    await this.redis.multi().zrem(keys.roomScores(roomCode), playerId).hdel(keys.roomNames(roomCode), playerId).exec();
  }

  async roomSize(roomCode: string): Promise<number> {
    return this.redis.zcard(keys.roomScores(roomCode));
  }

  async roomTop(roomCode: string, limit: number, offset = 0): Promise<RoomScore[]> {
    const flat = await this.redis.zrevrange(keys.roomScores(roomCode), offset, offset + limit - 1, 'WITHSCORES');
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return [];
    const names = await this.redis.hmget(keys.roomNames(roomCode), ...ids);
    return ids.map((playerId, i) => ({ playerId, name: names[i] ?? playerId, score: Number(flat[2 * i + 1]) }));
  }

  async weeklyTop(week: string, limit: number, board: WeeklyBoard = 'quiz'): Promise<WeeklyEntry[]> {
    const flat = await this.redis.zrevrange(keys.weekly(week, board), 0, limit - 1, 'WITHSCORES');
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return [];
    const names = await this.redis.hmget(keys.weeklyNames(week, board), ...ids);
    const rows = ids.map((key, i) => ({ key, name: names[i] ?? key, points: Number(flat[2 * i + 1]) })).filter((r) => r.points !== 0);
    return rankWeekly(rows);
  }

  async playerStats(key: string): Promise<DomainStat[]> {
    const h = await this.redis.hgetall(keys.stats(key));
    const num = (d: DomainId, f: string) => Number(h[`${d}:${f}`] ?? 0);
    return DOMAIN_IDS.filter((d) => h[`${d}:answered`] !== undefined).map((domain) => ({
      domain,
      answered: num(domain, 'answered'),
      correct: num(domain, 'correct'),
      totalTimeMs: num(domain, 'timeMs'),
    }));
  }

  async addFlag(f: QuestionFlag): Promise<boolean> {
    const reason = JSON.stringify({ reason: f.reason, roomCode: f.roomCode, at: f.at.toISOString() });
    const added = await ADD_FLAG.run(
      this.redis,
      keys.flagSeen,
      keys.flagIndex,
      keys.flagReasons(f.questionId),
      `${f.roomCode}:${f.by}:${f.questionId}`,
      f.questionId,
      reason,
      FLAG_REASONS_KEPT,
    );
    return added === 1;
  }

  async recordProtest(p: ProtestEntry): Promise<void> {
    const { questionId, by, ...record } = p;
    await RECORD_PROTEST.run(this.redis, keys.protests(questionId), keys.protestIndex, `${p.roomCode}:${by}`, JSON.stringify(record), questionId);
  }

  /** Every flagged or protested question with its weight (flags + protests); bounded by the bank's size. */
  private async flagWeights(): Promise<Map<string, number>> {
    const [flagged, protested] = await Promise.all([this.redis.zrange(keys.flagIndex, 0, -1, 'WITHSCORES'), this.redis.zrange(keys.protestIndex, 0, -1, 'WITHSCORES')]);
    const weights = new Map<string, number>();
    for (const flat of [flagged, protested]) for (let i = 0; i < flat.length; i += 2) weights.set(flat[i]!, (weights.get(flat[i]!) ?? 0) + Number(flat[i + 1]));
    return weights;
  }

  async flagCount(): Promise<number> {
    return (await this.flagWeights()).size;
  }

  async listFlags(limit: number, offset = 0): Promise<FlagSummary[]> {
    const byteDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
    const ids = [...(await this.flagWeights()).entries()]
      .sort(([a, wa], [b, wb]) => wb - wa || byteDesc(a, b))
      .slice(offset, offset + limit)
      .map(([id]) => id);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.zscore(keys.flagIndex, id).lrange(keys.flagReasons(id), 0, -1).hvals(keys.protests(id));
    const replies = ((await pipeline.exec()) ?? []).map((r) => r[1]);
    return ids.map((questionId, i) => {
      const protests = ((replies[3 * i + 2] as string[] | undefined) ?? []).map((r) => JSON.parse(r) as FlagSummary['protests'][number]);
      protests.sort((a, b) => byteDesc(a.at, b.at));
      return {
        questionId,
        count: Number(replies[3 * i] ?? 0),
        reasons: ((replies[3 * i + 1] as string[] | undefined) ?? []).map((r) => JSON.parse(r) as FlagSummary['reasons'][number]),
        protests: protests.slice(0, PROTESTS_LISTED),
      };
    });
  }

  /** As Redis reports it: `aof_enabled` from INFO persistence, RDB from the `save` schedule (null where CONFIG is disabled). */
  async persistence(): Promise<Persistence> {
    const info = await this.redis.info('persistence');
    const aof = /^aof_enabled:(\d)/m.exec(info)?.[1];
    const save = await this.redis.config('GET', 'save').then((r) => (r as string[])[1] ?? null, () => null);
    return { aof: aof === undefined ? null : aof === '1', rdb: save === null ? null : save.trim() !== '' };
  }

  async ping(): Promise<boolean> {
    try {
      const pong = await Promise.race([this.redis.ping(), new Promise<never>((_, no) => setTimeout(() => no(new Error('timeout')), 1_000).unref())]);
      return pong === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
