import { updateRating, type Rating } from './glicko2.js';

/**
 * How solo practice uses Glicko-2, in the spirit of Lichess puzzles: every first attempt is one game
 * between the player and the question, both sides update, replays are never rated, a rating is
 * provisional while its deviation is high, and one result moves a rating by a bounded amount.
 */
export const PRACTICE_RATING = {
  tau: 0.75,
  initial: { rating: 1500, deviation: 350, volatility: 0.06 } satisfies Rating,
  minDeviation: 45,
  maxDeviation: 350,
  minVolatility: 0.01,
  maxVolatility: 0.1,
  /** Provisional while the deviation is above this. */
  provisionalDeviation: 110,
  /** No single result moves a rating further than this. */
  maxChange: 150,
} as const;

/** Starting rating of a question from its authored difficulty; answers then calibrate it. */
export function initialQuestionRating(difficulty: 1 | 2 | 3): Rating {
  return { rating: [1300, 1500, 1700][difficulty - 1]!, deviation: 250, volatility: 0.06 };
}

export const isProvisional = (r: Rating): boolean => r.deviation > PRACTICE_RATING.provisionalDeviation;

function guard(before: Rating, after: Rating): Rating {
  const c = PRACTICE_RATING;
  const change = Math.max(-c.maxChange, Math.min(c.maxChange, after.rating - before.rating));
  return {
    rating: before.rating + change,
    deviation: Math.max(c.minDeviation, Math.min(c.maxDeviation, after.deviation)),
    volatility: Math.max(c.minVolatility, Math.min(c.maxVolatility, after.volatility)),
  };
}

/** One rated first attempt: the player "wins" by answering correctly, the question by resisting. */
export function rateAttempt(player: Rating, question: Rating, correct: boolean): { player: Rating; question: Rating } {
  const tau = PRACTICE_RATING.tau;
  return {
    player: guard(player, updateRating(player, [{ opponent: question, score: correct ? 1 : 0 }], tau)),
    question: guard(question, updateRating(question, [{ opponent: player, score: correct ? 0 : 1 }], tau)),
  };
}
