import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatPercent, formatRating, niceTicks, ratingStatus, deviationInWords, trendGeometry } from '../../client/src/lib/stats-format.js';

describe('stats formatting and chart scales', () => {
  it('dates and numbers follow the given locale', () => {
    const t = Date.UTC(2026, 11, 1, 10, 30);
    expect(formatDateTime(t, 'de-DE')).toMatch(/^01\.12\.2026/);
    expect(formatDateTime(t, 'en-US')).toMatch(/^Dec 1, 2026/);
    expect(formatDay(t, 'de-DE')).toMatch(/^1\. Dez/);
    expect(formatPercent(0.5, 'de-DE')).toBe('50\u00a0%');
    expect(formatRating(1263.4, 'de-DE')).toBe('1263');
  });

  it('a provisional rating reads as words with its likely range', () => {
    expect(ratingStatus(true)).toBe('provisional: still settling after few answers');
    expect(deviationInWords(180, 'en-US')).toBe('Rating deviation 180: your true level is likely within 360 points of this rating; it narrows as you answer.');
    expect(ratingStatus(false)).toBe('settled');
  });

  it('ticks are round and cover the range; the line stays inside the plot', () => {
    expect(niceTicks(1435, 1565)).toEqual([1450, 1500, 1550]);
    const g = trendGeometry([
      { at: 0, rating: 1500 },
      { at: 1000, rating: 1620 },
      { at: 2000, rating: 1410 },
    ]);
    expect(g.yTicks.length).toBeGreaterThanOrEqual(2);
    for (const pt of g.line.split(' ').map((s) => s.split(',').map(Number))) {
      expect(pt[0]).toBeGreaterThanOrEqual(g.plot.left);
      expect(pt[0]).toBeLessThanOrEqual(g.plot.right);
      expect(pt[1]).toBeGreaterThanOrEqual(g.plot.top);
      expect(pt[1]).toBeLessThanOrEqual(g.plot.bottom);
    }
    expect(g.xTicks.map((t) => t.at)).toEqual([0, 2000]);
  });
});
