/** Scoring rules from the brief, as pure functions of server-measured times. */

export const CLASSIC_MAX_POINTS = 1000;
/** Answers faster than this get full points. */
export const FULL_POINTS_WITHIN_MS = 500;
export const STREAK_STEP = 100;
export const STREAK_CAP = 500;

export const BUZZ_POINTS = { correct: 10, power: 15, neg: -5 } as const;

/** round(1000 × (1 − (t/T)/2)), full points under 0.5 s; accuracy-only gives 1000 for any correct answer. */
export function classicPoints(elapsedMs: number, limitMs: number, speedScoring: boolean): number {
  if (!speedScoring || elapsedMs < FULL_POINTS_WITHIN_MS) return CLASSIC_MAX_POINTS;
  const t = Math.min(Math.max(elapsedMs, 0), limitMs);
  return Math.round(CLASSIC_MAX_POINTS * (1 - t / limitMs / 2));
}

/**
 * +100 for every correct answer in a row before this one, capped at +500.
 * `streak` counts consecutive correct answers including this one.
 */
export function streakBonus(streak: number): number {
  return Math.min(STREAK_STEP * Math.max(streak - 1, 0), STREAK_CAP);
}

/** Buzz-in: +15 (power) when buzzed before the choices appeared, +10 otherwise; −5 for an early wrong buzz. */
export function buzzPoints(correct: boolean, beforeChoices: boolean): number {
  if (correct) return beforeChoices ? BUZZ_POINTS.power : BUZZ_POINTS.correct;
  return beforeChoices ? BUZZ_POINTS.neg : 0;
}
