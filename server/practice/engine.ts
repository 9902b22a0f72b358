import { DOMAIN_2025_IDS, type Domain2025Id, type OutlineDomainId } from '../../shared/curriculum.js';
import type { DomainId } from '../../shared/domains.js';
import type { AnswerOutcome } from '../../shared/protocol/practice-views.js';
import type { Rating } from '../rating/glicko2.js';
import { PRACTICE_RATING, rateAttempt } from '../rating/practice-rating.js';
import { isLearned, missed, reviewed, type ReviewCard } from './reviews.js';

/** Questions served to a player are remembered this far back and not served again inside it. */
export const RECENT_WINDOW = 40;
/** Rating trend points kept per player. */
export const HISTORY_KEPT = 200;

export interface DomainStats {
  answered: number;
  correct: number;
  totalTimeMs: number;
}

/** Everything practice knows about one player; stored as one record so updates are atomic. */
export interface PlayerPractice {
  overall: Rating;
  byDomain: Partial<Record<DomainId, Rating>>;
  /** Ratings in the 5-domain outline; absent in records from before it (they start fresh). */
  byDomain2025?: Partial<Record<Domain2025Id, Rating>>;
  /** Question ids with a first attempt: only those are ever rated. */
  attempted: string[];
  recent: string[];
  /** The question served and not answered yet. */
  pending: { questionId: string; servedAt: number } | null;
  reviews: Record<string, ReviewCard>;
  /** Room questions already fed to `reviews` (room instance + question id), so a replay adds nothing. */
  fedMisses?: string[];
  /** Room questions already counted in `stats` (outcome ids), so a replayed result counts once. */
  countedRoomAnswers?: string[];
  stats: Partial<Record<DomainId, DomainStats>>;
  /** Practice answers per 5-domain domain (room answers count in `stats` only). */
  stats2025?: Partial<Record<Domain2025Id, DomainStats>>;
  history: { at: number; rating: number }[];
  weekly: { week: string; points: number };
}

const is2025 = (d: OutlineDomainId): d is Domain2025Id => (DOMAIN_2025_IDS as readonly string[]).includes(d);

/** The player's own rating in a domain of either outline (the id sets do not overlap); none yet = undefined. */
export function domainRating(p: PlayerPractice, d: OutlineDomainId): Rating | undefined {
  return is2025(d) ? p.byDomain2025?.[d] : p.byDomain[d];
}

export function domainStats(p: PlayerPractice, d: OutlineDomainId): DomainStats | undefined {
  return is2025(d) ? p.stats2025?.[d] : p.stats[d];
}

export function newPlayerPractice(): PlayerPractice {
  return {
    overall: PRACTICE_RATING.initial,
    byDomain: {},
    byDomain2025: {},
    attempted: [],
    recent: [],
    pending: null,
    reviews: {},
    stats: {},
    stats2025: {},
    history: [],
    weekly: { week: '', points: 0 },
  };
}

export function serve(p: PlayerPractice, questionId: string, now: number): PlayerPractice {
  return { ...p, pending: { questionId, servedAt: now }, recent: [...p.recent.filter((id) => id !== questionId), questionId].slice(-RECENT_WINDOW) };
}

export type AnswerRefusal = 'NOT_SERVED' | 'ALREADY_ANSWERED';

export interface AnswerInput {
  questionId: string;
  domain: DomainId;
  domain2025: Domain2025Id;
  correct: boolean;
  /** The choices given (bank order), kept on the review card of a miss. */
  choices?: number[];
  now: number;
  week: string;
}

export type { AnswerOutcome };

/** Points toward the weekly leaderboard: rated answers only, more for harder questions. */
export const practicePoints = (correct: boolean, questionRating: number) => (correct ? Math.max(5, Math.round(10 + (questionRating - 1500) / 50)) : 0);

/**
 * One answer to the served question, pure: first attempts are a rated Glicko-2 game with the question
 * (overall and domain ratings, and the question's own rating); replays are never rated; a missed
 * first attempt enters the review queue, and review answers reschedule it until it has stuck.
 */
export function applyAnswer(
  p: PlayerPractice,
  question: Rating,
  input: AnswerInput,
): { ok: true; player: PlayerPractice; question: Rating; outcome: AnswerOutcome } | { ok: false; code: AnswerRefusal } {
  if (p.pending?.questionId !== input.questionId) {
    return { ok: false, code: p.attempted.includes(input.questionId) && !p.pending ? 'ALREADY_ANSWERED' : 'NOT_SERVED' };
  }
  const now = new Date(input.now);
  const elapsed = Math.max(0, input.now - p.pending.servedAt);
  const firstAttempt = !p.attempted.includes(input.questionId);
  let next: PlayerPractice = { ...p, pending: null };
  let questionAfter = question;
  let review: AnswerOutcome['review'] = null;
  let points = 0;

  if (firstAttempt) {
    const overall = rateAttempt(p.overall, question, input.correct);
    const domainBefore = p.byDomain[input.domain] ?? p.overall;
    const domain = rateAttempt(domainBefore, question, input.correct);
    // The same game rates the question's domain in each outline; only the overall result moves the question.
    const domain2025 = rateAttempt(p.byDomain2025?.[input.domain2025] ?? p.overall, question, input.correct);
    questionAfter = overall.question;
    points = practicePoints(input.correct, question.rating);
    const counted = (s: DomainStats | undefined): DomainStats => {
      const b = s ?? { answered: 0, correct: 0, totalTimeMs: 0 };
      return { answered: b.answered + 1, correct: b.correct + (input.correct ? 1 : 0), totalTimeMs: b.totalTimeMs + elapsed };
    };
    next = {
      ...next,
      overall: overall.player,
      byDomain: { ...p.byDomain, [input.domain]: domain.player },
      byDomain2025: { ...p.byDomain2025, [input.domain2025]: domain2025.player },
      attempted: [...p.attempted, input.questionId],
      stats: { ...p.stats, [input.domain]: counted(p.stats[input.domain]) },
      stats2025: { ...p.stats2025, [input.domain2025]: counted(p.stats2025?.[input.domain2025]) },
      history: [...p.history, { at: input.now, rating: Math.round(overall.player.rating) }].slice(-HISTORY_KEPT),
      weekly: { week: input.week, points: (p.weekly.week === input.week ? p.weekly.points : 0) + points },
    };
  }
  // A card may exist before the first practice attempt (a question missed in a room): then that attempt reviews it too.
  if (p.reviews[input.questionId]) {
    const card = reviewed(p.reviews[input.questionId]!, input.correct, now, input.choices);
    const { [input.questionId]: _done, ...rest } = p.reviews;
    next.reviews = isLearned(card) ? rest : { ...p.reviews, [input.questionId]: card };
    review = isLearned(card) ? 'learned' : 'rescheduled';
  } else if (firstAttempt && !input.correct) {
    next.reviews = { ...p.reviews, [input.questionId]: missed(input.questionId, now, input.choices) };
    review = 'added';
  }
  return {
    ok: true,
    player: next,
    question: questionAfter,
    outcome: {
      rated: firstAttempt,
      review,
      ratingBefore: Math.round(p.overall.rating),
      ratingAfter: Math.round(next.overall.rating),
      domainRatingAfter: Math.round((next.byDomain[input.domain] ?? next.overall).rating),
      domain2025RatingAfter: Math.round((next.byDomain2025?.[input.domain2025] ?? next.overall).rating),
      points,
    },
  };
}

/** A room answer by a profiled player: it counts in the per-domain stats of both outlines, but is not a rated game. */
/** Recent room outcome ids kept per profile: far more than a room can replay after a takeover. */
const COUNTED_ROOM_ANSWERS_KEPT = 500;

/** Counts a room answer once per outcome id; null when it was counted already. */
export function addRoomAnswerOnce(p: PlayerPractice, outcomeId: string, domain: DomainId, correct: boolean, timeMs: number, domain2025?: Domain2025Id): PlayerPractice | null {
  if (p.countedRoomAnswers?.includes(outcomeId)) return null;
  const next = addRoomAnswer(p, domain, correct, timeMs, domain2025);
  return { ...next, countedRoomAnswers: [...(p.countedRoomAnswers ?? []), outcomeId].slice(-COUNTED_ROOM_ANSWERS_KEPT) };
}

export function addRoomAnswer(p: PlayerPractice, domain: DomainId, correct: boolean, timeMs: number, domain2025?: Domain2025Id): PlayerPractice {
  const add = (s: DomainStats | undefined): DomainStats => {
    const b = s ?? { answered: 0, correct: 0, totalTimeMs: 0 };
    return { answered: b.answered + 1, correct: b.correct + (correct ? 1 : 0), totalTimeMs: b.totalTimeMs + timeMs };
  };
  const next = { ...p, stats: { ...p.stats, [domain]: add(p.stats[domain]) } };
  return domain2025 ? { ...next, stats2025: { ...p.stats2025, [domain2025]: add(p.stats2025?.[domain2025]) } } : next;
}

/** Review cards due now, the longest overdue first. */
export function dueReviews(p: PlayerPractice, now: number): string[] {
  return Object.values(p.reviews)
    .filter((c) => new Date(c.due).getTime() <= now)
    .sort((a, b) => a.due.localeCompare(b.due))
    .map((c) => c.questionId);
}
