import { DEFAULT_OUTLINE, outlineDomainOf } from '../../shared/curriculum.js';
import type { GridMark, ReportQuestion, ReportRow } from '../../shared/protocol/views.js';
import { activePlayers, type QuestionResult, type RoomState } from './state.js';
import { own } from './own.js';

/** The end-of-game report: every played question with its answer. Only ever built once the game is over. */
export function reportQuestions(state: RoomState): ReportQuestion[] {
  const outline = state.settings.outline ?? DEFAULT_OUTLINE;
  return state.results.map((r) => {
    const { question: q, solution } = state.questions[r.index]!;
    const answers = Object.values(r.perPlayer);
    return {
      index: r.index,
      questionId: q.id,
      domain: outlineDomainOf(q, outline),
      topic: q.topic,
      prompt: q.prompt,
      choices: [...q.choices],
      correct: [...solution.answer],
      explanation: solution.explanation,
      sourceUrl: solution.sourceUrl,
      answered: answers.filter((a) => a.choices !== null).length,
      correctCount: r.voided ? 0 : answers.filter((a) => a.correct).length,
      participants: r.participants,
      voided: r.voided === true,
    };
  });
}

function mark(r: QuestionResult, playerId: string): GridMark {
  if (r.voided) return 'void';
  const a = own(r.perPlayer, playerId);
  if (!a || a.choices === null) return 'none';
  return a.correct ? 'right' : 'wrong';
}

/** The player × question grid: one row per player in the room, join order, question order. */
export function reportGrid(state: RoomState): ReportRow[] {
  return activePlayers(state).map((p) => {
    const marks = state.results.map((r) => mark(r, p.id));
    return {
      playerId: p.id,
      name: p.name,
      team: p.team,
      marks,
      choices: state.results.map((r) => (r.voided ? null : (r.perPlayer[p.id]?.choices ?? null))),
      right: marks.filter((m) => m === 'right').length,
      answered: marks.filter((m) => m === 'right' || m === 'wrong').length,
    };
  });
}
