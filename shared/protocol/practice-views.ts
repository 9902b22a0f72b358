import type { DomainId } from '../domains.js';
import type { PublicQuestion } from '../question.js';

/** Response shapes of the practice and exam API, shared by the server and the client (plain types, no zod). */

export interface AnswerOutcome {
  rated: boolean;
  review: 'added' | 'rescheduled' | 'learned' | null;
  ratingBefore: number;
  ratingAfter: number;
  domainRatingAfter: number;
  points: number;
}

export interface AnswerFeedback {
  correct: boolean;
  correctChoices: number[];
  explanation: string;
  sourceUrl: string;
  outcome: AnswerOutcome;
}

export interface DomainReport {
  domain: DomainId;
  answered: number;
  accuracy: number | null;
  averageMs: number | null;
  rating: number;
  provisional: boolean;
}

export interface PracticeStats {
  rating: number;
  provisional: boolean;
  trend: { at: number; rating: number }[];
  /** Weakest first. */
  domains: DomainReport[];
  /** Provisional until every domain has its own, settled rating. */
  readiness: { percent: number; provisional: boolean; method: string };
  dueReviews: number;
  missed: { questionId: string; domain: DomainId; prompt: string; explanation: string; sourceUrl: string; due: string }[];
}

export interface ExamResult {
  correct: number;
  total: number;
  percent: number;
  passMark: number;
  passed: boolean;
  timedOut: boolean;
  byDomain: { domain: DomainId; correct: number; total: number }[];
  questions: { id: string; domain: DomainId; prompt: string; choices: string[]; yourAnswer: number[] | null; correctChoices: number[]; correct: boolean; flagged: boolean; explanation: string; sourceUrl: string }[];
}

/** What the exam page gets: no solutions until the exam is submitted. */
export interface ExamView {
  id: string;
  status: 'open' | 'submitted';
  deadline: number;
  serverTime: number;
  passMark: number;
  passMarkOfficial: false;
  questions: PublicQuestion[];
  answers: (number[] | null)[];
  flags: boolean[];
  result: ExamResult | null;
}

export interface ExamSummary {
  id: string;
  createdAt: number;
  status: 'open' | 'submitted';
  total: number;
  percent: number | null;
  passed: boolean | null;
  /** Taken as a room mock exam (with a practice profile), not alone. */
  roomCode: string | null;
}
