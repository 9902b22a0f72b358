import { describe, expect, it } from 'vitest';
import { expectRefused, Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);
const PLAYER = { role: 'player', playerId: 'ana' } as const;


function playing(settings = {}) {
  const h = new Harness(bank, { questionCount: 3, ...settings });
  h.join('Ana', 'Ben');
  h.host('start');
  return h;
}

describe('refused actions leave the state unchanged', () => {
  it('answer to a stale question id', () => {
    const h = playing();
    const stale = h.qid;
    h.host('skip');
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: stale, choices: [0] }, 'STALE_QUESTION');
  });

  it('answer at or after the deadline, before the timer fired', () => {
    const h = playing();
    h.now += 20_000;
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: h.correct }, 'LATE');
  });

  it('answer after the timer already closed the question', () => {
    const h = playing();
    const q = h.qid;
    h.advance(20_000);
    expect(h.state.phase).toBe('reveal');
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: q, choices: [0] }, 'LATE');
  });

  it('second answer to the same question', () => {
    const h = playing();
    h.answer('ana', h.wrong);
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: h.correct }, 'ALREADY_ANSWERED');
  });

  it('buzz while locked out', () => {
    const h = playing({ mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false });
    h.buzz('ana');
    h.answer('ana', h.wrong);
    expectRefused(h, { type: 'buzz', playerId: 'ana', questionId: h.qid, latencyMs: 0 }, 'LOCKED_OUT');
  });

  it('buzz twice in one adjudication window, and buzz in a Classic game', () => {
    const h = playing({ mode: 'buzz', wordsPerSecond: 0, buzzCompensation: true });
    h.buzz('ana', 20);
    expectRefused(h, { type: 'buzz', playerId: 'ana', questionId: h.qid, latencyMs: 20 }, 'ALREADY_BUZZED');
    const c = playing();
    expectRefused(c, { type: 'buzz', playerId: 'ana', questionId: c.qid, latencyMs: 0 }, 'WRONG_PHASE');
  });

  it('non-host using every host action', () => {
    const h = new Harness(bank);
    h.join('Ana');
    for (const type of ['start', 'pause', 'resume', 'skip', 'reveal', 'next', 'end'] as const) {
      expectRefused(h, { type, by: PLAYER }, 'NOT_HOST');
    }
    expectRefused(h, { type: 'kick', by: PLAYER, playerId: 'ana' }, 'NOT_HOST');
    expectRefused(h, { type: 'lock', by: PLAYER, locked: true }, 'NOT_HOST');
    expectRefused(h, { type: 'configure', by: PLAYER, settings: { questionCount: 5 } }, 'NOT_HOST');
  });

  it('actions in the wrong phase', () => {
    const lobby = new Harness(bank);
    lobby.join('Ana');
    expectRefused(lobby, { type: 'answer', playerId: 'ana', questionId: 'architecture-0', choices: [0] }, 'WRONG_PHASE');
    for (const type of ['pause', 'resume', 'skip', 'reveal', 'next'] as const) {
      expectRefused(lobby, { type, by: { role: 'host' } }, 'WRONG_PHASE');
    }
    const h = playing();
    expectRefused(h, { type: 'start', by: { role: 'host' } }, 'WRONG_PHASE');
    expectRefused(h, { type: 'next', by: { role: 'host' } }, 'WRONG_PHASE');
    expectRefused(h, { type: 'resume', by: { role: 'host' } }, 'WRONG_PHASE');
    expectRefused(h, { type: 'configure', by: { role: 'host' }, settings: { timeLimitSec: 30 } }, 'WRONG_PHASE');
    h.host('pause');
    expectRefused(h, { type: 'pause', by: { role: 'host' } }, 'WRONG_PHASE');
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: [0] }, 'PAUSED');
    h.host('end');
    expectRefused(h, { type: 'end', by: { role: 'host' } }, 'WRONG_PHASE');
    expectRefused(h, { type: 'join', playerId: 'zed', name: 'Zed' }, 'WRONG_PHASE');
  });

  it('unknown player', () => {
    const h = playing();
    expectRefused(h, { type: 'answer', playerId: 'ghost', questionId: h.qid, choices: [0] }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'kick', by: { role: 'host' }, playerId: 'ghost' }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'connection', playerId: 'ghost', connected: false }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'set-team', playerId: 'ghost', team: null }, 'UNKNOWN_PLAYER');
  });

  it('invalid choices', () => {
    const h = playing();
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: [9] }, 'INVALID_CHOICE');
    expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: [0, 0] }, 'INVALID_CHOICE');
    if (h.question.question.type !== 'multiple') {
      expectRefused(h, { type: 'answer', playerId: 'ana', questionId: h.qid, choices: [0, 1] }, 'INVALID_CHOICE');
    }
  });

  it('join rules: nickname, uniqueness, team, cap, lock', () => {
    const h = new Harness(bank, { teams: ['Red'] }, { maxPlayers: 2 });
    h.join('Ana');
    expectRefused(h, { type: 'join', playerId: 'x1', name: '   ' }, 'NICKNAME_INVALID');
    expectRefused(h, { type: 'join', playerId: 'x2', name: 'An\u200Ba' }, 'NICKNAME_INVALID');
    expectRefused(h, { type: 'join', playerId: 'x3', name: 'x'.repeat(25) }, 'NICKNAME_INVALID');
    expectRefused(h, { type: 'join', playerId: 'x4', name: ' ANA ' }, 'NICKNAME_TAKEN');
    expectRefused(h, { type: 'join', playerId: 'x5', name: 'Ben', team: 'Green' }, 'UNKNOWN_TEAM');
    expectRefused(h, { type: 'join', playerId: 'ana', name: 'Other' }, 'BAD_REQUEST');
    h.join('Ben');
    expectRefused(h, { type: 'join', playerId: 'x6', name: 'Cai' }, 'ROOM_FULL');
  });

  it('start with nobody, and with a filter that matches nothing', () => {
    const h = new Harness(bank);
    expectRefused(h, { type: 'start', by: { role: 'host' } }, 'NO_PLAYERS');
    const empty = new Harness(makeBank(2, ['ebpf']), { domains: ['cluster-mesh'] });
    empty.join('Ana');
    expectRefused(empty, { type: 'start', by: { role: 'host' } }, 'NO_QUESTIONS');
  });

  it('settings out of range for the mode', () => {
    const h = new Harness(bank);
    expectRefused(h, { type: 'configure', by: { role: 'host' }, settings: { timeLimitSec: 0 } }, 'INVALID_SETTINGS');
    expectRefused(h, { type: 'configure', by: { role: 'host' }, settings: { teams: ['A', 'a'] } }, 'INVALID_SETTINGS');
    h.ok({ type: 'configure', by: { role: 'host' }, settings: { mode: 'study', timeLimitSec: 0 } });
    expect(h.state.settings.timeLimitSec).toBe(0);
  });

  it('a timeout with nothing due changes nothing', () => {
    const h = playing();
    const before = h.state;
    const r = h.act({ type: 'timeout' });
    expect(r.error).toBeNull();
    expect(r.state).toBe(before);
  });
});

describe('the selection rule shared by rooms, practice and exams', () => {
  it('names what is wrong with a selection', async () => {
    const { selectionProblem } = await import('../../shared/question.js');
    expect(selectionProblem('single', 4, [2])).toBeNull();
    expect(selectionProblem('multiple', 4, [0, 2])).toBeNull();
    expect(selectionProblem('single', 4, [])).toBe('pick a choice');
    expect(selectionProblem('single', 4, [4])).toBe('choices must be 0-3');
    expect(selectionProblem('single', 4, [1.5])).toBe('choices must be 0-3');
    expect(selectionProblem('multiple', 4, [1, 1])).toBe('a choice is listed twice');
    expect(selectionProblem('true-false', 2, [0, 1])).toBe('pick exactly one choice');
    expect(selectionProblem('multiple', 3, [0, 1, 2])).toBe('pick fewer than all choices');
  });
});
