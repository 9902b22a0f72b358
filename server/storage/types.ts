import type { DomainId } from '../../shared/domains.js';
import type { FlagSummary } from '../../shared/protocol/export.js';
import type { ProtestRecord } from '../../shared/protocol/protests.js';
import type { WeeklyBoard, WeeklyEntry } from '../../shared/protocol/leaderboards.js';

/** One player's share of a closed question, for the weekly board and per-domain stats. */
export interface PlayerOutcome {
  /**
   * Who this is, never a nickname: `profile:<id>` for a player who joined with a practice profile
   * (the same person across rooms), else `seat:<playerId>` (that seat in that room).
   */
  key: string;
  /** The display name at the time: a board shows each person's latest one. */
  name: string;
  points: number;
  answered: boolean;
  correct: boolean;
  timeMs: number;
}

export interface QuestionOutcome {
  /** Unique per question close (room code, room start, question index): recorded at most once. */
  id: string;
  roomCode: string;
  /** ISO week, e.g. 2026-W47 (UTC). */
  week: string;
  /** Quiz games (Classic, Buzz-in, Study) and mock exams (1 point per question) rank on separate boards. */
  board: WeeklyBoard;
  domain: DomainId;
  /** Absolute room scores after this question. */
  scores: RoomScore[];
  players: PlayerOutcome[];
}

/** A protest decision's change to a recorded question: deltas per player, applied at most once. */
export interface QuestionCorrection {
  /** Unique per decision (the question outcome's id and the protest's). */
  id: string;
  roomCode: string;
  /** The week the question was recorded in. */
  week: string;
  board: WeeklyBoard;
  domain: DomainId;
  /** Absolute room scores after the decision. */
  scores: RoomScore[];
  players: { key: string; name: string; points: number; answered: -1 | 0; correct: -1 | 0 | 1; timeMs: number }[];
}

export interface RoomScore {
  playerId: string;
  name: string;
  score: number;
}

export { WEEKLY_BOARDS, type WeeklyBoard, type WeeklyEntry } from '../../shared/protocol/leaderboards.js';

export interface DomainStat {
  domain: DomainId;
  answered: number;
  correct: number;
  totalTimeMs: number;
}

/** Writes from room play. recordQuestion is atomic and idempotent: a retry never counts twice. */
export interface ScoreStore {
  recordQuestion(outcome: QuestionOutcome): Promise<boolean>;
  /** Atomic and idempotent like recordQuestion: false when this correction was applied already. */
  correctQuestion(correction: QuestionCorrection): Promise<boolean>;
  setRoomScores(roomCode: string, scores: RoomScore[]): Promise<void>;
  removeRoomPlayer(roomCode: string, playerId: string): Promise<void>;
}

export interface LeaderboardReader {
  /** Highest first, from `offset` (0 = the top). */
  roomTop(roomCode: string, limit: number, offset?: number): Promise<RoomScore[]>;
  /** Players on the room's board. */
  roomSize(roomCode: string): Promise<number>;
  weeklyTop(week: string, limit: number, board?: WeeklyBoard): Promise<WeeklyEntry[]>;
}

export interface StatsReader {
  playerStats(key: string): Promise<DomainStat[]>;
}

export interface QuestionFlag {
  questionId: string;
  reason: string;
  roomCode: string;
  /** Who flagged (room player id or "host"): one flag per question per person per room. */
  by: string;
  at: Date;
}

/** Players' reports of wrong or unclear questions, so the bank improves from play. */
export interface FlagStore {
  /** False when this person already flagged this question in this room. */
  addFlag(flag: QuestionFlag): Promise<boolean>;
  /** Questions with flags or protests, most reported first, each with both. */
  listFlags(limit: number, offset?: number): Promise<FlagSummary[]>;
  /** Questions with flags or protests. */
  flagCount(): Promise<number>;
  /** Files a protest or its decision: one entry per question, room and player, the latest state wins. */
  recordProtest(protest: ProtestEntry): Promise<void>;
}

export interface ProtestEntry extends ProtestRecord {
  questionId: string;
  /** Room player id. */
  by: string;
}

/** Newest protests kept in a question's listing. */
export const PROTESTS_LISTED = 50;

export interface Persistence {
  aof: boolean | null;
  rdb: boolean | null;
}

export interface Store extends ScoreStore, LeaderboardReader, StatsReader, FlagStore {
  readonly kind: 'memory' | 'redis';
  /** Durable across a server restart (Redis) or not (memory). */
  readonly persistent: boolean;
  /** What the backing server says about durability (append-only file, RDB snapshots); null where it does not say. */
  persistence(): Promise<Persistence>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Room leaderboards and results outlive the room by a day, so a podium can still be fetched. */
export const ROOM_RESULTS_TTL_MS = 24 * 3600_000;
/** Flags keep the newest reasons per question. */
export const FLAG_REASONS_KEPT = 50;

/** Weekly boards are kept for five weeks. */
export const WEEKLY_TTL_MS = 35 * 24 * 3600_000;

/** ISO 8601 week of a date in UTC, e.g. "2026-W47". */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function rankWeekly(rows: { key: string; name: string; points: number }[]): WeeklyEntry[] {
  let rank = 0;
  let previous: number | null = null;
  return rows.map((r, i) => {
    if (r.points !== previous) rank = i + 1;
    previous = r.points;
    return { rank, ...r };
  });
}
