import type { DomainId } from '../domains.js';
import type { QuestionType } from '../question.js';
import type { GameMode, RoomSettings } from '../settings.js';

export type Role = 'host' | 'player' | 'spectator';
export type Phase = 'lobby' | 'question' | 'reveal' | 'leaderboard' | 'finished';

export interface PlayerSummary {
  id: string;
  name: string;
  team: string | null;
  score: number;
  rank: number;
  connected: boolean;
}

export interface TeamSummary {
  name: string;
  /** Average of its members' scores, rounded. */
  score: number;
  members: number;
  rank: number;
}

export interface BuzzView {
  holder: string | null;
  holderDeadline: number | null;
  adjudicating: boolean;
  lockedOut: string[];
}

/** An open question as clients see it: never the answer or anything derived from it. */
export interface QuestionView {
  index: number;
  total: number;
  id: string;
  domain: DomainId;
  topic: string;
  difficulty: 1 | 2 | 3;
  type: QuestionType;
  /** The revealed part of the prompt (Buzz-in reveals word by word); the whole prompt otherwise. */
  prompt: string;
  promptComplete: boolean;
  /** Null while hidden (Buzz-in reading, unless you hold the floor). */
  choices: string[] | null;
  /** Server time when the answer window ends; null while reading or when there is no timer. */
  deadline: number | null;
  /** Time left at serverTime (frozen while paused or while a buzzer holds the floor). */
  remainingMs: number | null;
  timeLimitMs: number | null;
  answeredCount: number;
  eligibleCount: number;
  buzz: BuzzView | null;
}

export interface PlayerResult {
  playerId: string;
  choices: number[] | null;
  correct: boolean;
  points: number;
  elapsedMs: number | null;
}

export interface RevealView {
  questionId: string;
  correct: number[];
  /** How many players picked each choice. */
  distribution: number[];
  answeredCount: number;
  correctCount: number;
  explanation: string;
  sourceUrl: string;
  /** Per player, host view only. */
  results: PlayerResult[] | null;
}

export interface DomainAccuracy {
  domain: DomainId;
  answered: number;
  correct: number;
  /** correct / answered, 0-1; null when nothing was answered. */
  accuracy: number | null;
}

export interface MissedQuestion {
  questionId: string;
  domain: DomainId;
  prompt: string;
  correctRate: number;
  answered: number;
}

export interface FinalView {
  podium: PlayerSummary[];
  teams: TeamSummary[];
  domainAccuracy: DomainAccuracy[];
  mostMissed: MissedQuestion[];
}

export interface MeView {
  playerId: string;
  name: string;
  team: string | null;
  score: number;
  rank: number;
  streak: number;
  /** Your answer to the open question (what you sent, not whether it is right). */
  myChoices: number[] | null;
  lockedOut: boolean;
  holdsFloor: boolean;
  /** Your result for the last revealed question; present from its reveal on. */
  lastResult: PlayerResult | null;
}

export interface RoomView {
  protocol: number;
  code: string;
  role: Role;
  mode: GameMode;
  phase: Phase;
  paused: boolean;
  locked: boolean;
  settings: RoomSettings;
  serverTime: number;
  playerCount: number;
  /** Everyone for the host; the top of the leaderboard for others (big rooms stay small on the wire). */
  leaderboard: PlayerSummary[];
  teams: TeamSummary[];
  question: QuestionView | null;
  reveal: RevealView | null;
  final: FinalView | null;
  me: MeView | null;
}
