import { describe, expect, it } from 'vitest';
import { protestsCsv } from '../../client/src/lib/export.js';
import { gameExport } from '../../server/game/export.js';
import { rankPlayers, rankTeams } from '../../server/game/summary.js';
import { expectRefused, Harness, HOST } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);
const PLAYER = { role: 'player', playerId: 'ana' } as const;

/** Ana right at 0.3 s, Ben wrong at 5 s, Cai right at 10 s; the first question is on its reveal. */
function revealed(settings = {}) {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 3, streakBonus: false, teams: ['Red', 'Blue'], ...settings });
  h.ok({ type: 'join', playerId: 'ana', name: 'Ana', team: 'Red' });
  h.ok({ type: 'join', playerId: 'ben', name: 'Ben', team: 'Blue' });
  h.ok({ type: 'join', playerId: 'cai', name: 'Cai', team: 'Blue' });
  h.host('start');
  const qid = h.qid;
  h.advance(300);
  h.answer('ana', h.correct);
  h.advance(4_700);
  h.answer('ben', h.wrong);
  h.advance(5_000);
  h.answer('cai', h.correct);
  expect(h.state.phase).toBe('reveal');
  return { h, qid };
}

const protest = (h: Harness, playerId: string, questionId: string, reason = 'B is also right per the docs') =>
  h.act({ type: 'protest', playerId, questionId, reason });
const decide = (h: Harness, protestId: string, decision: 'void' | 'rescore' | 'reject') => h.act({ type: 'decide-protest', by: HOST, protestId, decision });

describe('protests', () => {
  it('a protest at the reveal is filed; the host sees it, the protester sees only their own', () => {
    const { h, qid } = revealed();
    const r = protest(h, 'ben', qid, '  choice   B is also right  ');
    expect(r.error).toBeNull();
    expect(r.effects).toEqual([{ type: 'protest-filed', protest: expect.objectContaining({ id: '0:ben', reason: 'choice B is also right', decision: null }) }]);
    const host = h.view('host');
    expect(host.protests).toEqual([expect.objectContaining({ id: '0:ben', name: 'Ben', questionId: qid, questionIndex: 0, reason: 'choice B is also right', decision: null })]);
    expect(h.view('player', 'ben').me!.protest).toEqual({ id: '0:ben', questionId: qid, decision: null });
    expect(h.view('player', 'ana').me!.protest).toBeNull();
    expect(h.view('player', 'ana').protests).toBeNull();
  });

  it('refusals leave the state identical', () => {
    const { h, qid } = revealed();
    expectRefused(h, { type: 'protest', playerId: 'ben', questionId: 'nope-1', reason: 'x' }, 'UNKNOWN_QUESTION');
    expectRefused(h, { type: 'protest', playerId: 'ben', questionId: qid, reason: '   ' }, 'REASON_INVALID');
    expectRefused(h, { type: 'protest', playerId: 'ben', questionId: qid, reason: 'a'.repeat(301) }, 'REASON_INVALID');
    expectRefused(h, { type: 'protest', playerId: 'ben', questionId: qid, reason: 'bad\u200Bzero width' }, 'REASON_INVALID');
    expectRefused(h, { type: 'protest', playerId: 'zed', questionId: qid, reason: 'who am I' }, 'UNKNOWN_PLAYER');
    expect(protest(h, 'ben', qid, 'a'.repeat(300)).error).toBeNull();
    expectRefused(h, { type: 'protest', playerId: 'ben', questionId: qid, reason: 'again' }, 'ALREADY_PROTESTED');
    expectRefused(h, { type: 'decide-protest', by: PLAYER, protestId: '0:ben', decision: 'void' }, 'NOT_HOST');
    expectRefused(h, { type: 'decide-protest', by: HOST, protestId: '7:ben', decision: 'void' }, 'UNKNOWN_PROTEST');
    expect(protest(h, 'ana', qid, 'mine was right anyway').error).toBeNull();
    expectRefused(h, { type: 'decide-protest', by: HOST, protestId: '0:ana', decision: 'rescore' }, 'ALREADY_CORRECT');
  });

  it('not revealed yet, no answer, decide twice, exam mode', () => {
    const { h, qid } = revealed();
    h.host('next');
    h.host('next');
    expect(h.state.phase).toBe('question');
    expectRefused(h, { type: 'protest', playerId: 'ana', questionId: h.qid, reason: 'too early' }, 'NOT_REVEALED');
    // A later question of this game, not asked yet.
    const later = h.state.questions[2]!.question.id;
    expectRefused(h, { type: 'protest', playerId: 'ana', questionId: later, reason: 'too early' }, 'NOT_REVEALED');
    // The earlier, revealed question can still be protested while the game runs.
    expect(protest(h, 'ben', qid).error).toBeNull();
    expect(decide(h, '0:ben', 'reject').error).toBeNull();
    expectRefused(h, { type: 'decide-protest', by: HOST, protestId: '0:ben', decision: 'void' }, 'ALREADY_DECIDED');
    h.advance(20_000);
    // Cai gave no answer to the second question: nothing to re-judge.
    expectRefused(h, { type: 'protest', playerId: 'cai', questionId: h.qid, reason: 'timer' }, 'NOTHING_TO_PROTEST');

    const exam = new Harness(bank, { mode: 'exam', questionCount: 3 });
    exam.join('Ana');
    exam.host('start');
    expectRefused(exam, { type: 'protest', playerId: 'ana', questionId: exam.state.questions[0]!.question.id, reason: 'exam' }, 'WRONG_MODE');
  });

  it('void removes the question for everyone; leaderboard, teams, accuracy and export follow', () => {
    const { h, qid } = revealed();
    expect([h.score('ana'), h.score('ben'), h.score('cai')]).toEqual([1000, 0, 750]);
    expect(protest(h, 'ben', qid).error).toBeNull();
    const r = decide(h, '0:ben', 'void');
    expect(r.error).toBeNull();
    expect([h.score('ana'), h.score('ben'), h.score('cai')]).toEqual([0, 0, 0]);
    expect(h.state.scoreLog.filter((e) => e.questionId === qid)).toEqual([]);
    expect(Object.values(h.state.players).map((p) => p.streak)).toEqual([0, 0, 0]);
    expect(rankTeams(h.state).map((t) => t.score)).toEqual([0, 0]);
    expect(rankPlayers(h.state).map((p) => p.rank)).toEqual([1, 1, 1]);
    const effect = r.effects[0]!;
    expect(effect.type === 'protest-decided' && effect.corrections).toEqual([
      { playerId: 'ana', points: -1000, answered: -1, correct: -1, timeMs: -300 },
      { playerId: 'ben', points: -0, answered: -1, correct: 0, timeMs: -5000 },
      { playerId: 'cai', points: -750, answered: -1, correct: -1, timeMs: -10000 },
    ]);
    expect(h.view('host').reveal!.voided).toBe(true);
    expect(h.view('player', 'ben').me!.protest!.decision).toBe('void');
    // Another protest on a voided question is refused; the next question scores as usual.
    expectRefused(h, { type: 'protest', playerId: 'ana', questionId: qid, reason: 'mine too' }, 'QUESTION_VOIDED');
    h.host('next');
    h.host('next');
    h.answer('ana', h.correct);
    h.host('reveal');
    h.host('end');
    const ex = gameExport(h.state, h.now);
    expect(ex.questions[0]).toMatchObject({ id: qid, voided: true });
    expect(ex.answers.filter((a) => a.questionId === qid).map((a) => a.points)).toEqual([0, 0, 0]);
    expect(ex.protests).toEqual([expect.objectContaining({ questionId: qid, playerId: 'ben', name: 'Ben', decision: 'void', decidedAt: expect.any(String) })]);
    expect(ex.domains.reduce((s, d) => s + d.answered, 0)).toBe(1);
    expect(ex.players.find((p) => p.id === 'ana')!.score).toBe(h.score('ana'));
  });

  it('re-score gives the protester the points their answer time earns; others keep theirs', () => {
    const { h, qid } = revealed();
    expect(protest(h, 'ben', qid).error).toBeNull();
    const r = decide(h, '0:ben', 'rescore');
    expect(r.error).toBeNull();
    // 5 s of 20 s: round(1000 × (1 − 0.25/2)) = 875.
    expect([h.score('ana'), h.score('ben'), h.score('cai')]).toEqual([1000, 875, 750]);
    expect(h.state.players.ben!.streak).toBe(1);
    expect(rankTeams(h.state).find((t) => t.name === 'Blue')!.score).toBe(Math.round((875 + 750) / 2));
    expect(h.view('player', 'ben').me!.lastResult).toMatchObject({ correct: true, points: 875 });
    const effect = r.effects[0]!;
    expect(effect.type === 'protest-decided' && effect.corrections).toEqual([{ playerId: 'ben', points: 875, answered: 0, correct: 1, timeMs: 0 }]);
    expectRefused(h, { type: 'decide-protest', by: HOST, protestId: '0:ben', decision: 'rescore' }, 'ALREADY_DECIDED');
    h.host('end');
    // Decisions stay possible after the end; a new protest does not.
    expectRefused(h, { type: 'protest', playerId: 'ana', questionId: qid, reason: 'late' }, 'WRONG_PHASE');
    const ex = gameExport(h.state, h.now);
    expect(ex.protests![0]).toMatchObject({ playerId: 'ben', decision: 'rescore' });
    expect(ex.answers.find((a) => a.playerId === 'ben')).toMatchObject({ correct: true, points: 875 });
    const csv = protestsCsv(ex).split('\r\n');
    expect(csv[0]).toBe('question,question_id,player,reason,protested_at,decision,decided_at');
    expect(csv[1]).toMatch(new RegExp(`^1,${qid},Ben,B is also right per the docs,[^,]+,accepted: answer re-scored,\\d{4}-`));
  });

  it('re-score with the streak bonus counts the streak before that question; void then undoes it', () => {
    const h = new Harness(bank, { mode: 'classic', timeLimitSec: 20, questionCount: 3, streakBonus: true });
    h.join('Ana', 'Ben');
    h.host('start');
    h.answer('ana', h.correct);
    h.answer('ben', h.correct);
    h.host('next');
    h.host('next');
    h.answer('ana', h.correct);
    h.answer('ben', h.wrong);
    const q2 = h.qid;
    expect([h.score('ana'), h.score('ben')]).toEqual([2100, 1000]);
    protest(h, 'ben', q2);
    decide(h, '1:ben', 'rescore');
    expect(h.score('ben')).toBe(2100);
    expect(h.state.players.ben!.streak).toBe(2);
    protest(h, 'ana', q2);
    decide(h, '1:ana', 'void');
    expect([h.score('ana'), h.score('ben')]).toEqual([1000, 1000]);
    expect(h.state.players.ben!.streak).toBe(1);
  });

  it('Buzz-in re-score: an early wrong buzz (−5) becomes a power (+15)', () => {
    const h = new Harness(bank, { mode: 'buzz', questionCount: 2, wordsPerSecond: 2, buzzCompensation: false, timeLimitSec: 20 });
    h.join('Ana', 'Ben');
    h.host('start');
    h.buzz('ana');
    h.answer('ana', h.wrong);
    const qid = h.qid;
    expect(h.score('ana')).toBe(-5);
    h.host('reveal');
    expect(protest(h, 'ana', qid).error).toBeNull();
    expect(decide(h, '0:ana', 'rescore').error).toBeNull();
    expect(h.score('ana')).toBe(15);
    expect(h.state.scoreLog.filter((e) => e.playerId === 'ana')).toEqual([{ playerId: 'ana', questionId: qid, points: 15, reason: 'power' }]);
  });
});
