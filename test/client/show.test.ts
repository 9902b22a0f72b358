import { describe, expect, it } from 'vitest';
import { cuesFor, isGettingReady } from '../../client/src/lib/cues.js';
import { displayUrl, isLoopbackUrl } from '../../client/src/lib/join.js';
import { humanError, isTooLate } from '../../client/src/lib/messages.js';
import { podiumSteps, rankChanges, revealOrder } from '../../client/src/lib/podium.js';
import { SoundBoard } from '../../client/src/lib/sound.js';
import type { PlayerSummary } from '../../shared/protocol/views.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const player = (id: string, score: number, rank = 0): PlayerSummary => ({ id, name: id, team: null, score, rank, connected: true });

describe('podium', () => {
  it('puts players who tie on the same step and leaves the next place empty', () => {
    const steps = podiumSteps([player('a', 900), player('b', 500), player('c', 500), player('d', 100)]);
    expect(steps.map((s) => [s.place, s.players.map((p) => p.id)])).toEqual([
      [1, ['a']],
      [2, ['b', 'c']],
    ]);
  });
  it('shares first place and goes on with third', () => {
    const steps = podiumSteps([player('a', 10), player('b', 10), player('c', 7), player('d', 3)]);
    expect(steps.map((s) => [s.place, s.players.map((p) => p.id)])).toEqual([
      [1, ['a', 'b']],
      [3, ['c']],
    ]);
  });
  it('reveals third, then second, then first', () => {
    const steps = podiumSteps([player('a', 3), player('b', 2), player('c', 1)]);
    expect(revealOrder(steps).map((s) => s.place)).toEqual([3, 2, 1]);
  });
  it('measures rank changes since the previous leaderboard', () => {
    const moved = rankChanges(new Map([['a', 1], ['b', 2]]), [player('b', 9, 1), player('a', 5, 2), player('c', 1, 3)]);
    expect([...moved]).toEqual([['b', 1], ['a', -1], ['c', null]]);
  });
});

describe('show cues', () => {
  const bank = makeBank(4);
  it('calls each game moment by its cue on the projector', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false, getReadySec: 3 });
    h.join('Ana');
    const lobby = h.view('host');
    h.join('Ben', 'Cai');
    const joined = h.view('host');
    expect(cuesFor(lobby, joined, 'host').cues).toEqual(['join']);
    h.host('start');
    const ready = h.view('host');
    expect(isGettingReady(ready)).toBe(true);
    expect(cuesFor(joined, ready, 'host').cues).toEqual(['ready']);
    h.advance(3_000);
    const open = h.view('host');
    expect(isGettingReady(open)).toBe(false);
    expect(cuesFor(ready, open, 'host').cues).toEqual(['question']);
    h.buzz('ana');
    const buzzed = h.view('host');
    expect(cuesFor(open, buzzed, 'host').cues).toEqual(['buzz']);
    h.answer('ana', h.wrong);
    const wrong = h.view('host');
    expect(cuesFor(buzzed, wrong, 'host').cues).toEqual(['wrong']);
    h.buzz('ben');
    const second = h.view('host');
    h.answer('ben', h.correct);
    expect(cuesFor(second, h.view('host'), 'host').cues).toEqual(['right']);
  });
  it('gives a phone its result and a vibration on a won buzz', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false, getReadySec: 0 });
    h.join('Ana', 'Ben');
    h.host('start');
    const before = h.view('player', 'ana');
    h.buzz('ana');
    const floor = h.view('player', 'ana');
    expect(cuesFor(before, floor, 'phone').haptics).toEqual(['buzz-won']);
    h.answer('ana', h.correct);
    const result = cuesFor(floor, h.view('player', 'ana'), 'phone');
    expect(result).toEqual({ cues: ['right'], haptics: ['right'] });
  });
  it('reveals a Classic question with the reveal cue', () => {
    const h = new Harness(bank, { getReadySec: 0 });
    h.join('Ana');
    h.host('start');
    const open = h.view('host');
    h.answer('ana', h.wrong);
    expect(cuesFor(open, h.view('host'), 'host').cues).toEqual(['reveal']);
  });
});

describe('sound board', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };
  it('is on for the host and silent on phones until asked, and remembers the choice', () => {
    const kv = memory();
    expect(new SoundBoard('host', kv).prefs.muted).toBe(false);
    const phone = new SoundBoard('phone', kv);
    expect(phone.prefs.muted).toBe(true);
    phone.set({ muted: false, volume: 0.3 });
    expect(new SoundBoard('phone', kv).prefs).toEqual({ muted: false, volume: 0.3 });
  });
  it('stops the lobby loop when muted and brings it back when unmuted in the lobby', () => {
    const board = new SoundBoard('host', memory());
    board.startLoop();
    expect(board.looping).toBe(true);
    board.set({ muted: true });
    expect(board.looping).toBe(false);
    board.set({ muted: false });
    expect(board.looping).toBe(true);
    board.stopLoop();
    board.set({ muted: false });
    expect(board.looping).toBe(false);
  });
});

describe('join link and messages', () => {
  it('spots links that only work on this machine', () => {
    expect(isLoopbackUrl('http://localhost:3000/join/ABC')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1:3000/join/ABC')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:3000/join/ABC')).toBe(true);
    expect(isLoopbackUrl('http://192.168.1.20:3000/join/ABC')).toBe(false);
    expect(displayUrl('https://quiz.example.org/join/K7WQ3M')).toBe('quiz.example.org/join/K7WQ3M');
  });
  it('speaks plainly and knows a closed question when it sees one', () => {
    expect(humanError({ code: 'ROOM_LOCKED', message: 'room is locked' })).toMatch(/host has locked/);
    expect(humanError({ code: 'NICKNAME_INVALID', message: 'Pick a nickname first' })).toBe('Pick a nickname first');
    expect(isTooLate('LATE')).toBe(true);
    expect(isTooLate('STALE_QUESTION')).toBe(true);
    expect(isTooLate('ALREADY_ANSWERED')).toBe(false);
  });
});
