import { describe, expect, it } from 'vitest';
import { QuestionBank } from '../../server/game/bank.js';
import { Harness, HOST, expectRefused } from '../helpers/harness.js';
import { makeBank, makeQuestion } from '../helpers/questions.js';

const bank = makeBank(6);
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('prototype keys are no players', () => {
  it.each(PROTO_KEYS)('kicking %s is UNKNOWN_PLAYER: no phantom ban, no kicked effect', (key) => {
    const h = new Harness(bank);
    h.join('Ana');
    expectRefused(h, { type: 'kick', by: HOST, playerId: key }, 'UNKNOWN_PLAYER');
    expect(h.state.banned).toEqual([]);
  });

  it.each(PROTO_KEYS)('a player action from seat %s is UNKNOWN_PLAYER', (key) => {
    const h = new Harness(bank, { questionCount: 2 });
    h.join('Ana');
    h.host('start');
    expectRefused(h, { type: 'answer', playerId: key, questionId: h.qid, choices: [0] }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'set-team', playerId: key, team: null }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'connection', playerId: key, connected: false }, 'UNKNOWN_PLAYER');
  });

  it('a seat may be named like a prototype key and still be a seat of its own', () => {
    const h = new Harness(bank);
    h.ok({ type: 'join', playerId: 'constructor', name: 'Ana' });
    h.ok({ type: 'kick', by: HOST, playerId: 'constructor' });
    expect(h.state.banned).toEqual(['constructor']);
  });
});

describe('a kick bans the seat, the profile and the nickname until the host lifts it', () => {
  function kicked() {
    const h = new Harness(bank);
    h.ok({ type: 'join', playerId: 'ana', name: 'Ana', profileId: 'prof-1' });
    h.join('Ben');
    h.advance(1_000);
    h.ok({ type: 'kick', by: HOST, playerId: 'ana' });
    return h;
  }

  it('the same nickname (any case or width) is refused under a new seat', () => {
    const h = kicked();
    expectRefused(h, { type: 'join', playerId: 'ana2', name: 'ana' }, 'KICKED');
    expectRefused(h, { type: 'join', playerId: 'ana3', name: 'ＡＮＡ' }, 'KICKED');
  });

  it('the same practice profile is refused under another nickname', () => {
    const h = kicked();
    expectRefused(h, { type: 'join', playerId: 'x1', name: 'Totally new', profileId: 'prof-1' }, 'KICKED');
  });

  it('the same connection is refused under another nickname', () => {
    const h = kicked();
    expectRefused(h, { type: 'join', playerId: 'x2', name: 'Someone', formerPlayerId: 'ana' }, 'KICKED');
  });

  it('the host view lists the ban with its time; players see no bans', () => {
    const h = kicked();
    expect(h.view('host').bans).toEqual([{ playerId: 'ana', name: 'Ana', at: 1_001_000 }]);
    expect(h.view('player', 'ben').bans).toBeNull();
  });

  it('unban lifts all three; only the host may unban; unknown ids are refused', () => {
    const h = kicked();
    expectRefused(h, { type: 'unban', by: { role: 'player', playerId: 'ben' }, playerId: 'ana' }, 'NOT_HOST');
    expectRefused(h, { type: 'unban', by: HOST, playerId: 'ben' }, 'UNKNOWN_PLAYER');
    expectRefused(h, { type: 'unban', by: HOST, playerId: '__proto__' }, 'UNKNOWN_PLAYER');
    h.ok({ type: 'unban', by: HOST, playerId: 'ana' });
    expect(h.view('host').bans).toEqual([]);
    h.ok({ type: 'join', playerId: 'ana2', name: 'Ana', profileId: 'prof-1', formerPlayerId: 'ana' });
    expect(h.state.players['ana2']!.score).toBe(0);
  });

  it('a ban outlives the lobby: a kicked nickname stays out mid-game', () => {
    const h = kicked();
    h.host('start');
    expectRefused(h, { type: 'join', playerId: 'late', name: 'ANA' }, 'KICKED');
  });
});

describe('buzzing twice', () => {
  const buzzBank = new QuestionBank(Array.from({ length: 3 }, (_, i) => makeQuestion({ id: `bz-${i}`, prompt: `Which Cilium component number ${i} does this?` })));

  it('the floor holder buzzing again gets ALREADY_BUZZED, not FLOOR_TAKEN', () => {
    const h = new Harness(buzzBank, { mode: 'buzz', wordsPerSecond: 0, timeLimitSec: 20, questionCount: 2, buzzCompensation: false });
    const [ana, ben] = h.join('Ana', 'Ben');
    h.host('start');
    h.ok({ type: 'buzz', playerId: ana!, questionId: h.qid, latencyMs: 0 });
    expect(h.state.round!.buzz!.floor?.playerId).toBe(ana);
    expectRefused(h, { type: 'buzz', playerId: ana!, questionId: h.qid, latencyMs: 0 }, 'ALREADY_BUZZED');
    expectRefused(h, { type: 'buzz', playerId: ben!, questionId: h.qid, latencyMs: 0 }, 'FLOOR_TAKEN');
  });

  it('a pending buzz after its window closed is still ALREADY_BUZZED for its owner', () => {
    const h = new Harness(buzzBank, { mode: 'buzz', wordsPerSecond: 0, timeLimitSec: 20, questionCount: 2, buzzCompensation: true, buzzCompensationCapMs: 250 });
    const [ana] = h.join('Ana', 'Ben');
    h.host('start');
    h.ok({ type: 'buzz', playerId: ana!, questionId: h.qid, latencyMs: 0 });
    expect(h.state.round!.buzz!.pending).toHaveLength(1);
    expectRefused(h, { type: 'buzz', playerId: ana!, questionId: h.qid, latencyMs: 0 }, 'ALREADY_BUZZED');
  });
});
