import { Rating, State, createEmptyCard, fsrs, type Card } from 'ts-fsrs';

/**
 * The spaced-repetition queue for missed questions, on ts-fsrs (FSRS, the scheduler Anki ships).
 * A missed first attempt enters the queue; each review answer reschedules it; a question leaves
 * the queue once FSRS spaces it out to three weeks: it has stuck.
 */
export const LEARNED_AFTER_DAYS = 21;
const scheduler = fsrs({ enable_fuzz: false });

/** A card as stored (JSON-safe: dates as ISO strings). */
export interface ReviewCard {
  questionId: string;
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: State;
  lastReview: string | null;
  /**
   * The learner's choices (bank order) at the last miss; null = left unanswered; absent = a card
   * from before answers were kept.
   */
  answer?: number[] | null;
}

function toStored(questionId: string, c: Card): ReviewCard {
  return {
    questionId,
    due: c.due.toISOString(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    lastReview: c.last_review ? c.last_review.toISOString() : null,
  };
}

function fromStored(r: ReviewCard): Card {
  return {
    due: new Date(r.due),
    stability: r.stability,
    difficulty: r.difficulty,
    elapsed_days: r.elapsedDays,
    scheduled_days: r.scheduledDays,
    learning_steps: r.learningSteps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    ...(r.lastReview ? { last_review: new Date(r.lastReview) } : {}),
  };
}

/** A first attempt was wrong: the question enters the queue, due again soon (with the answer given, when known). */
export function missed(questionId: string, now: Date, answer?: number[] | null): ReviewCard {
  return withAnswer(toStored(questionId, scheduler.next(createEmptyCard(now), now, Rating.Again).card), answer);
}

/** A review answer: right = Good, wrong = Again (a wrong one replaces the kept answer; a right one keeps the miss's). */
export function reviewed(card: ReviewCard, correct: boolean, now: Date, answer?: number[] | null): ReviewCard {
  const next = toStored(card.questionId, scheduler.next(fromStored(card), now, correct ? Rating.Good : Rating.Again).card);
  return withAnswer(next, !correct && answer !== undefined ? answer : card.answer);
}

const withAnswer = (card: ReviewCard, answer: number[] | null | undefined): ReviewCard => (answer === undefined ? card : { ...card, answer: answer && [...answer] });

export const isDue = (card: ReviewCard, now: Date): boolean => new Date(card.due).getTime() <= now.getTime();

/** Spaced out far enough that it no longer needs drilling. */
export const isLearned = (card: ReviewCard): boolean => card.state === State.Review && card.scheduledDays >= LEARNED_AFTER_DAYS;
