import { describe, expect, it } from 'vitest';
import { LEADERBOARD_TOP } from '../../server/game/view.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

describe('viewFor projections', () => {
  it('hides the solution from every role until the reveal, then shows it to all', () => {
    const h = new Harness(bank, { streakBonus: false });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    h.answer(ana!, h.correct);
    for (const v of [h.view('host'), h.view('spectator'), h.view('player', ana!)]) {
      expect(v.reveal).toBeNull();
      expect(JSON.stringify(v)).not.toContain(h.question.solution.explanation);
    }
    expect(h.view('player', ana!).me!.myChoices).toEqual(h.correct);
    expect(h.view('player', ben!).me!.myChoices).toBeNull();
    h.answer(ben!, h.wrong);
    const host = h.view('host');
    const player = h.view('player', ben!);
    expect(host.reveal!.correct).toEqual(h.correct);
    expect(host.reveal!.sourceUrl).toMatch(/^https:\/\//);
    expect(host.reveal!.distribution.reduce((a, b) => a + b, 0)).toBe(2);
    expect(host.reveal!.results).toHaveLength(2);
    expect(player.reveal!.results).toBeNull(); // other players' answers stay with the host
    expect(player.me!.lastResult).toMatchObject({ correct: false, points: 0, choices: h.wrong });
  });

  it('gives non-hosts the top of the leaderboard and their own rank', () => {
    const h = new Harness(bank, {}, { maxPlayers: 50 });
    const ids = h.join(...Array.from({ length: 30 }, (_, i) => `P${i}`));
    expect(h.view('host').leaderboard).toHaveLength(30);
    const v = h.view('player', ids[29]!);
    expect(v.leaderboard).toHaveLength(LEADERBOARD_TOP);
    expect(v.playerCount).toBe(30);
    expect(v.me!.rank).toBe(1); // everyone tied at 0
  });

  it('shows the final report with podium, domain accuracy and most-missed questions', () => {
    const h = new Harness(bank, { questionCount: 2, streakBonus: false });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    h.answer(ana!, h.correct);
    h.answer(ben!, h.wrong);
    const firstDomain = h.question.question.domain;
    h.host('next');
    h.host('next');
    h.answer(ana!, h.wrong);
    h.answer(ben!, h.wrong);
    const missed = h.qid;
    h.host('next');
    h.host('next');
    const final = h.view('spectator').final!;
    expect(final.podium.map((p) => p.id)).toEqual([ana, ben]);
    expect(final.mostMissed[0]).toMatchObject({ questionId: missed, correctRate: 0, answered: 2 });
    const acc = final.domainAccuracy.find((d) => d.domain === firstDomain)!;
    expect(acc.answered).toBeGreaterThanOrEqual(2);
    expect(acc.accuracy).not.toBeNull();
  });
});

describe('summary text', () => {
  it('shortens at a word boundary', async () => {
    const { shorten } = await import('../../server/game/summary.js');
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('True or false: Cilium 1.18 and later still support it', 40)).toBe('True or false: Cilium 1.18 and later…');
  });
});
