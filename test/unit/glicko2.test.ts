import { describe, expect, it } from 'vitest';
import { updateRating, winProbability } from '../../server/rating/glicko2.js';
import { PRACTICE_RATING, initialQuestionRating, isProvisional, rateAttempt } from '../../server/rating/practice-rating.js';
import { Rng } from '../../server/game/rng.js';

describe("Glicko-2: the worked example in Glickman's paper", () => {
  it('reproduces μ′ = −0.2069, φ′ = 0.8722, σ′ = 0.05999, so r′ = 1464.06 and RD′ = 151.52 (τ = 0.5)', () => {
    const player = { rating: 1500, deviation: 200, volatility: 0.06 };
    const after = updateRating(
      player,
      [
        { opponent: { rating: 1400, deviation: 30, volatility: 0.06 }, score: 1 },
        { opponent: { rating: 1550, deviation: 100, volatility: 0.06 }, score: 0 },
        { opponent: { rating: 1700, deviation: 300, volatility: 0.06 }, score: 0 },
      ],
      0.5,
    );
    // The paper works on the Glicko-2 scale with 4 decimals, then converts back.
    const mu = (after.rating - 1500) / 173.7178;
    const phi = after.deviation / 173.7178;
    expect(mu.toFixed(4)).toBe('-0.2069');
    expect(phi.toFixed(4)).toBe('0.8722');
    // σ′ = 0.0599960: the paper prints it truncated to 0.05999.
    expect(Math.abs(after.volatility - 0.05999)).toBeLessThan(0.00001);
    expect((173.7178 * Number(mu.toFixed(4)) + 1500).toFixed(2)).toBe('1464.06');
    expect(Math.abs(after.rating - 1464.06)).toBeLessThan(0.01);
    expect(after.deviation.toFixed(2)).toBe('151.52');
  });

  it('grows the deviation of a player who does not play', () => {
    const r = updateRating({ rating: 1500, deviation: 50, volatility: 0.06 }, []);
    expect(r.rating).toBe(1500);
    expect(r.deviation).toBeCloseTo(Math.sqrt((50 / 173.7178) ** 2 + 0.06 ** 2) * 173.7178, 10);
  });

  it('expects an even game between equals and favours the stronger side', () => {
    const a = { rating: 1500, deviation: 100, volatility: 0.06 };
    expect(winProbability(a, a)).toBeCloseTo(0.5, 10);
    expect(winProbability({ ...a, rating: 1800 }, a)).toBeGreaterThan(0.8);
  });
});

describe('practice rating guards', () => {
  it('moves player and question in opposite directions, within the bounded change', () => {
    const p = PRACTICE_RATING.initial;
    const q = initialQuestionRating(2);
    const right = rateAttempt(p, q, true);
    expect(right.player.rating).toBeGreaterThan(p.rating);
    expect(right.question.rating).toBeLessThan(q.rating);
    expect(Math.abs(right.player.rating - p.rating)).toBeLessThanOrEqual(PRACTICE_RATING.maxChange);
    const wrong = rateAttempt(p, q, false);
    expect(wrong.player.rating).toBeLessThan(p.rating);
    expect(wrong.question.rating).toBeGreaterThan(q.rating);
  });

  it('is provisional until enough results bring the deviation down', () => {
    let p = PRACTICE_RATING.initial;
    expect(isProvisional(p)).toBe(true);
    for (let i = 0; i < 30; i++) p = rateAttempt(p, initialQuestionRating(2), i % 2 === 0).player;
    expect(isProvisional(p)).toBe(false);
    expect(p.deviation).toBeGreaterThanOrEqual(PRACTICE_RATING.minDeviation);
  });
});

/** Spearman's rank correlation (no ties expected with continuous values). */
function spearman(xs: number[], ys: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const n = xs.length;
  const d2 = rx.reduce((s, r, i) => s + (r - ry[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('question ratings calibrate themselves from first attempts', () => {
  it('recovers the true difficulty order of 150 questions from 12,000 answers by 400 players (Spearman > 0.9)', () => {
    const rng = new Rng(2026);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const players = Array.from({ length: 400 }, () => ({ skill: 1500 + 300 * normal(), rating: PRACTICE_RATING.initial }));
    const questions = Array.from({ length: 150 }, () => ({ difficulty: 1500 + 300 * normal(), rating: initialQuestionRating(2) }));
    const seen = players.map(() => new Set<number>());
    const ANSWERS_PER_PLAYER = 30;
    for (let round = 0; round < ANSWERS_PER_PLAYER; round++) {
      for (const [i, p] of players.entries()) {
        let qi = rng.int(questions.length);
        while (seen[i]!.has(qi)) qi = rng.int(questions.length); // first attempts only
        seen[i]!.add(qi);
        const q = questions[qi]!;
        const pCorrect = 1 / (1 + 10 ** ((q.difficulty - p.skill) / 400));
        const r = rateAttempt(p.rating, q.rating, rng.next() < pCorrect);
        p.rating = r.player;
        q.rating = r.question;
      }
    }
    const rho = spearman(
      questions.map((q) => q.difficulty),
      questions.map((q) => q.rating.rating),
    );
    expect(rho).toBeGreaterThan(0.9);
    const playerRho = spearman(
      players.map((p) => p.skill),
      players.map((p) => p.rating.rating),
    );
    expect(playerRho).toBeGreaterThan(0.8);
  });
});
