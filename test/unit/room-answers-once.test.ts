import { describe, expect, it } from 'vitest';
import { addRoomAnswerOnce, newPlayerPractice } from '../../server/practice/engine.js';

describe('room answers in practice stats', () => {
  it('count once per question close, however often a takeover replays the result', () => {
    const first = addRoomAnswerOnce(newPlayerPractice(), 'ROOM01:1:0', 'ebpf', true, 1_200)!;
    expect(first.stats.ebpf).toEqual({ answered: 1, correct: 1, totalTimeMs: 1_200 });
    expect(addRoomAnswerOnce(first, 'ROOM01:1:0', 'ebpf', true, 1_200)).toBeNull();
    const second = addRoomAnswerOnce(first, 'ROOM01:1:1', 'ebpf', false, 800)!;
    expect(second.stats.ebpf).toEqual({ answered: 2, correct: 1, totalTimeMs: 2_000 });
  });
});
