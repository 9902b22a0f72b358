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
  /** Rating deviation: the rating is likely within about twice this either way. */
  deviation: number;
  provisional: boolean;
  /** Rated answers (first practice attempts) in this domain: readiness needs a minimum in each. */
  rated: number;
}

/** A question in the review queue, with what the learner answered and the solution. */
export interface MissedQuestion {
  questionId: string;
  /** The question's domain in the report's outline. */
  domain: OutlineDomainId;
  prompt: string;
  type: PublicQuestion['type'];
  choices: string[];
  correctChoices: number[];
  /** The learner's choices at the last miss; null = left unanswered (or not recorded, see `answerRecorded`). */
  yourAnswer: number[] | null;
  /** False for misses recorded before answers were kept. */
  answerRecorded: boolean;
  explanation: string;
  sourceUrl: string;
  due: string;
}

export interface Readiness {
  /** Null until every domain of the outline has `minRatedPerDomain` rated answers. */
  percent: number | null;
  provisional: boolean;
  /** One sentence: what the estimate is based on. */
  method: string;
  minRatedPerDomain: number;
  /** Domains that have the minimum, of `domainsTotal`. */
  domainsReady: number;
  domainsTotal: number;
}

export interface PracticeStats {
  /** The outline the domain reports and readiness follow. */
  outline: OutlineId;
  rating: number;
  deviation: number;
  provisional: boolean;
  trend: { at: number; rating: number }[];
  /** Weakest first. */
  domains: DomainReport[];
  /** Provisional until every domain has its own, settled rating. */
  readiness: Readiness;
  dueReviews: number;
  missed: MissedQuestion[];
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
