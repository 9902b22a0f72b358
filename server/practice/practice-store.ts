import type { Redis } from 'ioredis';
import type { OutlineDomainId } from '../../shared/curriculum.js';
import type { Rating } from '../rating/glicko2.js';
import { domainRating, newPlayerPractice, type PlayerPractice } from './engine.js';

/** What an update computes from the current records; `abort` leaves everything as it was. */
export type PracticeUpdate<T> = { player: PlayerPractice; question?: Rating; result: T } | { abort: T };

export interface RatingEntry {
  profileId: string;
  rating: number;
}

/**
 * Practice records behind one narrow interface. `update` is the only writer: it runs the given pure
 * function on the player's record and one question's rating as a single atomic step, so two answers
 * from the same player that race can never both count.
 */
export interface PracticeStore {
  load(profileId: string): Promise<PlayerPractice>;
  questionRatings(ids: readonly string[], fallback: (id: string) => Rating): Promise<Map<string, Rating>>;
  update<T>(profileId: string, questionId: string | null, fallback: Rating | null, fn: (p: PlayerPractice, q: Rating | null) => PracticeUpdate<T>): Promise<T>;
  /** Ratings leaderboard: overall, or one domain of either outline. */
  ratingTop(board: 'overall' | OutlineDomainId, limit: number): Promise<RatingEntry[]>;
  close(): void;
}

export class MemoryPracticeStore implements PracticeStore {
  private players = new Map<string, PlayerPractice>();
  private questions = new Map<string, Rating>();

  async load(profileId: string): Promise<PlayerPractice> {
    return this.players.get(profileId) ?? newPlayerPractice();
  }

  async questionRatings(ids: readonly string[], fallback: (id: string) => Rating): Promise<Map<string, Rating>> {
    return new Map(ids.map((id) => [id, this.questions.get(id) ?? fallback(id)]));
  }

  async update<T>(profileId: string, questionId: string | null, fallback: Rating | null, fn: (p: PlayerPractice, q: Rating | null) => PracticeUpdate<T>): Promise<T> {
    // Synchronous from read to write: nothing can interleave in this process.
    const q = questionId ? (this.questions.get(questionId) ?? fallback) : null;
    const out = fn(this.players.get(profileId) ?? newPlayerPractice(), q);
    if ('abort' in out) return out.abort;
    this.players.set(profileId, out.player);
    if (questionId && out.question) this.questions.set(questionId, out.question);
    return out.result;
  }

  async ratingTop(board: 'overall' | OutlineDomainId, limit: number): Promise<RatingEntry[]> {
    return [...this.players]
      .map(([profileId, p]) => ({ profileId, r: board === 'overall' ? p.overall : domainRating(p, board) }))
      .filter((x): x is { profileId: string; r: Rating } => x.r !== undefined && (board !== 'overall' || x.r !== newPlayerPractice().overall))
      .map((x) => ({ profileId: x.profileId, rating: Math.round(x.r.rating) }))
      .sort((a, b) => b.rating - a.rating || (a.profileId < b.profileId ? 1 : -1))
      .slice(0, limit);
  }

  close(): void {}
}

const key = {
  player: (id: string) => `cca:practice:${id}`,
  question: (id: string) => `cca:qrating:${id}`,
  board: (board: string) => `cca:lb:rating:${board}`,
};

/**
 * Optimistic transactions: WATCH both records, compute, MULTI/EXEC, retry when another writer won.
 * WATCH belongs to a connection, so each update borrows one from a small pool of its own.
 */
export class RedisPracticeStore implements PracticeStore {
  private idle: Redis[] = [];
  private open = 0;
  private waiting: ((conn: Redis) => void)[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly maxRetries = 20,
    private readonly poolSize = 8,
  ) {}

  private async acquire(): Promise<Redis> {
    const conn = this.idle.pop();
    if (conn) return conn;
    if (this.open < this.poolSize) {
      this.open++;
      return this.redis.duplicate();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: Redis): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  /** Closes the pooled connections (the shared one belongs to the caller). */
  close(): void {
    for (const conn of this.idle) conn.disconnect();
    this.idle = [];
    this.open = 0;
  }

  async load(profileId: string): Promise<PlayerPractice> {
    const raw = await this.redis.get(key.player(profileId));
    return raw ? (JSON.parse(raw) as PlayerPractice) : newPlayerPractice();
  }

  async questionRatings(ids: readonly string[], fallback: (id: string) => Rating): Promise<Map<string, Rating>> {
    if (ids.length === 0) return new Map();
    const raws = await this.redis.mget(...ids.map(key.question));
    return new Map(ids.map((id, i) => [id, raws[i] ? (JSON.parse(raws[i]!) as Rating) : fallback(id)]));
  }

  async update<T>(profileId: string, questionId: string | null, fallback: Rating | null, fn: (p: PlayerPractice, q: Rating | null) => PracticeUpdate<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      for (let attempt = 0; attempt < this.maxRetries; attempt++) {
        const keys = [key.player(profileId), ...(questionId ? [key.question(questionId)] : [])];
        await conn.watch(...keys);
        const [rawPlayer, rawQuestion] = await conn.mget(...keys);
        const player = rawPlayer ? (JSON.parse(rawPlayer) as PlayerPractice) : newPlayerPractice();
        const question = questionId ? (rawQuestion ? (JSON.parse(rawQuestion) as Rating) : fallback) : null;
        const out = fn(player, question);
        if ('abort' in out) {
          await conn.unwatch();
          return out.abort;
        }
        const tx = conn.multi().set(key.player(profileId), JSON.stringify(out.player));
        if (questionId && out.question) tx.set(key.question(questionId), JSON.stringify(out.question));
        // Only rated players rank (room answers and review feeding leave the rating as it was).
        if (out.player.attempted.length > 0) tx.zadd(key.board('overall'), Math.round(out.player.overall.rating), profileId);
        // Both outlines' domain boards; their ids do not overlap.
        for (const [domain, r] of [...Object.entries(out.player.byDomain), ...Object.entries(out.player.byDomain2025 ?? {})]) {
          tx.zadd(key.board(domain), Math.round(r.rating), profileId);
        }
        if (await tx.exec()) return out.result;
      }
      throw new Error(`practice update for ${profileId} kept conflicting`);
    } catch (err) {
      await conn.unwatch().catch(() => undefined);
      throw err;
    } finally {
      this.release(conn);
    }
  }

  async ratingTop(board: 'overall' | OutlineDomainId, limit: number): Promise<RatingEntry[]> {
    const flat = await this.redis.zrevrange(key.board(board), 0, limit - 1, 'WITHSCORES');
    const out: RatingEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ profileId: flat[i]!, rating: Number(flat[i + 1]) });
    return out;
  }
}
