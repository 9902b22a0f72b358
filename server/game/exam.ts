import { isCorrectSelection } from '../../shared/question.js';
import { isRefusal, refuse, type Effect, type ReducerError, type Step } from './actions.js';
import { playerInRoom, validChoices } from './guards.js';
import { applyScores, finish, type Change } from './rounds.js';
import { activePlayers, isPresent, type ExamRound, type ExamSheet, type GameQuestion, type QuestionResult, type RoomState, type ScoreEvent } from './state.js';
import { own } from './own.js';

/**
 * Room mock exam: every player works through the same drawn questions on one shared clock, with
 * free navigation and flags and no feedback. It ends for everyone when all connected players have
 * submitted, when the clock runs out, or when the host ends it; only then is anything scored.
 */

const EMPTY_SHEET: ExamSheet = { answers: {}, flagged: [], submittedAt: null };

export const sheetOf = (exam: ExamRound, playerId: string): ExamSheet => own(exam.sheets, playerId) ?? EMPTY_SHEET;

export function startExam(state: RoomState, questions: GameQuestion[], now: number): Change {
  const exam: ExamRound = { startedAt: now, deadline: now + state.settings.examMinutes * 60_000, sheets: {}, endedAt: null };
  return { state: { ...state, questions, phase: 'exam', round: null, exam }, effects: [] };
}

/** The running exam and the caller's sheet, or the precise reason they may not write to it. */
function openSheet(state: RoomState, playerId: string, now: number): { exam: ExamRound; sheet: ExamSheet } | ReducerError {
  const player = playerInRoom(state, playerId);
  if (isRefusal(player)) return player;
  const exam = state.exam;
  if (state.settings.mode !== 'exam') return refuse('WRONG_PHASE', 'This room is not running an exam');
  if (!exam) return refuse('WRONG_PHASE', 'The exam has not started yet');
  if (exam.endedAt !== null) return refuse('LATE', 'Too late: the exam has ended');
  if (state.pausedAt !== null) return refuse('PAUSED', 'The exam is paused: wait for the host to resume');
  if (now >= exam.deadline) return refuse('LATE', 'Too late: the exam clock ran out');
  const sheet = sheetOf(exam, playerId);
  if (sheet.submittedAt !== null) return refuse('ALREADY_SUBMITTED', 'You have already handed in your exam');
  return { exam, sheet };
}

function examQuestion(state: RoomState, questionId: string): GameQuestion | ReducerError {
  const gq = state.questions.find((q) => q.question.id === questionId);
  return gq ?? refuse('STALE_QUESTION', 'That question is not part of this exam');
}

const withSheet = (state: RoomState, exam: ExamRound, playerId: string, sheet: ExamSheet): RoomState => ({
  ...state,
  exam: { ...exam, sheets: { ...exam.sheets, [playerId]: sheet } },
});

/** Sets, changes or (with no choices) clears an answer; nothing is checked against the solution yet. */
export function examAnswer(state: RoomState, playerId: string, questionId: string, choices: number[], now: number): Step {
  const open = openSheet(state, playerId, now);
  if (isRefusal(open)) return open;
  const gq = examQuestion(state, questionId);
  if (isRefusal(gq)) return gq;
  if (choices.length > 0) {
    const bad = validChoices(gq, choices);
    if (bad) return bad;
  }
  const { [questionId]: _previous, ...others } = open.sheet.answers;
  const answers = choices.length > 0 ? { ...others, [questionId]: [...choices].sort((a, b) => a - b) } : others;
  return { state: withSheet(state, open.exam, playerId, { ...open.sheet, answers }), effects: [] };
}

export function examFlag(state: RoomState, playerId: string, questionId: string, flagged: boolean, now: number): Step {
  const open = openSheet(state, playerId, now);
  if (isRefusal(open)) return open;
  const gq = examQuestion(state, questionId);
  if (isRefusal(gq)) return gq;
  const { sheet } = open;
  if (sheet.flagged.includes(questionId) === flagged) return { state, effects: [] };
  const next = flagged ? [...sheet.flagged, questionId] : sheet.flagged.filter((id) => id !== questionId);
  return { state: withSheet(state, open.exam, playerId, { ...sheet, flagged: next }), effects: [] };
}

/** Hands the sheet in for good; the last connected player to submit ends the exam for everyone. */
export function examSubmit(state: RoomState, playerId: string, now: number): Step {
  const open = openSheet(state, playerId, now);
  if (isRefusal(open)) return open;
  const next = withSheet(state, open.exam, playerId, { ...open.sheet, submittedAt: now });
  return everyoneSubmitted(next) ? endExam(next, now) : { state: next, effects: [] };
}

/** True when every present player has submitted (and at least one is present). */
export function everyoneSubmitted(state: RoomState): boolean {
  const exam = state.exam;
  if (state.phase !== 'exam' || !exam || exam.endedAt !== null) return false;
  let anyone = false;
  for (const id of state.playerOrder) {
    const p = own(state.players, id);
    if (!p || !isPresent(p)) continue;
    if (own(exam.sheets, id)?.submittedAt == null) return false;
    anyone = true;
  }
  return anyone;
}

/**
 * Ends the exam for everyone and scores it: 1 point per correct question. Each question's outcome
 * goes out as its own `question-closed`, so the store records them like any other room's.
 */
export function endExam(state: RoomState, now: number): Change {
  const exam = state.exam!;
  const players = activePlayers(state);
  const events: ScoreEvent[] = [];
  const results = state.questions.map((gq, index): QuestionResult => {
    const id = gq.question.id;
    const result: QuestionResult = {
      index,
      questionId: id,
      domain: gq.question.domain,
      distribution: gq.question.choices.map(() => 0),
      perPlayer: {},
      participants: players.length,
    };
    for (const p of players) {
      const choices = exam.sheets[p.id]?.answers[id];
      if (!choices) continue;
      const correct = isCorrectSelection(choices, gq.solution.answer);
      choices.forEach((c) => result.distribution[c]!++);
      result.perPlayer[p.id] = { choices, correct, points: correct ? 1 : 0, elapsedMs: null };
      if (correct) events.push({ playerId: p.id, questionId: id, points: 1, reason: 'correct' });
    }
    return result;
  });
  const scored = applyScores({ ...state, exam: { ...exam, endedAt: now } }, events);
  const done = finish({ ...scored.state, results: [...scored.state.results, ...results] });
  const closed: Effect[] = results.map((result) => ({ type: 'question-closed', result }));
  return { state: done.state, effects: [...scored.effects, ...closed, ...done.effects] };
}
