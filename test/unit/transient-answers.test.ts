import { describe, expect, it } from 'vitest';
import { Transient } from '../../server/game/transient.js';
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
});
