import { isRefusal, refuse, type Step } from './actions.js';
import { TOO_LATE, openQuestionFor, playerInRoom, validChoices } from './guards.js';
import { closeQuestion } from './rounds.js';
import { isPresent, type RoomState } from './state.js';
import { own } from './own.js';
import { withEntry, type Transient } from './transient.js';

/**
 * Classic closes early once every present player has answered (a player who dropped less than
 * the presence grace ago is still present); Study waits for the host.
 */
export function everyoneAnswered(state: RoomState): boolean {
  const round = state.round;
  if (state.settings.mode !== 'classic' || state.phase !== 'question' || !round) return false;
  // Runs on every answer: no allocation, and it stops at the first present player still thinking.
  let anyone = false;
  for (const id of state.playerOrder) {
    const p = own(state.players, id);
    if (!p || !isPresent(p)) continue;
    if (own(round.answers, id) === undefined) return false;
    anyone = true;
  }
  return anyone;
}

/** An answer in Classic or Study: one per player per question, before the deadline, scored at the close. */
export function answerAllPlay(state: RoomState, playerId: string, questionId: string, choices: number[], now: number, transient?: Transient): Step {
  const player = playerInRoom(state, playerId);
  if (isRefusal(player)) return player;
  const open = openQuestionFor(state, questionId);
  if (isRefusal(open)) return open;
  const { round, gq } = open;
  if (own(round.answers, playerId)) return refuse('ALREADY_ANSWERED', 'You already answered this question');
  if (round.deadline !== null && now >= round.deadline) return refuse('LATE', TOO_LATE);
  const bad = validChoices(gq, choices);
  if (bad) return bad;

  const answer = { choices: [...choices].sort((a, b) => a - b), at: now, elapsedMs: now - (round.openedAt ?? now) };
  const next: RoomState = { ...state, round: { ...round, answers: withEntry(round.answers, playerId, answer, transient) } };
  return everyoneAnswered(next) ? closeQuestion(next, now) : { state: next, effects: [] };
}
