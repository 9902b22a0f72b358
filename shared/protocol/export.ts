import type { DomainId } from '../domains.js';
import type { QuestionType } from '../question.js';
import type { GameMode } from '../settings.js';
import type { DomainAccuracy } from './views.js';

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
  domains: DomainAccuracy[];
}

export interface FlagSummary {
  questionId: string;
  count: number;
  /** Newest first. */
  reasons: { reason: string; roomCode: string; at: string }[];
}
