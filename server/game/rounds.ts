import { countPromptWords } from '../../shared/prompt.js';
import { isCorrectSelection } from '../../shared/question.js';
import type { Effect } from './actions.js';
import { CLASSIC_MAX_POINTS, classicPoints, streakBonus } from './scoring.js';
import { activePlayers, currentQuestion, type QuestionResult, type RoomState, type Round, type ScoreEvent } from './state.js';
import { own } from './own.js';

export interface Change {
  state: RoomState;
  effects: Effect[];
}

export const timeLimitMs = (state: RoomState): number | null =>
  state.settings.timeLimitSec > 0 ? state.settings.timeLimitSec * 1000 : null;

/** Applies score events: each player's score stays the sum of their events in the log. */
export function applyScores(state: RoomState, events: ScoreEvent[]): Change {
  if (events.length === 0) return { state, effects: [] };
  const players = { ...state.players };
  for (const e of events) {
    const p = players[e.playerId];
    if (p) players[e.playerId] = { ...p, score: p.score + e.points };
  }
  return {
    state: { ...state, players, scoreLog: [...state.scoreLog, ...events] },
    effects: events.map((event) => ({ type: 'scored', event })),
  };
}

/**
 * Moves to question `index`. With a "get ready" count it is first only announced (nothing of it
 * can be answered or buzzed); the `open` deadline then starts it with its full time limit.
 */
export function openQuestion(state: RoomState, index: number, now: number): Change {
  const gq = state.questions[index]!;
  const readyMs = state.settings.mode === 'exam' ? 0 : state.settings.getReadySec * 1000;
  const effects: Effect[] = [{ type: 'question-opened', index, questionId: gq.question.id }];
  if (readyMs > 0) {
    const round: Round = { index, opensAt: now + readyMs, openedAt: null, deadline: null, frozenAt: null, answers: {}, buzz: null };
    return { state: { ...state, phase: 'question', round }, effects };
  }
  return { state: startRound({ ...state, phase: 'question' }, index, now), effects };
}

/** The get-ready count is over: the question opens now. */
export function endGetReady(state: RoomState, at: number): Change {
  return { state: startRound(state, state.round!.index, at), effects: [] };
}

/** The answer window (or the Buzz-in reading) of question `index` starts at `now`. */
function startRound(state: RoomState, index: number, now: number): RoomState {
  const gq = state.questions[index]!;
  const limit = timeLimitMs(state);
  let round: Round = { index, opensAt: null, openedAt: now, deadline: limit === null ? null : now + limit, frozenAt: null, answers: {}, buzz: null };
  if (state.settings.mode === 'buzz') {
    const words = countPromptWords(gq.question.prompt);
    const msPerWord = state.settings.wordsPerSecond > 0 ? Math.round(1000 / state.settings.wordsPerSecond) : 0;
    const readAll = msPerWord === 0 || words <= 1;
    round = {
      ...round,
      openedAt: readAll ? now : null,
      deadline: readAll ? round.deadline : null,
      buzz: {
        words,
        revealedWords: readAll ? words : 1,
        nextWordAt: readAll ? null : now + msPerWord,
        msPerWord,
        choicesAt: readAll ? now : null,
        pending: [],
        adjudicateAt: null,
        floor: null,
        lockedOut: [],
        attempts: [],
      },
    };
  }
  return { ...state, round };
}

/** Classic and Study score when the question closes, in join order, so streaks follow each player's own history. */
function scoreAnswers(state: RoomState, result: QuestionResult): Change {
  const gq = currentQuestion(state)!;
  const round = state.round!;
  const limit = timeLimitMs(state);
  const classic = state.settings.mode === 'classic';
  const events: ScoreEvent[] = [];
  const players = { ...state.players };
  for (const p of activePlayers(state)) {
    const answer = own(round.answers, p.id);
    const correct = answer !== undefined && isCorrectSelection(answer.choices, gq.solution.answer);
    let points = 0;
    // Study scores nothing unless the host turned scoring on.
    if (correct && (classic || state.settings.studyScoring === true)) {
      const base = classic && limit !== null ? classicPoints(answer.elapsedMs, limit, state.settings.speedScoring) : CLASSIC_MAX_POINTS;
      events.push({ playerId: p.id, questionId: gq.question.id, points: base, reason: 'correct' });
      points += base;
      const bonus = classic && state.settings.streakBonus ? streakBonus(p.streak + 1) : 0;
      if (bonus > 0) {
        events.push({ playerId: p.id, questionId: gq.question.id, points: bonus, reason: 'streak' });
        points += bonus;
      }
    }
    players[p.id] = { ...p, streak: correct ? p.streak + 1 : 0 };
    if (answer) {
      answer.choices.forEach((c) => result.distribution[c]!++);
      result.perPlayer[p.id] = { choices: answer.choices, correct, points, elapsedMs: answer.elapsedMs };
    }
  }
  return applyScores({ ...state, players }, events);
}

/** Buzz-in scored each attempt as it happened; the result only gathers them. */
function collectAttempts(state: RoomState, result: QuestionResult): void {
  for (const a of state.round!.buzz!.attempts) {
    if (!state.players[a.playerId]) continue;
    a.choices?.forEach((c) => result.distribution[c]!++);
    result.perPlayer[a.playerId] = { choices: a.choices, correct: a.correct, points: a.points, elapsedMs: null };
  }
}

/** Ends the open question: scores it, records the result and shows the reveal. */
export function closeQuestion(state: RoomState, now: number): Change {
  const gq = currentQuestion(state)!;
  const round = state.round!;
  const result: QuestionResult = {
    index: round.index,
    questionId: gq.question.id,
    domain: gq.question.domain,
    distribution: gq.question.choices.map(() => 0),
    perPlayer: {},
    participants: activePlayers(state).length,
    closedAt: now,
  };
  let change: Change = { state, effects: [] };
  if (round.buzz) collectAttempts(state, result);
  else change = scoreAnswers(state, result);
  const closedRound: Round = { ...round, deadline: round.deadline === null ? null : Math.min(round.deadline, now), frozenAt: null };
  return {
    state: { ...change.state, phase: 'reveal', round: closedRound, results: [...change.state.results, result] },
    effects: [...change.effects, { type: 'question-closed', result }],
  };
}

/** Undoes the open question (skip, end): its score events are dropped as if it never ran. */
export function voidRound(state: RoomState): RoomState {
  const questionId = currentQuestion(state)?.question.id;
  if (questionId === undefined) return state;
  const dropped = state.scoreLog.filter((e) => e.questionId === questionId);
  if (dropped.length === 0) return state;
  const players = { ...state.players };
  for (const e of dropped) {
    const p = players[e.playerId];
    if (p) players[e.playerId] = { ...p, score: p.score - e.points };
  }
  return { ...state, players, scoreLog: state.scoreLog.filter((e) => e.questionId !== questionId) };
}

export function finish(state: RoomState): Change {
  return { state: { ...state, phase: 'finished', pausedAt: null }, effects: [{ type: 'finished' }] };
}

/** The next question, or the end of the game after the last one. */
export function advance(state: RoomState, now: number): Change {
  const next = (state.round?.index ?? -1) + 1;
  return next < state.questions.length ? openQuestion(state, next, now) : finish(state);
}
