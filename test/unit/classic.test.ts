import { describe, expect, it } from 'vitest';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

function classic(settings = {}) {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 8, ...settings });
  const [ana, ben, cai] = h.join('Ana', 'Ben', 'Cai');
  h.host('start');
  return { h, ana: ana!, ben: ben!, cai: cai! };
}

describe('Classic mode', () => {
  it('scores by server-measured answer time when the question closes', () => {
    const { h, ana, ben, cai } = classic({ streakBonus: false });
    h.advance(300);
    h.answer(ana, h.correct); // 0.3 s: full points
    h.advance(2_700);
    h.answer(ben, h.correct); // 3.0 s
    h.advance(7_000);
    expect(h.score(ana)).toBe(0); // nothing scored before the close
    h.answer(cai, h.wrong); // wrong
    expect(h.state.phase).toBe('reveal'); // everyone answered: early close
    expect(h.score(ana)).toBe(1000);
    expect(h.score(ben)).toBe(925);
    expect(h.score(cai)).toBe(0);
  });

  it('closes at the deadline with the answers it has; silence scores nothing and breaks streaks', () => {
    const { h, ana, ben } = classic();
    h.answer(ana, h.correct);
    h.advance(20_000);
    expect(h.state.phase).toBe('reveal');
    expect(h.score(ana)).toBe(1000);
    expect(h.score(ben)).toBe(0);
    expect(h.state.players[ben]!.streak).toBe(0);
  });

  it('nobody answers: the question closes at its deadline and nobody scores', () => {
    const { h, ana, ben, cai } = classic();
    h.advance(19_999);
    expect(h.state.phase).toBe('question');
    h.advance(1);
    expect(h.state.phase).toBe('reveal');
    expect([ana, ben, cai].map((p) => h.score(p))).toEqual([0, 0, 0]);
    expect(h.state.results[0]!.distribution.every((n) => n === 0)).toBe(true);
  });

  it('adds +100 per consecutive correct answer, capped at +500, and a wrong answer resets it', () => {
    const { h, ana } = classic({ questionCount: 9 });
    const gains: number[] = [];
    for (let i = 0; i < 9; i++) {
      const before = h.score(ana);
      h.answer(ana, i === 7 ? h.wrong : h.correct);
      h.host('reveal');
      gains.push(h.score(ana) - before);
      h.host('next');
      h.host('next');
    }
    expect(gains).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 1500, 0, 1000]);
    expect(h.state.phase).toBe('finished');
  });

  it('streak bonus can be switched off', () => {
    const { h, ana } = classic({ streakBonus: false });
    for (let i = 0; i < 3; i++) {
      h.answer(ana, h.correct);
      h.host('reveal');
      h.host('next');
      h.host('next');
    }
    expect(h.score(ana)).toBe(3000);
  });

  it('accuracy-only scoring gives 1000 for any correct answer', () => {
    const { h, ana } = classic({ speedScoring: false, streakBonus: false });
    h.advance(19_000);
    h.answer(ana, h.correct);
    h.advance(1_000);
    expect(h.score(ana)).toBe(1000);
  });

  it('a multiple-choice answer counts only as the exact set', () => {
    const h = new Harness(makeBank(3, ['cluster-mesh']), { questionCount: 3, blueprintWeighted: false, streakBonus: false });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    while (h.question.question.type !== 'multiple') {
      h.host('skip');
    }
    h.answer(ana!, h.correct);
    h.answer(ben!, [h.correct[0]!]);
    expect(h.score(ana!)).toBe(1000);
    expect(h.score(ben!)).toBe(0);
  });

  it('pause keeps the remaining time and excludes the pause from answer time', () => {
    const { h, ana } = classic({ streakBonus: false });
    const deadline = h.state.round!.deadline!;
    h.advance(5_000);
    h.host('pause');
    expect(h.view('host').question!.remainingMs).toBe(15_000);
    h.advance(60_000); // long pause: no deadline fires
    expect(h.state.phase).toBe('question');
    expect(h.answer(ana, h.correct).error?.code).toBe('PAUSED');
    h.host('resume');
    expect(h.state.round!.deadline).toBe(deadline + 60_000);
    expect(h.view('host').question!.remainingMs).toBe(15_000);
    h.advance(5_000);
    h.answer(ana, h.correct); // 10 s of question time: 750
    h.advance(10_000);
    expect(h.score(ana)).toBe(750);
  });

  it('lets a late joiner answer the open question unless the room is locked', () => {
    const { h } = classic({ streakBonus: false });
    h.advance(1_000);
    const [dee] = h.join('Dee');
    h.advance(1_000);
    expect(h.answer(dee!, h.correct).error).toBeNull();
    h.ok({ type: 'lock', by: { role: 'host' }, locked: true });
    expect(h.act({ type: 'join', playerId: 'eve', name: 'Eve' }).error?.code).toBe('ROOM_LOCKED');
    h.advance(20_000);
    expect(h.score(dee!)).toBe(950); // answered 2 s into the question
  });

  it('kick removes the player, voids their open answer and bans their seat', () => {
    const { h, ana, ben, cai } = classic();
    h.answer(ben, h.correct);
    h.ok({ type: 'kick', by: { role: 'host' }, playerId: ben });
    expect(h.effects).toContainEqual({ type: 'kicked', playerId: ben });
    expect(h.state.players[ben]).toBeUndefined();
    expect(h.answer(ben, h.correct).error?.code).toBe('KICKED');
    expect(h.act({ type: 'join', playerId: ben, name: 'Ben again' }).error?.code).toBe('KICKED');
    h.answer(ana, h.correct);
    h.answer(cai, h.correct);
    expect(h.state.phase).toBe('reveal');
    expect(h.state.results[0]!.perPlayer[ben]).toBeUndefined();
    expect(h.view('host').leaderboard.map((p) => p.id)).not.toContain(ben);
  });

  it('team score is the average of its members', () => {
    const h = new Harness(bank, { teams: ['Red', 'Blue'], streakBonus: false, questionCount: 2 });
    h.ok({ type: 'join', playerId: 'a', name: 'A', team: 'red' });
    h.ok({ type: 'join', playerId: 'b', name: 'B', team: 'Red' });
    h.ok({ type: 'join', playerId: 'c', name: 'C', team: 'Blue' });
    h.ok({ type: 'join', playerId: 'd', name: 'D' });
    h.ok({ type: 'set-team', playerId: 'd', team: 'blue' });
    h.host('start');
    h.answer('a', h.correct); // 1000
    h.answer('b', h.wrong); // 0
    h.answer('c', h.correct); // 1000
    h.advance(3_000);
    h.answer('d', h.correct); // 925
    const teams = h.view('player', 'a').teams;
    expect(teams).toEqual([
      { name: 'Blue', score: 963, members: 2, rank: 1 },
      { name: 'Red', score: 500, members: 2, rank: 2 },
    ]);
  });

  it('skip voids the question; next walks reveal → leaderboard → next question → podium', () => {
    const { h, ana } = classic({ questionCount: 2 });
    h.answer(ana, h.correct);
    h.host('skip');
    expect(h.state.round!.index).toBe(1);
    expect(h.score(ana)).toBe(0);
    expect(h.state.results).toHaveLength(0);
    h.host('reveal');
    expect(h.state.phase).toBe('reveal');
    h.host('next');
    expect(h.state.phase).toBe('leaderboard');
    h.host('next');
    expect(h.state.phase).toBe('finished');
    expect(h.effects.at(-1)).toEqual({ type: 'finished' });
  });

  it('counts only present players for the early close: a dropped player is waited for during the grace', () => {
    const { h, ana, ben, cai } = classic();
    h.ok({ type: 'connection', playerId: cai, connected: false });
    h.answer(ana, h.correct);
    expect(h.state.phase).toBe('question');
    h.answer(ben, h.correct);
    expect(h.state.phase).toBe('question'); // Cai dropped 0 s ago: still present
    h.advance(h.state.presenceGraceMs - 1);
    expect(h.state.phase).toBe('question');
    h.advance(1); // the grace ends: Cai is away, everyone present has answered
    expect(h.state.phase).toBe('reveal');
  });
});

describe('Study mode', () => {
  it('waits for the host even when everyone answered, scores accuracy only (scoring on), and skips the leaderboard', () => {
    const h = new Harness(bank, { mode: 'study', timeLimitSec: 0, questionCount: 2, studyScoring: true });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    expect(h.state.round!.deadline).toBeNull();
    h.advance(600_000);
    h.answer(ana!, h.correct);
    h.answer(ben!, h.wrong);
    expect(h.state.phase).toBe('question');
    h.host('reveal');
    expect(h.view('player', ana!).reveal!.explanation).toBe(h.question.solution.explanation);
    expect(h.score(ana!)).toBe(1000);
    h.host('next');
    expect(h.state.phase).toBe('question');
    expect(h.state.round!.index).toBe(1);
  });
});
