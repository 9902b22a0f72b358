import type { ErrorCode } from '../../shared/protocol/errors.js';
import type { HostCommand } from '../../shared/protocol/events.js';
import type { RoomSettingsPatch } from '../../shared/settings.js';
import type { ProtestDecision } from '../../shared/protocol/protests.js';
import type { RoomDeck } from './decks.js';
import type { PlayerId, Protest, QuestionResult, RoomState, ScoreEvent } from './state.js';

/** A change to one player's recorded share of a closed question (deltas). */
export interface OutcomeCorrection {
  playerId: PlayerId;
  points: number;
  answered: -1 | 0;
  correct: -1 | 0 | 1;
  timeMs: number;
}

/** Who sends an action. Host authority comes from the host token, checked by the shell. */
export type Actor = { role: 'host' } | { role: 'player'; playerId: PlayerId };

export type Action =
  /**
   * `profileId`: the practice profile the player joined with; `formerPlayerId`: the seat this
   * connection held before in this room (a kicked seat stays out under any name).
   */
  | { type: 'join'; playerId: PlayerId; name: string; team?: string | null; profileId?: string | null; formerPlayerId?: PlayerId | null }
  | { type: 'connection'; playerId: PlayerId; connected: boolean }
  | { type: 'set-team'; playerId: PlayerId; team: string | null }
  | { type: 'configure'; by: Actor; settings: RoomSettingsPatch }
  /** A deck resolved by the shell (resolveDeck); null = back to a random draw. Lobby only. */
  | { type: 'set-deck'; by: Actor; deck: RoomDeck | null }
  | { type: HostCommand; by: Actor }
  | { type: 'kick'; by: Actor; playerId: PlayerId }
  /** Lifts a kick's ban: that seat's person may join again (as a new seat). */
  | { type: 'unban'; by: Actor; playerId: PlayerId }
  | { type: 'lock'; by: Actor; locked: boolean }
  | { type: 'answer'; playerId: PlayerId; questionId: string; choices: number[] }
  /** `latencyMs`: the player's one-way latency as the server measured it from its own pings. */
  | { type: 'buzz'; playerId: PlayerId; questionId: string; latencyMs: number }
  /** Room exam: set or change an answer (empty `choices` clears it), flag a question, hand the sheet in. */
  | { type: 'exam-answer'; playerId: PlayerId; questionId: string; choices: number[] }
  | { type: 'exam-flag'; playerId: PlayerId; questionId: string; flagged: boolean }
  | { type: 'exam-submit'; playerId: PlayerId }
  /** A player protests their judged answer to a revealed question; the host decides it. */
  | { type: 'protest'; playerId: PlayerId; questionId: string; reason: string }
  | { type: 'decide-protest'; by: Actor; protestId: string; decision: ProtestDecision }
  /** Fired by the room's scheduler when `now` reaches `nextDeadline(state)`. */
  | { type: 'timeout' };

export type Effect =
  | { type: 'question-opened'; index: number; questionId: string }
  | { type: 'question-closed'; result: QuestionResult }
  | { type: 'scored'; event: ScoreEvent }
  | { type: 'buzz-won'; playerId: PlayerId }
  /** The player's recorded answer arrived again: acknowledged, not counted (`receivedAt` of the first copy, if known). */
  | { type: 'answer-repeated'; playerId: PlayerId; receivedAt: number | null }
  | { type: 'kicked'; playerId: PlayerId }
  | { type: 'protest-filed'; protest: Protest }
  /** `corrections`: how each player's share of that question changed, for the stores (empty on a reject). */
  | { type: 'protest-decided'; protest: Protest; result: QuestionResult; corrections: OutcomeCorrection[] }
  | { type: 'finished' };

export interface ReducerError {
  code: ErrorCode;
  message: string;
}

export type ReduceResult =
  | { state: RoomState; effects: Effect[]; error: null }
  /** A rejected action: `state` is the very object that was passed in. */
  | { state: RoomState; effects: []; error: ReducerError };

/** Internal result of a step: the new state and what happened, or why the action is refused. */
export type Step = { state: RoomState; effects: Effect[] } | ReducerError;

export function refuse(code: ErrorCode, message: string): ReducerError {
  return { code, message };
}

/** Tells a refusal from a successful value (a Step, a player, an open round...). */
export function isRefusal<T extends object>(x: T | ReducerError): x is ReducerError {
  return 'code' in x && 'message' in x && !('state' in x);
}
