import { describe, expect, it } from 'vitest';
import { normalizeNickname } from '../../shared/nickname.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(4);

/** Refusals a player can read on their phone: plain sentences, no ids, no phases, no schema words. */
describe('refusal messages speak to people', () => {
  it('nickname problems', () => {
    expect(normalizeNickname('   ')).toEqual({ ok: false, reason: 'Pick a nickname first' });
    expect(normalizeNickname('x'.repeat(25))).toEqual({ ok: false, reason: 'Keep your nickname to 24 characters or fewer' });
    expect(normalizeNickname('a\u200bb')).toMatchObject({ ok: false, reason: expect.stringMatching(/^Use letters, numbers or emoji/) });
    const h = new Harness(bank);
    h.join('Ana');
    expect(h.act({ type: 'join', playerId: 'p2', name: 'ANA' }).error).toEqual({ code: 'NICKNAME_TAKEN', message: 'Someone here is already called "ANA": pick another nickname' });
    expect(h.act({ type: 'join', playerId: 'p3', name: '' }).error).toEqual({ code: 'NICKNAME_INVALID', message: 'Pick a nickname first' });
  });

  it('locked, kicked, too late, not open yet, wrong moment', () => {
    const h = new Harness(bank, { questionCount: 2, getReadySec: 3 });
    const [ana] = h.join('Ana', 'Ben');
    h.ok({ type: 'lock', by: { role: 'host' }, locked: true });
    expect(h.act({ type: 'join', playerId: 'cai', name: 'Cai' }).error?.message).toBe('The host has locked this room: ask them to unlock it');
    h.host('start');
    expect(h.answer(ana!, [0]).error?.message).toBe('Get ready: the question opens in a moment');
    h.advance(3_000 + 20_000);
    expect(h.act({ type: 'answer', playerId: ana!, questionId: h.qid, choices: [0] }).error?.message).toBe('Too late: the question closed');
    expect(h.act({ type: 'next', by: { role: 'player', playerId: ana! } }).error?.message).toBe('Only the host can do that');
    expect(h.act({ type: 'pause', by: { role: 'host' } }).error?.message).toBe('You cannot pause right now (the game is showing the answer)');
    h.ok({ type: 'kick', by: { role: 'host' }, playerId: ana! });
    expect(h.answer(ana!, [0]).error).toEqual({ code: 'KICKED', message: 'The host removed you from this room' });
  });
});
