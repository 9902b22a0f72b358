import type { OutlineDomainId, OutlineId } from '../curriculum.js';
import type { PublicQuestion } from '../question.js';

/** Response shapes of the practice and exam API, shared by the server and the client (plain types, no zod). */

export interface AnswerOutcome {
  rated: boolean;
  review: 'added' | 'rescheduled' | 'learned' | null;
  ratingBefore: number;
  ratingAfter: number;
  domainRatingAfter: number;
  /** The rating of the question's domain in the 5-domain outline. */
  domain2025RatingAfter: number;
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
  /** A domain of the outline the report was asked for. */
  domain: OutlineDomainId;
  answered: number;
  accuracy: number | null;
  averageMs: number | null;
  rating: number;
  provisional: boolean;
}

export interface PracticeStats {
  /** The outline the domain reports and readiness follow. */
  outline: OutlineId;
  rating: number;
  provisional: boolean;
  trend: { at: number; rating: number }[];
  /** Weakest first. */
  domains: DomainReport[];
  /** Provisional until every domain has its own, settled rating. */
  readiness: { percent: number; provisional: boolean; method: string };
  dueReviews: number;
  /** `domain` is the question's domain in the report's outline. */
  missed: { questionId: string; domain: OutlineDomainId; prompt: string; explanation: string; sourceUrl: string; due: string }[];
}

export interface ExamResult {
  correct: number;
  total: number;
  percent: number;
  passMark: number;
  passed: boolean;
  timedOut: boolean;
  /** The outline `byDomain` follows (older stored exams: cca-2024). */
  outline: OutlineId;
  byDomain: { domain: OutlineDomainId; correct: number; total: number }[];
  /** `domain` in the result's outline. */
  questions: { id: string; domain: OutlineDomainId; prompt: string; choices: string[]; yourAnswer: number[] | null; correctChoices: number[]; correct: boolean; flagged: boolean; explanation: string; sourceUrl: string }[];
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
