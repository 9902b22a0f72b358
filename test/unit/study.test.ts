import { describe, expect, it } from 'vitest';
import { gameExport } from '../../server/game/export.js';
import { nextDeadline } from '../../server/game/timers.js';
import { outlineDomainIds, outlineDomainOf } from '../../shared/curriculum.js';
import { DEFAULT_SETTINGS, RoomSettingsSchema, mergeSettings } from '../../shared/settings.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(3);

/** Three players, three questions: Ana right, right, none; Ben wrong, right, right; Cai none, wrong, right. */
function played(settings: object = {}) {
  const h = new Harness(bank, { mode: 'study', questionCount: 3, ...settings });
  const [ana, ben, cai] = h.join('Ana', 'Ben', 'Cai') as [string, string, string];
  const plan: Record<string, ('right' | 'wrong' | null)[]> = { [ana]: ['right', 'right', null], [ben]: ['wrong', 'right', 'right'], [cai]: [null, 'wrong', 'right'] };
  h.host('start');
  for (let q = 0; q < 3; q++) {
    for (const id of [ana, ben, cai]) {
      const how = plan[id]![q];
      if (how) h.answer(id, how === 'right' ? h.correct : h.wrong);
    }
    h.host('reveal');
    h.host('next');
  }
  return { h, ana, ben, cai };
}

describe('Study mode defaults', () => {
  it('has no timer unless one is set, and no points unless scoring is on', () => {
    expect(RoomSettingsSchema.parse({ mode: 'study' }).timeLimitSec).toBe(0);
    expect(RoomSettingsSchema.parse({ mode: 'study', timeLimitSec: 45 }).timeLimitSec).toBe(45);
    expect(DEFAULT_SETTINGS.studyScoring).toBe(false);
    // The host switching a Classic room to Study gets a host-paced room; a timer named with it stays.
    const m = mergeSettings(DEFAULT_SETTINGS, { mode: 'study' });
    expect(m.ok && m.settings.timeLimitSec).toBe(0);
    const t = mergeSettings(DEFAULT_SETTINGS, { mode: 'study', timeLimitSec: 60 });
    expect(t.ok && t.settings.timeLimitSec).toBe(60);

    const h = new Harness(bank, { mode: 'study', questionCount: 2 });
    const [ana, ben] = h.join('Ana', 'Ben') as [string, string];
    h.host('start');
    expect(h.state.round!.deadline).toBeNull();
    expect(h.view('player', ana).question!.deadline).toBeNull();
    h.answer(ana, h.correct);
    h.advance(3_600_000); // an hour: nothing closes the question but the host
    expect(h.state.phase).toBe('question');
    expect(nextDeadline(h.state)).toBeNull();
    h.answer(ben, h.correct);
    expect(h.state.phase).toBe('question'); // everyone answered: still the host's call
    h.host('reveal');
    expect(h.score(ana)).toBe(0);
    expect(h.state.scoreLog).toEqual([]);
    const me = h.view('player', ana).me!;
    expect(me.lastResult).toMatchObject({ correct: true, points: 0 });
    expect(h.view('player', ana).reveal).toMatchObject({ explanation: h.question.solution.explanation, sourceUrl: h.question.solution.sourceUrl });
  });

  it('a timer the host sets closes the question; scoring on gives the flat 1000, never speed or streaks', () => {
    const h = new Harness(bank, { mode: 'study', questionCount: 2, timeLimitSec: 30, studyScoring: true });
    const [ana] = h.join('Ana') as [string];
    h.host('start');
    expect(h.state.round!.deadline).toBe(h.now + 30_000);
    h.advance(29_000);
    h.answer(ana, h.correct);
    expect(h.state.phase).toBe('question');
    h.advance(1_000);
    expect(h.state.phase).toBe('reveal');
    expect(h.score(ana)).toBe(1000);
    h.host('next');
    h.answer(ana, h.correct);
    h.host('reveal');
    expect(h.score(ana)).toBe(2000);
  });
});

describe('the study report', () => {
  it('carries the grid, each question with its answer, and the most missed with answers', () => {
    const { h, ana, ben, cai } = played();
    expect(h.state.phase).toBe('finished');
    const host = h.view('host').final!;
    expect(host.grid!.map((r) => [r.name, r.marks, r.right, r.answered])).toEqual([
      ['Ana', ['right', 'right', 'none'], 2, 2],
      ['Ben', ['wrong', 'right', 'right'], 2, 3],
      ['Cai', ['none', 'wrong', 'right'], 1, 2],
    ]);
    expect(host.questions).toHaveLength(3);
    host.questions!.forEach((q, i) => {
      const gq = h.state.questions[i]!;
      expect(q).toMatchObject({ index: i, questionId: gq.question.id, correct: gq.solution.answer, explanation: gq.solution.explanation, sourceUrl: gq.solution.sourceUrl });
      expect(q.choices).toEqual(gq.question.choices);
    });
    expect(host.questions!.map((q) => [q.answered, q.correctCount, q.participants])).toEqual([[2, 1, 3], [3, 2, 3], [2, 2, 3]]);
    // The first question had one right of three: most missed, with its answer and explanation.
    const first = h.state.questions[0]!;
    expect(host.mostMissed[0]).toMatchObject({ questionId: first.question.id, correct: first.solution.answer, explanation: first.solution.explanation, sourceUrl: first.solution.sourceUrl });
    expect(host.mostMissed[0]!.choices).toEqual(first.question.choices);

    // Phones: their own row and (in Study) the questions, never the others' rows.
    const phone = h.view('player', cai).final!;
    expect(phone.grid).toBeNull();
    expect(phone.mine).toMatchObject({ playerId: cai, marks: ['none', 'wrong', 'right'] });
    expect(phone.mine!.choices[0]).toBeNull();
    expect(phone.questions).toHaveLength(3);
    expect(JSON.stringify(phone)).not.toContain('"marks":["right","right","none"]'); // Ana's row
    expect(h.view('player', ana).final!.mine!.marks).toEqual(['right', 'right', 'none']);
    expect(h.view('spectator').final!.mine).toBeNull();
    expect(h.view('player', ben).final!.mine!.right).toBe(2);
  });

  it('group accuracy per domain follows the room outline, for both outlines', () => {
    for (const outline of ['cca-2024', 'cca-2025'] as const) {
      const { h } = played({ outline, blueprintWeighted: false });
      const final = h.view('host').final!;
      const ids = outlineDomainIds(outline) as string[];
      for (const d of final.domainAccuracy) expect(ids).toContain(d.domain);
      // Expected: answered and right counts per outline domain of each question.
      const want = new Map<string, { answered: number; correct: number }>();
      const perQuestion = [[2, 1], [3, 2], [2, 2]];
      h.state.questions.forEach((gq, i) => {
        const d = outlineDomainOf(gq.question, outline);
        const a = want.get(d) ?? { answered: 0, correct: 0 };
        want.set(d, { answered: a.answered + perQuestion[i]![0]!, correct: a.correct + perQuestion[i]![1]! });
      });
      expect(new Map(final.domainAccuracy.map((d) => [d.domain, { answered: d.answered, correct: d.correct }]))).toEqual(want);
      for (const q of final.questions!) expect(ids).toContain(q.domain);
      const e = gameExport(h.state, h.now);
      expect(e.outline).toBe(outline);
      expect(e.grid!.map((r) => r.marks)).toEqual(final.grid!.map((r) => r.marks));
      expect(e.questions.map((q) => q.outlineDomain)).toEqual(final.questions!.map((q) => q.domain));
    }
  });

  it('marks a voided question in the grid and counts it for nobody', () => {
    const h = new Harness(bank, { mode: 'study', questionCount: 1 });
    const [ana] = h.join('Ana') as [string];
    h.host('start');
    h.answer(ana, h.wrong);
    h.host('reveal');
    h.ok({ type: 'protest', playerId: ana, questionId: h.qid, reason: 'Two choices are right' });
    h.ok({ type: 'decide-protest', by: { role: 'host' }, protestId: h.state.protests![0]!.id, decision: 'void' });
    h.host('next');
    const final = h.view('host').final!;
    expect(final.grid![0]!.marks).toEqual(['void']);
    expect(final.grid![0]!.answered).toBe(0);
    expect(final.questions![0]!.voided).toBe(true);
  });

  it('nothing answer-related reaches any view before the end', () => {
    const h = new Harness(bank, { mode: 'study', questionCount: 2 });
    const [ana] = h.join('Ana', 'Ben') as [string, string];
    const check = () => {
      for (const v of [h.view('host'), h.view('spectator'), h.view('player', ana)]) {
        expect(v.final).toBeNull();
        const json = JSON.stringify(v);
        for (const key of ['"grid"', '"marks"', '"mostMissed"', '"mine"']) expect(json).not.toContain(key);
        if (h.state.phase === 'question') {
          expect(json).not.toContain(h.question.solution.sourceUrl);
          expect(json).not.toContain('"correct"');
        }
      }
    };
    check();
    h.host('start');
    check();
    h.answer(ana, h.correct);
    check();
    h.host('reveal');
    check();
    h.host('next');
    check();
    h.host('reveal');
    check();
    h.host('next');
    expect(h.view('host').final!.grid).toHaveLength(2);
  });

  it('Classic keeps the podium, and its most missed now carry the answers', () => {
    const h = new Harness(bank, { questionCount: 1 });
    const [ana] = h.join('Ana') as [string];
    h.host('start');
    h.answer(ana, h.wrong);
    h.host('next');
    h.host('next');
    const phone = h.view('player', ana).final!;
    expect(phone.questions).toBeNull(); // a quiz night's phones stay small
    expect(phone.mostMissed[0]).toMatchObject({ correct: h.correct, explanation: h.question.solution.explanation });
    expect(h.view('host').final!.grid![0]!.marks).toEqual(['wrong']);
  });
});
