import { describe, expect, it } from 'vitest';
import { initialQuestionRating } from '../../server/rating/practice-rating.js';
import { applyAnswer, dueReviews, newPlayerPractice, serve } from '../../server/practice/engine.js';

const q = initialQuestionRating(2);
const input = (questionId: string, correct: boolean, now: number) => ({ questionId, domain: 'ebpf' as const, domain2025: 'fundamentals' as const, correct, now, week: '2026-W47' });

describe('practice engine', () => {
  it('rates a first attempt: player and domain up, question down, stats and trend filled', () => {
    const p = serve(newPlayerPractice(), 'q1', 1_000);
    const r = applyAnswer(p, q, input('q1', true, 4_000));
    if (!r.ok) throw new Error(r.code);
    expect(r.outcome.rated).toBe(true);
    expect(r.outcome.ratingAfter).toBeGreaterThan(r.outcome.ratingBefore);
    expect(r.player.byDomain.ebpf!.rating).toBeGreaterThan(1500);
    expect(r.question.rating).toBeLessThan(q.rating);
    expect(r.player.stats.ebpf).toEqual({ answered: 1, correct: 1, totalTimeMs: 3_000 });
    expect(r.player.history).toHaveLength(1);
    expect(r.player.weekly).toEqual({ week: '2026-W47', points: 10 });
  });

  it('refuses an answer to a question that was not served, and a second answer', () => {
    const p = serve(newPlayerPractice(), 'q1', 0);
    expect(applyAnswer(p, q, input('q2', true, 1))).toEqual({ ok: false, code: 'NOT_SERVED' });
    const r = applyAnswer(p, q, input('q1', true, 1));
    if (!r.ok) throw new Error(r.code);
    expect(applyAnswer(r.player, q, input('q1', true, 2))).toEqual({ ok: false, code: 'ALREADY_ANSWERED' });
  });

  it('never rates a replay; a missed question enters the review queue and comes back due', () => {
    let p = serve(newPlayerPractice(), 'q1', 0);
    let r = applyAnswer(p, q, input('q1', false, 1_000));
    if (!r.ok) throw new Error(r.code);
    expect(r.outcome.review).toBe('added');
    expect(dueReviews(r.player, 1_000)).toEqual([]);
    const due = new Date(r.player.reviews.q1!.due).getTime();
    expect(dueReviews(r.player, due)).toEqual(['q1']);
    p = serve(r.player, 'q1', due);
    const rating = p.overall.rating;
    r = applyAnswer(p, q, input('q1', true, due + 1_000));
    if (!r.ok) throw new Error(r.code);
    expect(r.outcome.rated).toBe(false);
    expect(r.outcome.review).toBe('rescheduled');
    expect(r.player.overall.rating).toBe(rating);
    expect(r.player.stats.ebpf!.answered).toBe(1);
  });

  it('keeps a bounded recent window and weekly points per week', () => {
    let p = newPlayerPractice();
    for (let i = 0; i < 50; i++) p = serve(p, `q${i}`, i);
    expect(p.recent).toHaveLength(40);
    expect(p.recent[0]).toBe('q10');
    const r = applyAnswer(p, q, { ...input('q49', true, 100), week: '2026-W48' });
    if (!r.ok) throw new Error(r.code);
    expect(r.player.weekly.week).toBe('2026-W48');
  });
});
