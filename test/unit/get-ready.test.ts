import { describe, expect, it } from 'vitest';
import { nextTimer } from '../../server/game/timers.js';
import { Harness, expectRefused } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

function room(settings = {}) {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 3, getReadySec: 3, streakBonus: false, ...settings });
  const [ana, ben] = h.join('Ana', 'Ben');
  h.host('start');
  return { h, ana: ana!, ben: ben! };
}

describe('"get ready" before each question', () => {
  it('announces the question without anything answerable, then opens it with its full time limit', () => {
    const { h, ana } = room();
    const startedAt = h.now;
    expect(h.state.phase).toBe('question');
    expect(nextTimer(h.state)).toEqual({ at: startedAt + 3_000, kind: 'open' });
    for (const v of [h.view('host'), h.view('player', ana), h.view('spectator')]) {
      expect(v.question).toMatchObject({ index: 0, total: 3, opensAt: startedAt + 3_000, opensInMs: 3_000, prompt: '', promptComplete: false, choices: null, deadline: null });
      expect(v.question!.domain).toBe(h.question.question.domain);
      const json = JSON.stringify(v);
      expect(json).not.toContain(h.question.question.prompt);
      for (const c of h.question.question.choices) expect(json).not.toContain(JSON.stringify(c));
    }
    h.advance(1_000);
    expect(h.view('player', ana).question!.opensInMs).toBe(2_000);
    expectRefused(h, { type: 'answer', playerId: ana, questionId: h.qid, choices: h.correct }, 'NOT_OPEN_YET');

    h.advance(2_000);
    const v = h.view('player', ana).question!;
    expect(v).toMatchObject({ opensAt: null, opensInMs: null, prompt: h.question.question.prompt, deadline: h.now + 20_000, remainingMs: 20_000 });
    expect(v.choices).toEqual(h.question.question.choices);
    // Speed is measured from the opening, not from the announcement.
    h.advance(300);
    h.answer(ana, h.correct);
    h.advance(20_000);
    expect(h.state.phase).toBe('reveal');
    expect(h.state.results[0]!.perPlayer[ana]!.elapsedMs).toBe(300);
    expect(h.score(ana)).toBe(1000);
  });

  it('runs again before the next question; 0 turns it off', () => {
    const { h } = room();
    h.advance(3_000 + 20_000);
    h.host('next');
    h.host('next');
    expect(h.state.round).toMatchObject({ index: 1, opensAt: h.now + 3_000, deadline: null });
    const off = room({ getReadySec: 0 }).h;
    expect(off.state.round).toMatchObject({ opensAt: null, openedAt: off.now, deadline: off.now + 20_000 });
  });

  it('stands still while paused', () => {
    const { h, ana } = room();
    h.advance(1_000);
    h.host('pause');
    h.advance(60_000);
    expect(h.view('player', ana).question!.opensInMs).toBe(2_000);
    expect(h.state.round!.opensAt).not.toBeNull();
    h.host('resume');
    h.advance(1_999);
    expect(h.state.round!.opensAt).not.toBeNull();
    h.advance(1);
    expect(h.state.round!.opensAt).toBeNull();
  });

  it('Buzz-in: no buzzing during the count; the word-by-word reading starts when it ends', () => {
    const { h, ana } = room({ mode: 'buzz', wordsPerSecond: 2, buzzCompensation: false });
    expect(h.state.round!.buzz).toBeNull();
    expectRefused(h, { type: 'buzz', playerId: ana, questionId: h.qid, latencyMs: 0 }, 'NOT_OPEN_YET');
    h.advance(3_000);
    expect(h.state.round!.buzz).toMatchObject({ revealedWords: 1, nextWordAt: h.now + 500 });
    expect(h.buzz(ana).error).toBeNull();
  });

  it('the exam has no get-ready count', () => {
    const h = new Harness(bank, { mode: 'exam', questionCount: 3, getReadySec: 5 });
    h.join('Ana');
    h.host('start');
    expect(h.state.phase).toBe('exam');
    expect(h.state.round).toBeNull();
  });

  it('the host may reveal or skip during the count', () => {
    const { h } = room({ questionCount: 2 });
    h.host('skip');
    expect(h.state.round).toMatchObject({ index: 1 });
    h.host('reveal');
    expect(h.state.phase).toBe('reveal');
    expect(h.state.results).toHaveLength(1);
  });
});
