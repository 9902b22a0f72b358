import { describe, expect, it } from 'vitest';
import type { Effect } from '../../server/game/actions.js';
import { nextDeadline } from '../../server/game/timers.js';
import { DOMAIN_WEIGHT } from '../../shared/domains.js';
import { DEFAULT_SETTINGS, mergeSettings } from '../../shared/settings.js';
import { expectRefused, Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);
const MINUTE = 60_000;

function exam(settings = {}, names = ['Ana', 'Ben', 'Cai']) {
  const h = new Harness(bank, { mode: 'exam', questionCount: 8, examMinutes: 10, ...settings });
  const ids = h.join(...names);
  h.host('start');
  return { h, ids };
}

const qs = (h: Harness) => h.state.questions;
const right = (h: Harness, i: number) => qs(h)[i]!.solution.answer;
const wrong = (h: Harness, i: number) => [[...qs(h)[i]!.question.choices.keys()].find((c) => !right(h, i).includes(c))!];
const answer = (h: Harness, playerId: string, i: number, choices: number[]) =>
  h.act({ type: 'exam-answer', playerId, questionId: qs(h)[i]!.question.id, choices });
const flag = (h: Harness, playerId: string, i: number, flagged: boolean) => h.act({ type: 'exam-flag', playerId, questionId: qs(h)[i]!.question.id, flagged });
const submit = (h: Harness, playerId: string) => h.act({ type: 'exam-submit', playerId });


describe('exam settings', () => {
  it('adds the exam mode with a 90-minute clock and a 75% pass mark by default, within their ranges', () => {
    expect(DEFAULT_SETTINGS.examMinutes).toBe(90);
    expect(DEFAULT_SETTINGS.passPercent).toBe(75);
    expect(mergeSettings(DEFAULT_SETTINGS, { mode: 'exam', examMinutes: 240, passPercent: 100 }).ok).toBe(true);
    expect(mergeSettings(DEFAULT_SETTINGS, { mode: 'exam', examMinutes: 241 }).ok).toBe(false);
    expect(mergeSettings(DEFAULT_SETTINGS, { mode: 'exam', examMinutes: 0 }).ok).toBe(false);
    expect(mergeSettings(DEFAULT_SETTINGS, { mode: 'exam', passPercent: 0 }).ok).toBe(false);
    // The per-question timer is not used by the exam, so a Study room's 0 does not block switching.
    expect(mergeSettings({ ...DEFAULT_SETTINGS, mode: 'study', timeLimitSec: 0 }, { mode: 'exam' }).ok).toBe(true);
  });
});

describe('room mock exam', () => {
  it('starts with a blueprint-weighted draw and one deadline for everyone', () => {
    const { h } = exam({ questionCount: 10, examMinutes: 90 });
    expect(h.state.phase).toBe('exam');
    expect(qs(h)).toHaveLength(10);
    expect(new Set(qs(h).map((q) => q.question.id)).size).toBe(10);
    expect(qs(h).filter((q) => q.question.domain === 'architecture')).toHaveLength(2); // 20% of 10
    expect(nextDeadline(h.state)).toBe(h.now + 90 * MINUTE);
    expect(h.state.round).toBeNull();
  });

  it('answers can be set, changed, cleared and flagged in any order until submit; nothing is scored before the end', () => {
    const { h, ids } = exam();
    const [ana] = ids;
    expect(answer(h, ana!, 5, wrong(h, 5)).error).toBeNull();
    expect(answer(h, ana!, 0, right(h, 0)).error).toBeNull();
    expect(answer(h, ana!, 5, right(h, 5)).error).toBeNull(); // changed
    expect(answer(h, ana!, 3, right(h, 3)).error).toBeNull();
    expect(answer(h, ana!, 3, []).error).toBeNull(); // cleared
    expect(flag(h, ana!, 7, true).error).toBeNull();
    expect(flag(h, ana!, 2, true).error).toBeNull();
    expect(flag(h, ana!, 2, false).error).toBeNull();
    const same = h.state;
    expect(flag(h, ana!, 7, true).state).toBe(same); // flagging twice changes nothing

    const mine = h.view('player', ana!).exam!.mine!;
    expect(mine.answers[0]).toEqual(right(h, 0));
    expect(mine.answers[5]).toEqual(right(h, 5));
    expect(mine.answers[3]).toBeNull();
    expect(mine.flags.map((f, i) => (f ? i : -1)).filter((i) => i >= 0)).toEqual([7]);
    expect(mine.submitted).toBe(false);
    expect(h.score(ana!)).toBe(0);
    expect(h.state.scoreLog).toEqual([]);
  });

  it('refuses bad input with clear codes and the very same state', () => {
    const { h, ids } = exam();
    const [ana] = ids;
    expectRefused(h, { type: 'exam-answer', playerId: ana!, questionId: 'not-in-this-exam', choices: [0] }, 'STALE_QUESTION');
    expectRefused(h, { type: 'exam-flag', playerId: ana!, questionId: 'not-in-this-exam', flagged: true }, 'STALE_QUESTION');
    expectRefused(h, { type: 'exam-answer', playerId: ana!, questionId: qs(h)[0]!.question.id, choices: [9] }, 'INVALID_CHOICE');
    expectRefused(h, { type: 'exam-answer', playerId: 'ghost', questionId: qs(h)[0]!.question.id, choices: [0] }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'answer', playerId: ana!, questionId: qs(h)[0]!.question.id, choices: [0] }, 'WRONG_PHASE');
    for (const command of ['skip', 'reveal', 'next'] as const) expectRefused(h, { type: command, by: { role: 'host' } }, 'WRONG_PHASE');
  });

  it('refuses answers, flags and a second submit after submitting', () => {
    const { h, ids } = exam();
    const [ana] = ids;
    answer(h, ana!, 0, right(h, 0));
    expect(submit(h, ana!).error).toBeNull();
    expect(h.state.phase).toBe('exam'); // the others are still working
    expectRefused(h, { type: 'exam-answer', playerId: ana!, questionId: qs(h)[1]!.question.id, choices: right(h, 1) }, 'ALREADY_SUBMITTED');
    expectRefused(h, { type: 'exam-flag', playerId: ana!, questionId: qs(h)[1]!.question.id, flagged: true }, 'ALREADY_SUBMITTED');
    expectRefused(h, { type: 'exam-submit', playerId: ana! }, 'ALREADY_SUBMITTED');
    expect(h.view('player', ana!).exam!.mine!.submitted).toBe(true);
  });

  it('refuses exam actions outside a running exam', () => {
    const lobby = new Harness(bank, { mode: 'exam' });
    lobby.join('Ana');
    expectRefused(lobby, { type: 'exam-submit', playerId: 'ana' }, 'WRONG_PHASE');
    const classic = new Harness(bank, { mode: 'classic' });
    classic.join('Ana');
    classic.host('start');
    expectRefused(classic, { type: 'exam-answer', playerId: 'ana', questionId: classic.qid, choices: [0] }, 'WRONG_PHASE');
  });

  it('finishes early once every connected player has submitted', () => {
    const { h, ids } = exam();
    const [ana, ben, cai] = ids;
    submit(h, ana!);
    h.ok({ type: 'connection', playerId: cai!, connected: false }); // Cai's phone drops
    expect(h.state.phase).toBe('exam');
    submit(h, ben!);
    expect(h.state.phase).toBe('exam'); // Cai may be back within the presence grace
    const before = h.effects.length;
    h.advance(h.state.presenceGraceMs);
    const r = { effects: h.effects.slice(before) };
    expect(h.state.phase).toBe('finished');
    expect(r.effects.filter((e) => e.type === 'question-closed')).toHaveLength(8);
    expect(r.effects.at(-1)).toEqual({ type: 'finished' });
    expect(nextDeadline(h.state)).toBeNull();
  });

  it('a disconnect that leaves only submitted players connected ends the exam', () => {
    const { h, ids } = exam();
    const [ana, ben, cai] = ids;
    submit(h, ana!);
    submit(h, ben!);
    h.ok({ type: 'connection', playerId: cai!, connected: false });
    expect(h.state.phase).toBe('exam');
    h.advance(h.state.presenceGraceMs);
    expect(h.state.phase).toBe('finished');
    expect(h.view('player', cai!).exam!.result!.timedOut).toBe(true);
  });

  it('the clock ends the exam for everyone who has not submitted; late actions are refused', () => {
    const { h, ids } = exam({ examMinutes: 10 });
    const [ana, ben] = ids;
    answer(h, ana!, 0, right(h, 0));
    submit(h, ana!);
    answer(h, ben!, 0, right(h, 0));
    answer(h, ben!, 1, right(h, 1));
    h.now += 10 * MINUTE; // at the deadline, before the timer fired
    expectRefused(h, { type: 'exam-answer', playerId: ben!, questionId: qs(h)[2]!.question.id, choices: right(h, 2) }, 'LATE');
    expectRefused(h, { type: 'exam-submit', playerId: ben! }, 'LATE');
    h.now -= 10 * MINUTE;
    h.advance(10 * MINUTE - 1);
    expect(h.state.phase).toBe('exam');
    h.advance(1);
    expect(h.state.phase).toBe('finished');
    expect(h.state.exam!.endedAt).toBe(h.now);
    expect([h.score(ana!), h.score(ben!), h.score(ids[2]!)]).toEqual([1, 2, 0]);
    expectRefused(h, { type: 'exam-answer', playerId: ben!, questionId: qs(h)[2]!.question.id, choices: right(h, 2) }, 'LATE');
    expectRefused(h, { type: 'exam-flag', playerId: ben!, questionId: qs(h)[2]!.question.id, flagged: true }, 'LATE');
    expect(h.view('player', ana!).exam!.result!.timedOut).toBe(false);
    expect(h.view('player', ben!).exam!.result!.timedOut).toBe(true);
  });

  it('scores 1 point per correct question and records every question with the per-player results', () => {
    const { h, ids } = exam({ questionCount: 4 });
    const [ana, ben, cai] = ids;
    for (let i = 0; i < 4; i++) answer(h, ana!, i, right(h, i));
    answer(h, ben!, 0, right(h, 0));
    answer(h, ben!, 1, wrong(h, 1));
    const before = h.effects.length;
    h.host('end'); // the host collects every sheet as it stands
    const effects: Effect[] = h.effects.slice(before);
    expect(h.state.phase).toBe('finished');
    expect([h.score(ana!), h.score(ben!), h.score(cai!)]).toEqual([4, 1, 0]);
    for (const p of Object.values(h.state.players)) {
      expect(p.score).toBe(h.state.scoreLog.filter((e) => e.playerId === p.id).reduce((s, e) => s + e.points, 0));
    }
    const closed = effects.flatMap((e) => (e.type === 'question-closed' ? [e.result] : []));
    expect(closed.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(closed[0]!.perPlayer).toEqual({
      [ana!]: { choices: right(h, 0), correct: true, points: 1, elapsedMs: null },
      [ben!]: { choices: right(h, 0), correct: true, points: 1, elapsedMs: null },
    });
    expect(closed[1]!.perPlayer[ben!]).toMatchObject({ correct: false, points: 0 });
    expect(closed[2]!.perPlayer[cai!]).toBeUndefined(); // unanswered
    expect(closed.every((r) => r.participants === 3)).toBe(true);
    expect(h.state.results).toEqual(closed);
  });

  it('pass/fail at the configured mark, compared exactly', () => {
    const { h, ids } = exam({ questionCount: 4, passPercent: 75 });
    const [ana, ben, cai] = ids;
    for (let i = 0; i < 3; i++) answer(h, ana!, i, right(h, i)); // 3/4 = 75%: pass
    for (let i = 0; i < 2; i++) answer(h, ben!, i, right(h, i)); // 2/4 = 50%: fail
    for (let i = 0; i < 4; i++) answer(h, cai!, i, right(h, i));
    h.host('end');
    const result = (id: string) => h.view('player', id).exam!.result!;
    expect(result(ana!)).toMatchObject({ correct: 3, total: 4, percent: 75, passMark: 75, passed: true });
    expect(result(ben!)).toMatchObject({ correct: 2, percent: 50, passed: false });
    expect(result(cai!)).toMatchObject({ correct: 4, percent: 100, passed: true });

    const strict = exam({ questionCount: 3, passPercent: 67 }).h; // 2/3 = 66.7%: not rounded up to 67
    const [dee] = strict.join('Dee');
    for (let i = 0; i < 2; i++) answer(strict, dee!, i, right(strict, i));
    strict.host('end');
    expect(strict.view('player', dee!).exam!.result!).toMatchObject({ percent: 67, passed: false });
  });

  it('debriefs each player per domain with every question, their choices, the answer and the explanation', () => {
    const { h, ids } = exam({ questionCount: 8 });
    const [ana] = ids;
    answer(h, ana!, 0, right(h, 0));
    answer(h, ana!, 1, wrong(h, 1));
    flag(h, ana!, 1, true);
    h.host('end');
    const r = h.view('player', ana!).exam!.result!;
    expect(r.questions).toHaveLength(8);
    expect(r.questions[0]).toMatchObject({ id: qs(h)[0]!.question.id, yourAnswer: right(h, 0), correctChoices: right(h, 0), correct: true, flagged: false });
    expect(r.questions[1]).toMatchObject({ yourAnswer: wrong(h, 1), correct: false, flagged: true, explanation: qs(h)[1]!.solution.explanation });
    expect(r.questions[2]).toMatchObject({ yourAnswer: null, correct: false });
    expect(r.questions[0]!.choices).toEqual(qs(h)[0]!.question.choices); // on-screen order, like the answers
    expect(r.byDomain.reduce((s, d) => s + d.total, 0)).toBe(8);
    expect(r.byDomain.reduce((s, d) => s + d.correct, 0)).toBe(1);
    const d0 = r.byDomain.find((d) => d.domain === qs(h)[0]!.question.domain)!;
    expect(d0.correct).toBeGreaterThanOrEqual(1);
    expect(Object.keys(DOMAIN_WEIGHT)).toEqual(expect.arrayContaining(r.byDomain.map((d) => d.domain)));
  });

  it('gives the host progress counts during the exam and the group debrief at the end, never choices', () => {
    const { h, ids } = exam({ questionCount: 4 });
    const [ana, ben] = ids;
    answer(h, ana!, 0, right(h, 0));
    answer(h, ana!, 1, wrong(h, 1));
    submit(h, ana!);
    answer(h, ben!, 0, right(h, 0));
    const host = h.view('host').exam!;
    expect(host.progress!.map((p) => [p.name, p.answered, p.submitted])).toEqual([
      ['Ana', 2, true],
      ['Ben', 1, false],
      ['Cai', 0, false],
    ]);
    expect(host.submittedCount).toBe(1);
    expect(host.questions).toBeNull();
    expect(host.mine).toBeNull();
    const json = JSON.stringify(h.view('host'));
    expect(json).not.toContain('choices":[');
    expect(json).not.toContain(qs(h)[0]!.solution.explanation);
    expect(JSON.stringify(h.view('player', ben!))).not.toContain(qs(h)[0]!.solution.explanation);

    h.host('end');
    const group = h.view('host').exam!.group!;
    expect(group.players.map((p) => [p.name, p.correct, p.percent, p.passed, p.submitted])).toEqual([
      ['Ana', 1, 25, false, true],
      ['Ben', 1, 25, false, false],
      ['Cai', 0, 0, false, false],
    ]);
    expect(group.byDomain.reduce((s, d) => s + d.total, 0)).toBe(12); // 4 questions × 3 players
    expect(group.byDomain.reduce((s, d) => s + d.correct, 0)).toBe(2);
    expect(h.view('host').exam!.progress).toBeNull();
    expect(h.view('player', ana!).exam!.group).toBeNull(); // the group view is the host's
  });

  it('pause freezes the shared clock and refuses answers; resume moves the deadline by the pause', () => {
    const { h, ids } = exam({ examMinutes: 10 });
    const [ana] = ids;
    const deadline = h.state.exam!.deadline;
    h.advance(4 * MINUTE);
    h.host('pause');
    expect(nextDeadline(h.state)).toBeNull();
    expectRefused(h, { type: 'exam-answer', playerId: ana!, questionId: qs(h)[0]!.question.id, choices: right(h, 0) }, 'PAUSED');
    h.advance(30 * MINUTE); // nothing fires while paused
    expect(h.state.phase).toBe('exam');
    expect(h.view('player', ana!).exam!.remainingMs).toBe(6 * MINUTE);
    h.host('resume');
    expect(h.state.exam!.deadline).toBe(deadline + 30 * MINUTE);
    expect(answer(h, ana!, 0, right(h, 0)).error).toBeNull();
    h.advance(6 * MINUTE - 1);
    expect(h.state.phase).toBe('exam');
    h.advance(1);
    expect(h.state.phase).toBe('finished');
    expect(h.score(ana!)).toBe(1);
  });

  it('cannot pause once the exam clock has run out, nor resume what is not paused', () => {
    const { h } = exam({ examMinutes: 10 });
    expectRefused(h, { type: 'resume', by: { role: 'host' } }, 'WRONG_PHASE');
    h.now += 10 * MINUTE;
    expectRefused(h, { type: 'pause', by: { role: 'host' } }, 'WRONG_PHASE');
  });

  it('a late joiner works on the same questions against the same clock', () => {
    const { h } = exam({ examMinutes: 10 });
    h.advance(5 * MINUTE);
    const [dee] = h.join('Dee');
    const v = h.view('player', dee!).exam!;
    expect(v.questions!.map((q) => q.id)).toEqual(qs(h).map((q) => q.question.id));
    expect(v.remainingMs).toBe(5 * MINUTE);
    expect(answer(h, dee!, 0, right(h, 0)).error).toBeNull();
  });
});
