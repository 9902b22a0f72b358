import { describe, expect, it } from 'vitest';
import { buzzPoints, classicPoints, streakBonus } from '../../server/game/scoring.js';

describe('classic speed scoring: round(1000 × (1 − (t/T)/2))', () => {
  it('gives full points under 0.5 s', () => {
    expect(classicPoints(0, 20_000, true)).toBe(1000);
    expect(classicPoints(499, 20_000, true)).toBe(1000);
  });
  it('applies the formula from 0.5 s on', () => {
    expect(classicPoints(500, 20_000, true)).toBe(988); // 987.5 rounds up
    expect(classicPoints(10_000, 20_000, true)).toBe(750);
    expect(classicPoints(3_000, 20_000, true)).toBe(925);
  });
  it('never goes under half points at the limit', () => {
    expect(classicPoints(20_000, 20_000, true)).toBe(500);
  });
  it('accuracy-only ignores time', () => {
    expect(classicPoints(19_999, 20_000, false)).toBe(1000);
  });
});

describe('streak bonus: +100 per consecutive correct, capped at +500', () => {
  it('starts at the second correct answer in a row', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(streakBonus)).toEqual([0, 100, 200, 300, 400, 500, 500, 500]);
  });
});

describe('buzz points', () => {
  it('power, correct, neg and a plain wrong', () => {
    expect(buzzPoints(true, true)).toBe(15);
    expect(buzzPoints(true, false)).toBe(10);
    expect(buzzPoints(false, true)).toBe(-5);
    expect(buzzPoints(false, false)).toBe(0);
  });
});
