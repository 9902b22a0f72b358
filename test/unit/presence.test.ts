import { describe, expect, it } from 'vitest';
import { nextTimer } from '../../server/game/timers.js';
import { Harness, expectRefused } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

function classic(settings = {}, opts = {}) {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 4, ...settings }, opts);
  const [ana, ben, cai] = h.join('Ana', 'Ben', 'Cai');
  h.host('start');
  return { h, ana: ana!, ben: ben!, cai: cai! };
}

const drop = (h: Harness, playerId: string) => h.ok({ type: 'connection', playerId, connected: false });
const back = (h: Harness, playerId: string) => h.ok({ type: 'connection', playerId, connected: true });

describe('presence grace (bad Wi-Fi)', () => {
  it('keeps a dropped player present for early closing, and arms the grace as a deadline', () => {
    const { h, ana, ben, cai } = classic();
    h.advance(1_000);
    drop(h, cai);
    expect(h.state.players[cai]).toMatchObject({ connected: false, droppedAt: h.now });
    expect(nextTimer(h.state)).toEqual({ at: h.now + h.state.presenceGraceMs, kind: 'presence' });
    h.answer(ana, h.correct);
    h.answer(ben, h.correct);
    expect(h.state.phase).toBe('question');
    // The host screen shows who is offline right away; only the early close waits.
    expect(h.view('host').leaderboard.find((p) => p.id === cai)!.connected).toBe(false);
  });

  it('closes the question the moment the grace runs out if everyone else has answered', () => {
    const { h, ana, ben, cai } = classic({ streakBonus: false });
    drop(h, cai);
    h.answer(ana, h.correct);
    h.advance(2_000);
    h.answer(ben, h.correct);
    h.advance(12_999);
    expect(h.state.phase).toBe('question');
    h.advance(1);
    expect(h.state.phase).toBe('reveal');
    expect(h.state.players[cai]!.droppedAt).toBeNull();
    // Closed at 15 s, not at the 20 s deadline: the reveal's clock says so.
    expect(h.state.round!.deadline).toBe(h.now);
    expect(h.score(ben)).toBe(950);
  });

  it('a player back within the grace answers normally and the question closes on their answer', () => {
    const { h, ana, ben, cai } = classic();
    drop(h, cai);
    h.answer(ana, h.correct);
    h.answer(ben, h.correct);
    h.advance(5_000);
    back(h, cai);
    expect(h.state.players[cai]).toMatchObject({ connected: true, droppedAt: null });
    expect(nextTimer(h.state)?.kind).toBe('question');
    h.answer(cai, h.correct);
    expect(h.state.phase).toBe('reveal');
    expect(h.state.results[0]!.perPlayer[cai]!.correct).toBe(true);
  });

  it('a grace of 0 counts a dropped player as away at once (the old behaviour)', () => {
    const { h, ana, ben, cai } = classic({}, { presenceGraceMs: 0 });
    h.answer(ana, h.correct);
    h.answer(ben, h.correct);
    drop(h, cai);
    expect(h.state.phase).toBe('reveal');
  });

  it('the grace runs during a pause; the resume closes a question nobody present is still thinking about', () => {
    const { h, ana, ben, cai } = classic();
    h.answer(ana, h.correct);
    h.answer(ben, h.correct);
    drop(h, cai);
    h.host('pause');
    h.advance(20_000);
    expect(h.state.phase).toBe('question');
    expect(h.state.players[cai]!.droppedAt).toBeNull();
    h.host('resume');
    expect(h.state.phase).toBe('reveal');
  });

  it('waits for a dropped buzz-in player before ending a question where everyone else is locked out', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false, timeLimitSec: 30 });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    drop(h, ben!);
    h.buzz(ana!);
    h.answer(ana!, h.wrong);
    expect(h.state.phase).toBe('question');
    h.advance(h.state.presenceGraceMs);
    expect(h.state.phase).toBe('reveal');
  });
});

describe('idempotent answers', () => {
  it('a resent identical answer is acknowledged as already recorded and never counted twice', () => {
    const { h, ana, ben } = classic({ streakBonus: false });
    h.advance(1_000);
    h.answer(ana, h.correct);
    const firstAt = h.now;
    h.advance(3_000);
    const before = h.state;
    const again = h.answer(ana, [...h.correct].reverse());
    expect(again.error).toBeNull();
    expect(again.state).toBe(before);
    expect(again.effects).toEqual([{ type: 'answer-repeated', playerId: ana, receivedAt: firstAt }]);
    expectRefused(h, { type: 'answer', playerId: ana, questionId: h.qid, choices: h.wrong }, 'ALREADY_ANSWERED');
    h.answer(ben, h.wrong);
    h.advance(20_000);
    expect(h.state.phase).toBe('reveal');
    expect(h.score(ana)).toBe(975);
    expect(h.state.scoreLog.filter((e) => e.playerId === ana)).toHaveLength(1);
  });

  it('a resend after the question closed still says "recorded"; a new answer then is too late', () => {
    const { h, ana, ben, cai } = classic();
    const q = h.qid;
    const right = h.correct;
    h.answer(ana, right);
    h.advance(20_000);
    expect(h.state.phase).toBe('reveal');
    const again = h.act({ type: 'answer', playerId: ana, questionId: q, choices: right });
    expect(again.error).toBeNull();
    expect(again.effects).toEqual([{ type: 'answer-repeated', playerId: ana, receivedAt: null }]);
    expectRefused(h, { type: 'answer', playerId: ben, questionId: q, choices: right }, 'LATE');
    h.host('next');
    h.host('next');
    expect(h.state.round!.index).toBe(1);
    // An earlier question's answer arriving now is late too, not "stale".
    expectRefused(h, { type: 'answer', playerId: cai, questionId: q, choices: right }, 'LATE');
    expect(h.act({ type: 'answer', playerId: ana, questionId: q, choices: right }).error).toBeNull();
  });

  it('an answer after the deadline is refused with LATE and a message a player understands', () => {
    const { h, ana } = classic();
    h.now += 20_000;
    const r = h.answer(ana, h.correct);
    expect(r.error).toEqual({ code: 'LATE', message: 'Too late: the question closed' });
  });

  it('a buzz-in floor answer sent twice counts once', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false, timeLimitSec: 30 });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    h.buzz(ana!);
    h.answer(ana!, h.wrong);
    expect(h.state.round!.buzz!.lockedOut).toEqual([ana]);
    const again = h.answer(ana!, h.wrong);
    expect(again.error).toBeNull();
    expect(again.effects[0]?.type).toBe('answer-repeated');
    expect(h.state.round!.buzz!.attempts).toHaveLength(1);
    expect(h.buzz(ben!).error).toBeNull();
  });
});
