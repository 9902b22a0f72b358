import { describe, expect, it } from 'vitest';
import { countPromptWords, revealedPrompt } from '../../shared/prompt.js';
import { Harness } from '../helpers/harness.js';
import { makeBank, makeQuestion } from '../helpers/questions.js';
import { QuestionBank } from '../../server/game/bank.js';

// Ten-word prompts at 2 words/s: word 1 shows at once, the rest every 500 ms, choices at 4.5 s.
const bank = new QuestionBank(
  Array.from({ length: 6 }, (_, i) =>
    makeQuestion({ id: `buzz-q-${i}`, prompt: `Which component of Cilium does this thing number ${i} here?` }),
  ),
);
const READ_MS = 4_500;

function buzzGame(settings = {}) {
  const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 2, timeLimitSec: 20, questionCount: 3, buzzCompensation: false, ...settings });
  const [ana, ben, cai] = h.join('Ana', 'Ben', 'Cai');
  h.host('start');
  return { h, ana: ana!, ben: ben!, cai: cai! };
}

describe('Buzz-in reveal', () => {
  it('reveals the prompt word by word and shows choices only when it is complete', () => {
    const { h, ana } = buzzGame();
    expect(countPromptWords(h.question.question.prompt)).toBe(10);
    let v = h.view('player', ana);
    expect(v.question!.prompt).toBe('Which');
    expect(v.question!.choices).toBeNull();
    expect(h.view('host').question!.choices).toBeNull(); // the projector sees what the room sees
    h.advance(1_000);
    expect(h.view('player', ana).question!.prompt).toBe('Which component of');
    expect(h.state.round!.deadline).toBeNull();
    h.advance(READ_MS - 1_000);
    v = h.view('player', ana);
    expect(v.question!.promptComplete).toBe(true);
    expect(v.question!.choices).toHaveLength(4);
    expect(h.state.round!.deadline).toBe(h.now + 20_000);
  });

  it('speed 0 shows everything at once', () => {
    const { h, ana } = buzzGame({ wordsPerSecond: 0 });
    expect(h.view('player', ana).question!.choices).toHaveLength(4);
  });

  it('keeps fenced code blocks whole while revealing', () => {
    const prompt = 'Read this:\n```yaml\nkind: CiliumNetworkPolicy\nspec: {}\n```\nWhat happens?';
    expect(countPromptWords(prompt)).toBe(5);
    expect(revealedPrompt(prompt, 3)).toBe('Read this:\n```yaml\nkind: CiliumNetworkPolicy\nspec: {}\n```');
  });
});

describe('Buzz-in scoring', () => {
  it('power: +15 for a correct buzz before the choices appeared; the buzzer alone sees the choices', () => {
    const { h, ana, ben } = buzzGame();
    h.advance(1_000);
    expect(h.buzz(ana).error).toBeNull();
    expect(h.effects).toContainEqual({ type: 'buzz-won', playerId: ana });
    expect(h.view('player', ana).question!.choices).toHaveLength(4);
    expect(h.view('player', ben).question!.choices).toBeNull();
    expect(h.buzz(ben).error?.code).toBe('FLOOR_TAKEN');
    expect(h.answer(ben, h.correct).error?.code).toBe('NOT_YOUR_TURN');
    h.answer(ana, h.correct);
    expect(h.score(ana)).toBe(15);
    expect(h.state.phase).toBe('reveal');
  });

  it('+10 for a correct buzz after the choices appeared', () => {
    const { h, ana } = buzzGame();
    h.advance(READ_MS + 2_000);
    h.buzz(ana);
    h.answer(ana, h.correct);
    expect(h.score(ana)).toBe(10);
  });

  it('neg: −5 and lock-out for an early wrong answer; reading resumes where it stopped', () => {
    const { h, ana, ben } = buzzGame();
    h.advance(1_000); // 3 words shown, next word due at +1500
    h.buzz(ana);
    h.advance(3_000); // the floor freezes the reveal
    expect(h.state.round!.buzz!.revealedWords).toBe(3);
    h.answer(ana, h.wrong);
    expect(h.score(ana)).toBe(-5);
    expect(h.state.round!.buzz!.lockedOut).toEqual([ana]);
    expect(h.buzz(ana).error?.code).toBe('LOCKED_OUT');
    expect(h.answer(ana, h.correct).error?.code).toBe('LOCKED_OUT');
    h.advance(499);
    expect(h.state.round!.buzz!.revealedWords).toBe(3);
    h.advance(1);
    expect(h.state.round!.buzz!.revealedWords).toBe(4);
    h.buzz(ben);
    h.answer(ben, h.correct);
    expect(h.score(ben)).toBe(15);
  });

  it('a wrong answer after the choices appeared costs nothing but locks out', () => {
    const { h, ana } = buzzGame();
    h.advance(READ_MS);
    h.buzz(ana);
    h.answer(ana, h.wrong);
    expect(h.score(ana)).toBe(0);
    expect(h.view('player', ana).me!.lockedOut).toBe(true);
  });

  it('buzzer time-out after 7 s counts as a wrong answer', () => {
    const { h, ana } = buzzGame();
    h.advance(500);
    h.buzz(ana);
    h.advance(6_999);
    expect(h.state.round!.buzz!.floor?.playerId).toBe(ana);
    h.advance(1);
    expect(h.state.round!.buzz!.floor).toBeNull();
    expect(h.score(ana)).toBe(-5);
    expect(h.state.round!.buzz!.lockedOut).toContain(ana);
    expect(h.answer(ana, h.correct).error?.code).toBe('LOCKED_OUT');
  });

  it('an answer at the floor deadline is late', () => {
    const { h, ana } = buzzGame();
    h.advance(READ_MS);
    h.buzz(ana);
    const before = h.state;
    h.now += 7_000; // the timer has not fired yet
    const r = h.answer(ana, h.correct);
    expect(r.error?.code).toBe('LATE');
    expect(r.state).toBe(before);
  });

  it('everyone locked out: the question is revealed', () => {
    const { h, ana, ben, cai } = buzzGame();
    h.advance(READ_MS);
    for (const p of [ana, ben, cai]) {
      h.buzz(p);
      h.answer(p, h.wrong);
    }
    expect(h.state.phase).toBe('reveal');
    expect(h.view('player', ana).reveal!.correct).toEqual(h.correct);
  });

  it('no correct answer before time runs out: reveal, nobody scores', () => {
    const { h, ana, ben } = buzzGame();
    h.advance(READ_MS + 19_999);
    expect(h.state.phase).toBe('question');
    h.advance(1);
    expect(h.state.phase).toBe('reveal');
    expect([h.score(ana), h.score(ben)]).toEqual([0, 0]);
  });

  it('the question clock stands still while a player holds the floor', () => {
    const { h, ana } = buzzGame();
    h.advance(READ_MS + 5_000);
    expect(h.view('host').question!.remainingMs).toBe(15_000);
    h.buzz(ana);
    h.advance(6_000);
    expect(h.view('host').question!.remainingMs).toBe(15_000);
    h.answer(ana, h.wrong);
    expect(h.view('host').question!.remainingMs).toBe(15_000);
    h.advance(14_999);
    expect(h.state.phase).toBe('question');
    h.advance(1);
    expect(h.state.phase).toBe('reveal');
  });
});

describe('fair buzz arbitration', () => {
  it("the brief's example: 150 ms player buzzing 50 ms earlier beats the 10 ms player", () => {
    const { h, ana: far, ben: near } = buzzGame({ buzzCompensation: true, buzzCompensationCapMs: 250 });
    h.advance(READ_MS);
    const press = h.now;
    // The near player presses 50 ms after the far one; their buzz arrives first (press + 50 + 10).
    h.now = press + 60;
    h.buzz(near, 10);
    const firstArrival = h.now;
    expect(h.state.round!.buzz!.floor).toBeNull(); // the window is open
    h.now = press + 150;
    h.buzz(far, 150);
    h.fireNext();
    expect(h.state.round!.buzz!.floor!.playerId).toBe(far);
    expect(h.effects.filter((e) => e.type === 'buzz-won')).toEqual([{ type: 'buzz-won', playerId: far }]);
    // Winner announced within cap + 50 ms of the first arrival.
    expect(h.now - firstArrival).toBeLessThanOrEqual(250 + 50);
  });

  it('compensation is capped: a 1 s latency counts as 250 ms', () => {
    const { h, ana: slow, ben: fast } = buzzGame({ buzzCompensation: true, buzzCompensationCapMs: 250 });
    h.advance(READ_MS);
    h.buzz(fast, 0); // arrives at T, compensated T
    h.now += 200;
    h.buzz(slow, 1_000); // arrives at T+200, compensated only to T−50
    h.fireNext();
    expect(h.state.round!.buzz!.floor!.playerId).toBe(slow);
    const { h: h2, ana: slow2, ben: fast2 } = buzzGame({ buzzCompensation: true, buzzCompensationCapMs: 250 });
    h2.advance(READ_MS);
    h2.buzz(fast2, 0);
    h2.now += 249;
    expect(h2.buzz(slow2, 1_000).error).toBeNull(); // compensated to T−1: wins
    h2.now += 1;
    expect(h2.buzz('cai', 1_000).error?.code).toBe('FLOOR_TAKEN'); // window over
    h2.fireNext();
    expect(h2.state.round!.buzz!.floor!.playerId).toBe(slow2);
  });

  it('compensation off: first arrival wins at once, whatever the latency', () => {
    const { h, ana, ben } = buzzGame({ buzzCompensation: false });
    h.advance(READ_MS);
    h.buzz(ben, 10);
    expect(h.state.round!.buzz!.floor!.playerId).toBe(ben);
    expect(h.effects.at(-1)).toEqual({ type: 'buzz-won', playerId: ben });
    expect(h.buzz(ana, 150).error?.code).toBe('FLOOR_TAKEN');
  });

  it('power is judged on the compensated press time', () => {
    const { h, ana } = buzzGame({ buzzCompensation: true, buzzCompensationCapMs: 250 });
    h.advance(READ_MS + 100); // choices appeared 100 ms ago
    h.buzz(ana, 150); // pressed 50 ms before they could have appeared on screen
    h.fireNext();
    h.answer(ana, h.correct);
    expect(h.score(ana)).toBe(15);
  });

  it('a kicked floor holder releases the floor without penalty', () => {
    const { h, ana, ben } = buzzGame();
    h.advance(READ_MS);
    h.buzz(ana);
    h.ok({ type: 'kick', by: { role: 'host' }, playerId: ana });
    expect(h.state.round!.buzz!.floor).toBeNull();
    expect(h.buzz(ben).error).toBeNull();
  });
});

describe('Buzz-in results', () => {
  it('a full game keeps scores equal to the sum of scored events', () => {
    const { h, ana, ben, cai } = buzzGame({ questionCount: 3 });
    h.advance(1_000);
    h.buzz(ana);
    h.answer(ana, h.correct); // +15
    h.host('next');
    h.host('next');
    h.advance(READ_MS);
    h.buzz(ben);
    h.answer(ben, h.wrong); // 0
    h.buzz(cai);
    h.answer(cai, h.correct); // +10
    h.host('next');
    h.host('next');
    h.advance(500);
    h.buzz(cai);
    h.answer(cai, h.wrong); // −5
    h.advance(60_000);
    h.host('next');
    h.host('next');
    expect(h.state.phase).toBe('finished');
    expect([h.score(ana), h.score(ben), h.score(cai)]).toEqual([15, 0, 5]);
    const final = h.view('player', ana).final!;
    expect(final.podium.map((p) => p.id)).toEqual([ana, cai, ben]);
  });
});

it('makeBank stays usable for buzz games', () => {
  expect(makeBank(1).size).toBe(8);
});

describe('buzz window shortcut', () => {
  it('decides at once when every player who can still buzz has buzzed', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: true, buzzCompensationCapMs: 250 });
    h.join('Ana', 'Ben');
    h.host('start');
    h.buzz('ana', 5);
    expect(h.state.round!.buzz!.floor).toBeNull(); // Ben could still win: wait
    h.now += 30;
    h.buzz('ben', 100); // compensated to 70 ms earlier: Ben wins, decided now
    expect(h.state.round!.buzz!.floor!.playerId).toBe('ben');
    expect(h.state.round!.buzz!.adjudicateAt).toBeNull();
  });

  it('a lone eligible player takes the floor without a window', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: true });
    h.join('Ana', 'Ben');
    h.host('start');
    h.buzz('ana');
    h.answer('ana', h.wrong); // Ana locked out: Ben is the only one left
    h.buzz('ben', 50);
    expect(h.state.round!.buzz!.floor!.playerId).toBe('ben');
  });
});
