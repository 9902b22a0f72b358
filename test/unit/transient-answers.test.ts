import { describe, expect, it } from 'vitest';
import { Transient, withEntry } from '../../server/game/transient.js';
import { nextDeadline } from '../../server/game/timers.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);
const PLAYERS = 300;

/** A Classic room of PLAYERS on its first question, and the answer actions of all but the last player. */
function openRoom() {
  const h = new Harness(bank, { mode: 'classic', timeLimitSec: 30, questionCount: 3 }, { maxPlayers: 1_000 });
  const ids = h.join(...Array.from({ length: PLAYERS }, (_, i) => `P${i}`));
  h.host('start');
  const questionId = h.state.questions[h.state.round!.index]!.question.id;
  const answers = ids.slice(0, -1).map((playerId, i) => ({ type: 'answer' as const, playerId, questionId, choices: [i % 2] }));
  return { h, ids, questionId, answers };
}

describe('transient answers (a big room adds answers to one copy per event-loop turn)', () => {
  it('gives the same states, effects and refusals as copying every time', () => {
    const copied = openRoom();
    const shared = openRoom();
    const window = new Transient();
    const actions = [...copied.answers, copied.answers[7]!, { ...copied.answers[0]!, playerId: 'nobody' }, { type: 'answer' as const, playerId: copied.ids.at(-1)!, questionId: copied.questionId, choices: [0] }];
    for (const action of actions) {
      copied.h.now += 3;
      shared.h.now += 3;
      const a = copied.h.reduce(copied.h.state, action, copied.h.now);
      const b = shared.h.reduce(shared.h.state, action, shared.h.now, window);
      expect(b.error?.code ?? null).toBe(a.error?.code ?? null);
      expect(b.effects).toEqual(a.effects);
      copied.h.state = a.state;
      shared.h.state = b.state;
    }
    // The last answer closed the question: both rooms scored the same answers the same way.
    expect(shared.h.state.phase).toBe('reveal');
    expect(shared.h.state).toEqual(copied.h.state);
  });

  it('never changes a state from before the window, and copies again in a new window', () => {
    const { h, answers } = openRoom();
    const before = h.state;
    const first = new Transient();
    let state = before;
    for (const action of answers.slice(0, 100)) state = h.reduce(state, action, h.now, first).state;
    expect(Object.keys(before.round!.answers)).toHaveLength(0);
    const afterFirst = state;
    const second = new Transient();
    for (const action of answers.slice(100, 200)) state = h.reduce(state, action, h.now, second).state;
    // The first window's copy is not the second's: the state handed out after the first stays as it was.
    expect(Object.keys(afterFirst.round!.answers)).toHaveLength(100);
    expect(Object.keys(state.round!.answers)).toHaveLength(200);
    // Without a window every answer copies, as before.
    const plain = h.reduce(state, answers[200]!, h.now);
    expect(plain.state.round!.answers).not.toBe(state.round!.answers);
    expect(Object.keys(state.round!.answers)).toHaveLength(200);
  });

  it('drops and returns in one window keep presence and its deadline as copying does', () => {
    const copied = openRoom();
    const shared = openRoom();
    const window = new Transient();
    const ids = copied.ids;
    // A Wi-Fi blip: a third drop one by one, the first dropper returns (the earliest drop moves on), more drop.
    const steps: [string, boolean][] = [...ids.slice(0, 100).map((id) => [id, false] as [string, boolean]), [ids[0]!, true], [ids[1]!, true], ...ids.slice(100, 150).map((id) => [id, false] as [string, boolean]), [ids[0]!, false]];
    let windowCopy: object | null = null;
    for (const [playerId, connected] of steps) {
      copied.h.now += 7;
      shared.h.now += 7;
      const action = { type: 'connection' as const, playerId, connected };
      copied.h.state = copied.h.reduce(copied.h.state, action, copied.h.now).state;
      const before = shared.h.state.players;
      shared.h.state = shared.h.reduce(shared.h.state, action, shared.h.now, window).state;
      // The window copies once, then changes its copy in place.
      if (windowCopy) expect(shared.h.state.players).toBe(windowCopy);
      else expect(shared.h.state.players).not.toBe(before);
      windowCopy = shared.h.state.players;
      expect(nextDeadline(shared.h.state)).toBe(nextDeadline(copied.h.state));
    }
    expect(shared.h.state).toEqual(copied.h.state);
    // The graces run out at the same moments in both rooms.
    for (const h of [copied.h, shared.h]) h.advance(60_000);
    expect(shared.h.state).toEqual(copied.h.state);
  });

  it('refuses a taken nickname in a window of joins as copying does, also one taken in the same window', () => {
    const copied = new Harness(bank, { mode: 'classic' }, { maxPlayers: 1_000 });
    const shared = new Harness(bank, { mode: 'classic' }, { maxPlayers: 1_000 });
    copied.join('Early');
    shared.join('Early');
    const window = new Transient();
    const names = [...Array.from({ length: 200 }, (_, i) => `N${i}`), 'n7', 'EARLY', 'Ｎ12', 'N200'];
    names.forEach((name, i) => {
      const action = { type: 'join' as const, playerId: `id${i}`, name };
      const a = copied.reduce(copied.state, action, copied.now);
      const b = shared.reduce(shared.state, action, shared.now, window);
      expect(b.error?.code ?? null, name).toBe(a.error?.code ?? null);
      copied.state = a.state;
      shared.state = b.state;
    });
    expect(shared.state.playerOrder).toHaveLength(202);
    expect(shared.state).toEqual(copied.state);
  });
});

describe('copies of id-keyed records', () => {
  it('are null-prototype dictionaries, so an id like __proto__ is an own key like any other', () => {
    const base = withEntry({ a: 1 }, 'b', 2, undefined);
    const odd = withEntry(base, '__proto__', 3, undefined);
    expect(Object.getPrototypeOf(odd)).toBeNull();
    expect(Object.keys(odd)).toEqual(['a', 'b', '__proto__']);
    expect(Object.hasOwn(odd, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(odd))).toEqual(JSON.parse('{"a":1,"b":2,"__proto__":3}'));
    expect(Object.keys(base)).toEqual(['a', 'b']); // the original is untouched
    const windowed = new Transient().set(odd, 'c', 4);
    expect(Object.getPrototypeOf(windowed)).toBeNull();
    expect(Object.keys(windowed)).toEqual(['a', 'b', '__proto__', 'c']);
  });
});
