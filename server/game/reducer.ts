import type { HostCommand } from '../../shared/protocol/events.js';
import { isRefusal, refuse, type Action, type Actor, type Effect, type ReduceResult, type Step } from './actions.js';
import type { QuestionBank } from './bank.js';
import { answerOnFloor, awardFloor, buzz, resolveFloor, revealWord } from './buzz.js';
import { answerAllPlay } from './classic.js';
import { drawFromDeck } from './decks.js';
import { drawQuestions } from './draw.js';
import { endExam, examAnswer, examFlag, examSubmit, startExam } from './exam.js';
import { decideProtest, fileProtest } from './protests.js';
import { Rng } from './rng.js';
import { unban } from './bans.js';
import { repeatedAnswer } from './guards.js';
import { configure, expirePresence, join, kick, lock, setConnection, setTeam, settle } from './roster.js';
import { advance, closeQuestion, endGetReady, finish, openQuestion, voidRound, type Change } from './rounds.js';
import { nextTimer, shiftRound } from './timers.js';
import type { RoomState } from './state.js';
import type { Transient } from './transient.js';

/** Guards against a runaway loop if a handler ever failed to move its deadline. */
const PHASE_WORDS: Record<RoomState['phase'], string> = {
  lobby: 'in the lobby',
  question: 'on a question',
  exam: 'running an exam',
  reveal: 'showing the answer',
  leaderboard: 'showing the leaderboard',
  finished: 'over',
};

const MAX_DEADLINES_PER_TIMEOUT = 10_000;

function hostCommand(bank: QuestionBank, state: RoomState, command: HostCommand, now: number): Step {
  const wrongPhase = () => refuse('WRONG_PHASE', `You cannot ${command} right now (the game is ${state.pausedAt !== null ? 'paused' : PHASE_WORDS[state.phase]})`);
  switch (command) {
    case 'start': {
      if (state.phase !== 'lobby') return wrongPhase();
      if (state.playerOrder.length === 0) return refuse('NO_PLAYERS', 'Wait for at least one player to join');
      const rng = new Rng(state.rng);
      const questions = state.deck ? drawFromDeck(state.deck, bank, state.settings, rng) : drawQuestions(bank, state.settings, rng);
      if (questions.length === 0) {
        return refuse('NO_QUESTIONS', state.deck ? 'No question of the deck matches the chosen difficulties: choose more of them' : 'No question matches the chosen domains and difficulties: choose more of them');
      }
      if (state.settings.mode === 'exam') return startExam({ ...state, rng: rng.state }, questions, now);
      return openQuestion({ ...state, questions, rng: rng.state }, 0, now);
    }
    case 'pause': {
      // An exam whose clock has run out is about to end: it cannot be paused any more.
      const examOver = state.phase === 'exam' && !!state.exam && now >= state.exam.deadline;
      if ((state.phase !== 'question' && state.phase !== 'exam') || state.pausedAt !== null || examOver) return wrongPhase();
      return { state: { ...state, pausedAt: now }, effects: [] };
    }
    case 'resume': {
      // The shared exam clock stands still while paused: its deadline moves by the pause.
      if (state.pausedAt !== null && state.exam && state.phase === 'exam') {
        return settle({ ...state, pausedAt: null, exam: { ...state.exam, deadline: state.exam.deadline + now - state.pausedAt } }, now);
      }
      if (state.pausedAt === null || !state.round) return wrongPhase();
      const round = shiftRound(state.round, now - state.pausedAt, { includeBuzzWindow: true });
      // Whoever dropped for good during the pause no longer holds the question open.
      return settle({ ...state, pausedAt: null, round }, now);
    }
    case 'skip':
      if (state.phase !== 'question') return wrongPhase();
      return advance({ ...voidRound(state), pausedAt: null }, now);
    case 'reveal':
      if (state.phase !== 'question') return wrongPhase();
      return closeQuestion({ ...state, pausedAt: null }, now);
    case 'next':
      if (state.phase === 'reveal' && state.settings.mode !== 'study') return { state: { ...state, phase: 'leaderboard' }, effects: [] };
      if (state.phase === 'reveal' || state.phase === 'leaderboard') return advance(state, now);
      return wrongPhase();
    case 'end':
      if (state.phase === 'finished') return wrongPhase();
      // Ending a room exam collects and scores every sheet as it stands.
      if (state.phase === 'exam') return endExam({ ...state, pausedAt: null }, now);
      return finish(state.phase === 'question' ? voidRound(state) : state);
  }
}

/** Runs every deadline that is due at `now`, each at its own scheduled time, in order. */
function runDeadlines(state: RoomState, now: number): Change {
  const effects: Effect[] = [];
  for (let i = 0; i < MAX_DEADLINES_PER_TIMEOUT; i++) {
    const due = nextTimer(state);
    if (!due || due.at > now) break;
    let change: Change;
    switch (due.kind) {
      case 'presence':
        change = expirePresence(state, due.at);
        break;
      case 'open':
        change = endGetReady(state, due.at);
        break;
      case 'adjudicate':
        change = awardFloor(state, due.at);
        break;
      case 'floor':
        change = resolveFloor(state, null, false, due.at);
        break;
      case 'word':
        change = revealWord(state, due.at);
        break;
      case 'question':
        change = closeQuestion(state, due.at);
        break;
      case 'exam':
        change = endExam(state, due.at);
        break;
    }
    state = change.state;
    effects.push(...change.effects);
  }
  return { state, effects };
}

function requireHost(by: Actor): Step | null {
  return by.role === 'host' ? null : refuse('NOT_HOST', 'Only the host can do that');
}

function step(bank: QuestionBank, state: RoomState, action: Action, now: number, transient: Transient | undefined): Step {
  switch (action.type) {
    case 'join':
      return join(state, action, now, transient);
    case 'connection':
      return setConnection(state, action.playerId, action.connected, now, transient);
    case 'set-team':
      return setTeam(state, action.playerId, action.team);
    case 'answer':
      return (
        repeatedAnswer(state, action.playerId, action.questionId, action.choices) ??
        (state.round?.buzz && state.phase === 'question'
          ? answerOnFloor(state, action.playerId, action.questionId, action.choices, now)
          : answerAllPlay(state, action.playerId, action.questionId, action.choices, now, transient))
      );
    case 'buzz':
      return buzz(state, action.playerId, action.questionId, action.latencyMs, now);
    case 'exam-answer':
      return examAnswer(state, action.playerId, action.questionId, action.choices, now);
    case 'exam-flag':
      return examFlag(state, action.playerId, action.questionId, action.flagged, now);
    case 'exam-submit':
      return examSubmit(state, action.playerId, now);
    case 'protest':
      return fileProtest(state, action.playerId, action.questionId, action.reason, now);
    case 'decide-protest':
      return requireHost(action.by) ?? decideProtest(state, action.protestId, action.decision, now);
    case 'timeout':
      return runDeadlines(state, now);
    case 'configure':
      return requireHost(action.by) ?? configure(state, action.settings);
    case 'set-deck':
      if (requireHost(action.by)) return requireHost(action.by)!;
      if (state.phase !== 'lobby') return refuse('WRONG_PHASE', 'The deck can only change before the game starts');
      return { state: { ...state, deck: action.deck }, effects: [] };
    case 'kick':
      return requireHost(action.by) ?? kick(state, action.playerId, now);
    case 'unban':
      return requireHost(action.by) ?? unban(state, action.playerId);
    case 'lock':
      return requireHost(action.by) ?? lock(state, action.locked);
    default:
      return requireHost(action.by) ?? hostCommand(bank, state, action.type, now);
  }
}

/** `transient`: see Transient (a room's window for its big rooms' answers, joins and connection changes); without it every change copies. */
export type Reducer = (state: RoomState, action: Action, now: number, transient?: Transient) => ReduceResult;

/**
 * The room's rules as one pure function over an immutable bank: `reduce(state, action, now)`.
 * A refused action returns the very same state object and an error; nothing else changes.
 */
export function createReducer(bank: QuestionBank): Reducer {
  return (state, action, now, transient) => {
    const result = step(bank, state, action, now, transient);
    if (isRefusal(result)) return { state, effects: [], error: result };
    if (result.state === state) return { state, effects: result.effects, error: null };
    return { state: { ...result.state, version: state.version + 1 }, effects: result.effects, error: null };
  };
}
