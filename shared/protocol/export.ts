import type { DomainId } from '../domains.js';
import type { QuestionType } from '../question.js';
import type { GameMode } from '../settings.js';
import type { ProtestDecision, ProtestRecord } from './protests.js';
import type { OutlineDomainId, OutlineId } from '../curriculum.js';
import type { DomainAccuracy, ReportRow } from './views.js';

/** Everything a study group keeps after a game: per player, per question, per domain. */
export interface GameExport {
  code: string;
  mode: GameMode;
  exportedAt: string;
  players: { id: string; name: string; team: string | null; score: number; rank: number }[];
  questions: {
    index: number;
    id: string;
    domain: DomainId;
    topic: string;
    type: QuestionType;
    prompt: string;
    choices: string[];
    correct: number[];
    distribution: number[];
    explanation: string;
    sourceUrl: string;
    /** Voided after a protest: it counts for nobody (absent from older servers). */
    voided?: boolean;
    /** Its domain in the room's outline (absent from older servers). */
    outlineDomain?: OutlineDomainId;
  }[];
  answers: {
    questionIndex: number;
    questionId: string;
    playerId: string;
    name: string;
    choices: number[] | null;
    correct: boolean;
    points: number;
    elapsedMs: number | null;
  }[];
  /** Domains of `outline`, the room's chosen outline (absent from older servers). */
  domains: DomainAccuracy[];
  outline?: OutlineId;
  /** The player × question grid: one row per player (join order), marks in `questions` order. */
  grid?: ReportRow[];
  /** Every protest and the host's decision (null while open); absent from older servers. */
  protests?: {
    questionIndex: number;
    questionId: string;
    playerId: string;
    name: string;
    reason: string;
    at: string;
    decision: ProtestDecision | null;
    decidedAt: string | null;
  }[];
}

export interface FlagSummary {
  questionId: string;
  count: number;
  /** Newest first. */
  reasons: { reason: string; roomCode: string; at: string }[];
  /** Protests of answers to it in rooms, with the host's decision; newest first. */
  protests: ProtestRecord[];
}
