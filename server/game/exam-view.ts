import { DEFAULT_OUTLINE, outlineDomainIds, outlineDomainOf, type OutlineDomainId } from '../../shared/curriculum.js';
import type { ExamResult } from '../../shared/protocol/practice-views.js';
import type { ExamGroupView, ExamProgress, RoomExamView, Role } from '../../shared/protocol/views.js';
import { isCorrectSelection, type PublicQuestion } from '../../shared/question.js';
import { sheetOf } from './exam.js';
import { examResult, passes, percentOf } from './exam-result.js';
import { activePlayers, type ExamRound, type RoomState } from './state.js';
import { own } from './own.js';

/** One player's debrief: only ever built once the exam has ended. */
export function playerDebrief(state: RoomState, exam: ExamRound, playerId: string): ExamResult {
  const sheet = sheetOf(exam, playerId);
  const items = state.questions.map(({ question: q, solution }) => ({
    ...q,
    answer: solution.answer,
    explanation: solution.explanation,
    sourceUrl: solution.sourceUrl,
    yourAnswer: sheet.answers[q.id] ?? null,
    flagged: sheet.flagged.includes(q.id),
  }));
  return examResult(items, state.settings.passPercent, sheet.submittedAt === null, state.settings.outline ?? DEFAULT_OUTLINE);
}

/** The host's debrief: per-domain accuracy (room's outline) across everyone (unanswered counts as wrong) and each player's score. */
export function groupDebrief(state: RoomState, exam: ExamRound): ExamGroupView {
  const players = activePlayers(state);
  const total = state.questions.length;
  const outline = state.settings.outline ?? DEFAULT_OUTLINE;
  const perDomain = new Map<OutlineDomainId, { correct: number; total: number }>();
  const rows = players.map((p) => {
    const sheet = sheetOf(exam, p.id);
    let correct = 0;
    for (const { question: q, solution } of state.questions) {
      const domain = outlineDomainOf(q, outline);
      const d = perDomain.get(domain) ?? { correct: 0, total: 0 };
      const choices = sheet.answers[q.id];
      const right = choices !== undefined && isCorrectSelection(choices, solution.answer);
      d.total++;
      if (right) {
        d.correct++;
        correct++;
      }
      perDomain.set(domain, d);
    }
    const { passPercent } = state.settings;
    return { playerId: p.id, name: p.name, correct, total, percent: percentOf(correct, total), passed: passes(correct, total, passPercent), submitted: sheet.submittedAt !== null };
  });
  return {
    byDomain: outlineDomainIds(outline).filter((d) => perDomain.has(d)).map((domain) => {
      const d = perDomain.get(domain)!;
      return { domain, correct: d.correct, total: d.total, accuracy: d.total === 0 ? null : d.correct / d.total };
    }),
    players: rows.sort((a, b) => b.correct - a.correct),
  };
}

export type ExamProjector = (role: Role, playerId: string | null) => RoomExamView | null;

/**
 * The exam part of each view. While it runs, players get the questions without solutions and their
 * own sheet, the host gets progress counts; nothing depends on a solution until it has ended.
 */
export function createExamProjector(state: RoomState, now: number): ExamProjector {
  const exam = state.exam;
  if (state.settings.mode !== 'exam' || !exam) return () => null;
  const ended = exam.endedAt !== null;
  const clock = state.pausedAt ?? now;
  const players = activePlayers(state);
  const base = {
    total: state.questions.length,
    durationMs: state.settings.examMinutes * 60_000,
    deadline: exam.deadline,
    remainingMs: ended ? 0 : Math.max(0, exam.deadline - clock),
    passPercent: state.settings.passPercent,
    passMarkOfficial: false as const,
    ended,
    submittedCount: players.filter((p) => sheetOf(exam, p.id).submittedAt !== null).length,
  };
  const questions: PublicQuestion[] | null = ended ? null : state.questions.map((gq) => gq.question);
  let progress: ExamProgress[] | null = null;
  let group: ExamGroupView | null = null;
  const none = { questions: null, mine: null, progress: null, result: null, group: null };

  return (role, playerId) => {
    if (role === 'host') {
      if (ended) return { ...base, ...none, group: (group ??= groupDebrief(state, exam)) };
      progress ??= players.map((p) => {
        const sheet = sheetOf(exam, p.id);
        return { playerId: p.id, name: p.name, answered: Object.keys(sheet.answers).length, submitted: sheet.submittedAt !== null, connected: p.connected };
      });
      return { ...base, ...none, progress };
    }
    if (role !== 'player' || playerId === null || !own(state.players, playerId)) return { ...base, ...none };
    if (ended) return { ...base, ...none, result: playerDebrief(state, exam, playerId) };
    const sheet = sheetOf(exam, playerId);
    const mine = {
      answers: state.questions.map((gq) => sheet.answers[gq.question.id] ?? null),
      flags: state.questions.map((gq) => sheet.flagged.includes(gq.question.id)),
      submitted: sheet.submittedAt !== null,
    };
    return { ...base, ...none, questions, mine };
  };
}
