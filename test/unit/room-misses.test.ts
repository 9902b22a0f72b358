import { describe, expect, it } from 'vitest';
import type { QuestionResult } from '../../server/game/state.js';
import { newPlayerPractice } from '../../server/practice/engine.js';
import { addRoomMisses, FED_KEPT, roomMisses, type RoomMiss } from '../../server/practice/room-misses.js';
import type { RoomSettingsPatch } from '../../shared/settings.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(6);

/** Every profile is `p-<player id>`: ana, ben, cai… */
const profilesOf = (h: Harness) => Object.keys(h.state.players).map((id) => [id, `p-${id}`] as const);

/** The misses of every question that closed since the last call, from the state right after it closed. */
function closedMisses(h: Harness, step: () => void): RoomMiss[] {
  const before = h.effects.length;
  step();
  const closed = h.effects.slice(before).filter((e): e is { type: 'question-closed'; result: QuestionResult } => e.type === 'question-closed');
  expect(closed.length).toBeGreaterThan(0);
  return closed.flatMap((e) => roomMisses(h.state, e.result, profilesOf(h)));
}
const who = (misses: RoomMiss[]) => misses.map((m) => m.profileId).sort();

function game(settings: RoomSettingsPatch, names = ['Ana', 'Ben', 'Cai']) {
  const h = new Harness(bank, { questionCount: 3, ...settings }, { presenceGraceMs: 1_000 });
  const ids = h.join(...names);
  h.host('start');
  return { h, ids };
}

describe('room misses: which closed questions feed a profile', () => {
  it('Classic: a wrong answer and a present silence are misses, a right answer is not', () => {
    const { h } = game({ mode: 'classic', timeLimitSec: 20 });
    const misses = closedMisses(h, () => {
      h.answer('ana', h.correct);
      h.answer('ben', h.wrong);
      h.advance(20_000); // Cai stays silent until the clock runs out
    });
    expect(who(misses)).toEqual(['p-ben', 'p-cai']);
    expect(misses[0]!.questionId).toBe(h.qid);
    expect(new Set(misses.map((m) => m.key))).toEqual(new Set([`ABCDEF:${h.state.createdAt}:${h.qid}`]));
  });

  it('a player who joined after the question opened, or had left, did not miss it by silence', () => {
    const { h } = game({ mode: 'classic', timeLimitSec: 20 });
    h.act({ type: 'connection', playerId: 'cai', connected: false });
    h.advance(2_000); // past the presence grace: Cai is away
    h.join('Dee', 'Eve');
    const misses = closedMisses(h, () => {
      h.answer('eve', h.wrong); // a late joiner who answers wrong did miss it
      h.advance(20_000);
    });
    expect(who(misses)).toEqual(['p-ana', 'p-ben', 'p-eve']);
  });

  it('Study: the host reveals; silence and wrong answers are misses', () => {
    const { h } = game({ mode: 'study', timeLimitSec: 0 });
    const misses = closedMisses(h, () => {
      h.answer('ana', h.wrong);
      h.answer('ben', h.correct);
      h.host('reveal');
    });
    expect(who(misses)).toEqual(['p-ana', 'p-cai']);
  });

  it('Buzz-in: only a wrong buzz answer or silence on the floor; never buzzing is not a miss', () => {
    const { h } = game({ mode: 'buzz', wordsPerSecond: 0, timeLimitSec: 20, buzzCompensation: false, buzzAnswerSec: 7 });
    const misses = closedMisses(h, () => {
      h.buzz('ana'); // no compensation: the floor at once
      expect(h.act({ type: 'answer', playerId: 'ana', questionId: h.qid, choices: h.wrong }).error).toBeNull();
      h.buzz('ben');
      h.advance(7_000); // Ben says nothing while holding the floor
      h.advance(20_000); // nobody else buzzes
    });
    expect(who(misses)).toEqual(['p-ana', 'p-ben']);
  });

  it('Buzz-in: the right buzz answer is no miss, and the others are not charged', () => {
    const { h } = game({ mode: 'buzz', wordsPerSecond: 0, timeLimitSec: 20, buzzCompensation: false });
    const misses = closedMisses(h, () => {
      h.buzz('ana');
      h.act({ type: 'answer', playerId: 'ana', questionId: h.qid, choices: h.correct });
    });
    expect(misses).toEqual([]);
  });

  it('room exam: every wrong or blank question of a submitted or collected sheet', () => {
    const { h } = game({ mode: 'exam', questionCount: 3, examMinutes: 10 }, ['Ana', 'Ben', 'Cai', 'Dee']);
    const qs = h.state.questions;
    const right = (i: number) => qs[i]!.solution.answer;
    const wrong = (i: number) => [[...qs[i]!.question.choices.keys()].find((c) => !right(i).includes(c))!];
    const exam = (playerId: string, i: number, choices: number[]) => h.ok({ type: 'exam-answer', playerId, questionId: qs[i]!.question.id, choices });
    exam('ana', 0, right(0));
    exam('ana', 1, wrong(1));
    h.ok({ type: 'exam-submit', playerId: 'ana' }); // question 2 blank
    exam('ben', 0, right(0));
    exam('ben', 1, right(1));
    exam('ben', 2, right(2)); // Ben's sheet is collected when the clock runs out
    h.act({ type: 'connection', playerId: 'dee', connected: false }); // Dee never touched the exam and left
    h.advance(2_000);
    const misses = closedMisses(h, () => h.advance(10 * 60_000));
    const byQuestion = (i: number) => who(misses.filter((m) => m.questionId === qs[i]!.question.id));
    expect(byQuestion(0)).toEqual(['p-cai']); // Cai was there all along: a blank sheet is collected
    expect(byQuestion(1)).toEqual(['p-ana', 'p-cai']);
    expect(byQuestion(2)).toEqual(['p-ana', 'p-cai']);
  });

  it('players without a profile are never in the list', () => {
    const { h } = game({ mode: 'classic', timeLimitSec: 20 });
    const before = h.effects.length;
    h.advance(20_000);
    const result = h.effects.slice(before).find((e) => e.type === 'question-closed') as { result: QuestionResult };
    expect(roomMisses(h.state, result.result, [['ben', 'p-ben']]).map((m) => m.profileId)).toEqual(['p-ben']);
    expect(roomMisses(h.state, result.result, [])).toEqual([]);
  });
});

describe('room misses into the review queue (pure)', () => {
  const miss = (questionId: string, room = 'ROOM1:1'): RoomMiss => ({ profileId: 'p', questionId, key: `${room}:${questionId}` });
  const t0 = Date.UTC(2026, 11, 1, 10);

  it('adds a card due soon; the same room and question again is a no-op, whenever it comes', () => {
    const first = addRoomMisses(newPlayerPractice(), [miss('q1')], t0)!;
    expect(first.added).toBe(1);
    const card = first.player.reviews.q1!;
    expect(new Date(card.due).getTime()).toBeGreaterThan(t0);
    expect(new Date(card.due).getTime()).toBeLessThanOrEqual(t0 + 10 * 60_000);
    expect(addRoomMisses(first.player, [miss('q1')], t0 + 3_600_000)).toBeNull();
    // Within one batch too (a result replayed twice in a row).
    const twice = addRoomMisses(newPlayerPractice(), [miss('q2'), miss('q2')], t0)!;
    expect(twice.added).toBe(1);
    expect(twice.player.fedMisses).toEqual(['ROOM1:1:q2']);
  });

  it('a miss in another room of a queued question is a lapse, not a fresh card', () => {
    const first = addRoomMisses(newPlayerPractice(), [miss('q1')], t0)!.player;
    const later = t0 + 2 * 86_400_000;
    const again = addRoomMisses(first, [miss('q1', 'ROOM2:5')], later)!.player;
    expect(again.reviews.q1!.reps).toBe(first.reviews.q1!.reps + 1);
    expect(new Date(again.reviews.q1!.due).getTime()).toBeGreaterThan(later);
    expect(again.fedMisses).toEqual(['ROOM1:1:q1', 'ROOM2:5:q1']);
  });

  it('keeps a bounded memory of fed keys', () => {
    const many = Array.from({ length: FED_KEPT + 5 }, (_, i) => miss(`q${i}`));
    expect(addRoomMisses(newPlayerPractice(), many, t0)!.player.fedMisses).toHaveLength(FED_KEPT);
  });
});
