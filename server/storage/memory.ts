import { systemClock, type Clock } from '../clock.js';
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
  type Store,
  type WeeklyBoard,
  type WeeklyEntry,
  type Persistence,
} from './types.js';

/** Ties sort like Redis ZREVRANGE: members in descending byte order. */
const byteDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Entries that lapse like the Redis keys they stand for, so a long-running process does not grow. */
class Expiring<K, V> {
  private entries = new Map<K, { value: V; expiresAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    return e && e.expiresAt > this.now() ? e.value : undefined;
  }

  /** Stores (or refreshes) the entry; expired entries are swept at most once a minute. */
  set(key: K, value: V): void {
    const now = this.now();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}

/** The embedded default: everything in this process, gone on restart. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly persistent = false;
  private readonly applied: Expiring<string, true>;
  private readonly rooms: Expiring<string, Map<string, RoomScore>>;
  /** By board and week ("quiz:2026-W47"), then by player key. */
  private readonly weekly: Expiring<string, Map<string, { name: string; points: number }>>;
  private stats = new Map<string, Map<DomainId, DomainStat>>();
  private flagSeen = new Set<string>();
  private flags = new Map<string, FlagSummary>();
  /** By question id, then `<room>:<player>`. */
  private protests = new Map<string, Map<string, ProtestEntry>>();

  /** `clock`: when entries lapse (injected, so tests can move time by hand). */
  constructor(clock: Pick<Clock, 'now'> = systemClock) {
    const now = () => clock.now();
    this.applied = new Expiring(ROOM_RESULTS_TTL_MS, now);
    this.rooms = new Expiring(ROOM_RESULTS_TTL_MS, now);
    this.weekly = new Expiring(WEEKLY_TTL_MS, now);
  }

  async recordQuestion(o: QuestionOutcome): Promise<boolean> {
    await this.setRoomScores(o.roomCode, o.scores);
    if (this.applied.get(o.id)) return false;
    this.applied.set(o.id, true);
    const week = this.weekly.get(`${o.board}:${o.week}`) ?? new Map<string, { name: string; points: number }>();
    this.weekly.set(`${o.board}:${o.week}`, week);
    for (const p of o.players) {
      const w = week.get(p.key) ?? { name: p.name, points: 0 };
      week.set(p.key, { name: p.name, points: w.points + p.points });
      if (!p.answered) continue;
      const byDomain = this.stats.get(p.key) ?? new Map<DomainId, DomainStat>();
      this.stats.set(p.key, byDomain);
      const s = byDomain.get(o.domain) ?? { domain: o.domain, answered: 0, correct: 0, totalTimeMs: 0 };
      byDomain.set(o.domain, { ...s, answered: s.answered + 1, correct: s.correct + (p.correct ? 1 : 0), totalTimeMs: s.totalTimeMs + p.timeMs });
    }
    return true;
  }

  async correctQuestion(c: QuestionCorrection): Promise<boolean> {
    await this.setRoomScores(c.roomCode, c.scores);
    if (this.applied.get(c.id)) return false;
    this.applied.set(c.id, true);
    const week = this.weekly.get(`${c.board}:${c.week}`) ?? new Map<string, { name: string; points: number }>();
    this.weekly.set(`${c.board}:${c.week}`, week);
    for (const p of c.players) {
      const w = week.get(p.key) ?? { name: p.name, points: 0 };
      week.set(p.key, { name: w.name, points: w.points + p.points });
      if (p.answered === 0 && p.correct === 0 && p.timeMs === 0) continue;
      const byDomain = this.stats.get(p.key) ?? new Map<DomainId, DomainStat>();
      this.stats.set(p.key, byDomain);
      const s = byDomain.get(c.domain) ?? { domain: c.domain, answered: 0, correct: 0, totalTimeMs: 0 };
      byDomain.set(c.domain, { ...s, answered: s.answered + p.answered, correct: s.correct + p.correct, totalTimeMs: s.totalTimeMs + p.timeMs });
    }
    return true;
  }

  async setRoomScores(roomCode: string, scores: RoomScore[]): Promise<void> {
    const room = this.rooms.get(roomCode) ?? new Map<string, RoomScore>();
    for (const s of scores) room.set(s.playerId, { ...s });
    this.rooms.set(roomCode, room);
  }

  async removeRoomPlayer(roomCode: string, playerId: string): Promise<void> {
    this.rooms.get(roomCode)?.delete(playerId);
  }

  async roomTop(roomCode: string, limit: number, offset = 0): Promise<RoomScore[]> {
    return [...(this.rooms.get(roomCode)?.values() ?? [])].sort((a, b) => b.score - a.score || byteDesc(a.playerId, b.playerId)).slice(offset, offset + limit);
  }

  async roomSize(roomCode: string): Promise<number> {
    return this.rooms.get(roomCode)?.size ?? 0;
  }

  async weeklyTop(week: string, limit: number, board: WeeklyBoard = 'quiz'): Promise<WeeklyEntry[]> {
    const rows = [...(this.weekly.get(`${board}:${week}`) ?? new Map()).entries()]
      .map(([key, v]) => ({ key, name: v.name, points: v.points }))
      .filter((r) => r.points !== 0)
      .sort((a, b) => b.points - a.points || byteDesc(a.key, b.key));
    return rankWeekly(rows.slice(0, limit));
  }

  async playerStats(key: string): Promise<DomainStat[]> {
    const byDomain = this.stats.get(key);
    return DOMAIN_IDS.filter((d) => byDomain?.has(d)).map((d) => ({ ...byDomain!.get(d)! }));
  }

  async addFlag(f: QuestionFlag): Promise<boolean> {
    const seen = `${f.roomCode}:${f.by}:${f.questionId}`;
    if (this.flagSeen.has(seen)) return false;
    this.flagSeen.add(seen);
    const summary = this.flags.get(f.questionId) ?? { questionId: f.questionId, count: 0, reasons: [], protests: [] };
    summary.count++;
    summary.reasons = [{ reason: f.reason, roomCode: f.roomCode, at: f.at.toISOString() }, ...summary.reasons].slice(0, FLAG_REASONS_KEPT);
    this.flags.set(f.questionId, summary);
    return true;
  }

  async recordProtest(p: ProtestEntry): Promise<void> {
    const byQuestion = this.protests.get(p.questionId) ?? new Map<string, ProtestEntry>();
    byQuestion.set(`${p.roomCode}:${p.by}`, { ...p });
    this.protests.set(p.questionId, byQuestion);
  }

  async flagCount(): Promise<number> {
    return new Set([...this.flags.keys(), ...this.protests.keys()]).size;
  }

  async listFlags(limit: number, offset = 0): Promise<FlagSummary[]> {
    const ids = new Set([...this.flags.keys(), ...this.protests.keys()]);
    return [...ids]
      .map((questionId) => {
        const f = this.flags.get(questionId);
        const protests = [...(this.protests.get(questionId)?.values() ?? [])]
          .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
          .slice(0, PROTESTS_LISTED)
          .map(({ roomCode, reason, at, decision, decidedAt }) => ({ roomCode, reason, at, decision, decidedAt }));
        return { questionId, count: f?.count ?? 0, reasons: [...(f?.reasons ?? [])], protests, weight: (f?.count ?? 0) + (this.protests.get(questionId)?.size ?? 0) };
      })
      .sort((a, b) => b.weight - a.weight || byteDesc(a.questionId, b.questionId))
      .slice(offset, offset + limit)
      .map(({ weight: _, ...f }) => f);
  }

  async persistence(): Promise<Persistence> {
    return { aof: false, rdb: false };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
