import { expect } from 'vitest';
import type { Action, Effect, ReduceResult } from '../../server/game/actions.js';
import type { QuestionBank } from '../../server/game/bank.js';
import { createReducer, type Reducer } from '../../server/game/reducer.js';
import { createRoomState, type RoomState } from '../../server/game/state.js';
import { nextDeadline } from '../../server/game/timers.js';
import { viewFor } from '../../server/game/view.js';
import { RoomSettingsSchema, type RoomSettingsPatch } from '../../shared/settings.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { Role } from '../../shared/protocol/views.js';

const HOST = { role: 'host' } as const;

/**
 * Drives the pure reducer with a manual clock, firing `timeout` exactly at each deadline the way
 * the room scheduler does. No test ever sleeps.
 */
export class Harness {
  now = 1_000_000;
  state: RoomState;
  effects: Effect[] = [];
  readonly reduce: Reducer;

  constructor(bank: QuestionBank, settings: RoomSettingsPatch = {}, opts: { seed?: number; maxPlayers?: number; presenceGraceMs?: number } = {}) {
    this.reduce = createReducer(bank);
    this.state = createRoomState({
      code: 'ABCDEF',
      seed: opts.seed ?? 42,
      now: this.now,
      // No "get ready" count unless a test asks for one: most tests answer the moment a question opens.
      settings: RoomSettingsSchema.parse({ getReadySec: 0, ...settings }),
      ...(opts.maxPlayers !== undefined ? { maxPlayers: opts.maxPlayers } : {}),
      ...(opts.presenceGraceMs !== undefined ? { presenceGraceMs: opts.presenceGraceMs } : {}),
    });
  }

  /** Applies an action at the current time; keeps the state only if accepted. */
  act(action: Action): ReduceResult {
    const result = this.reduce(this.state, action, this.now);
    this.state = result.state;
    this.effects.push(...result.effects);
    return result;
  }

  /** Like act, but the action must be accepted. */
  ok(action: Action): ReduceResult {
    const result = this.act(action);
    expect(result.error, `${action.type} refused`).toBeNull();
    return result;
  }

  host(type: 'start' | 'pause' | 'resume' | 'skip' | 'reveal' | 'next' | 'end'): ReduceResult {
    return this.ok({ type, by: HOST });
  }

  join(...names: string[]): string[] {
    return names.map((name) => {
      const id = name.toLowerCase();
      this.ok({ type: 'join', playerId: id, name });
      return id;
    });
  }

  /** Advances the clock by `ms`, firing every deadline on the way at its exact time. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let d = nextDeadline(this.state); d !== null && d <= target; d = nextDeadline(this.state)) {
      this.now = Math.max(this.now, d);
      this.act({ type: 'timeout' });
    }
    this.now = target;
  }

  /** Advances to the next deadline and fires it. */
  fireNext(): void {
    const d = nextDeadline(this.state);
    expect(d).not.toBeNull();
    this.advance(d! - this.now);
  }

  get question() {
    return this.state.questions[this.state.round!.index]!;
  }

  get qid(): string {
    return this.question.question.id;
  }

  /** On-screen indices of the correct answer, and of some wrong one. */
  get correct(): number[] {
    return this.question.solution.answer;
  }

  get wrong(): number[] {
    const n = this.question.question.choices.length;
    const wrong = [...Array(n).keys()].find((i) => !this.correct.includes(i))!;
    return [wrong];
  }

  answer(playerId: string, choices: number[]): ReduceResult {
    return this.act({ type: 'answer', playerId, questionId: this.qid, choices });
  }

  buzz(playerId: string, latencyMs = 0): ReduceResult {
    return this.act({ type: 'buzz', playerId, questionId: this.qid, latencyMs });
  }

  score(playerId: string): number {
    return this.state.players[playerId]!.score;
  }

  view(role: Role, playerId: string | null = null) {
    return viewFor(this.state, role, playerId, this.now);
  }
}

export { HOST };

/** The action must be refused with `code`, and the state must be the very same, untouched object. */
export function expectRefused(h: Harness, action: Action, code: ErrorCode): void {
  const before = h.state;
  const snapshot = structuredClone(before);
  const r = h.act(action);
  expect(r.error?.code).toBe(code);
  expect(r.error?.message.length).toBeGreaterThan(0);
  expect(r.state).toBe(before);
  expect(r.effects).toEqual([]);
  expect(before).toEqual(snapshot);
}
