import { DEFAULT_OUTLINE, outlineDomainIds, outlineDomainOf, type Domain2025Id, type OutlineId } from '../../shared/curriculum.js';
import type { DomainId } from '../../shared/domains.js';
import type { ExamResult } from '../../shared/protocol/practice-views.js';
import { isCorrectSelection } from '../../shared/question.js';

/** One question of a finished exam as its debrief needs it (choices in the order the player saw). */
export interface DebriefItem {
  id: string;
  domain: DomainId;
  domain2025: Domain2025Id;
  prompt: string;
  choices: readonly string[];
  answer: readonly number[];
  explanation: string;
  sourceUrl: string;
  yourAnswer: number[] | null;
  flagged: boolean;
}

/** Exact comparison, so 74.6% never rounds up to a pass at 75%. */
export const passes = (correct: number, total: number, passPercent: number) => total > 0 && correct * 100 >= passPercent * total;
export const percentOf = (correct: number, total: number) => (total === 0 ? 0 : Math.round((100 * correct) / total));

/** The debrief of one exam, solo or in a room: score, pass/fail, each domain of the outline, every question explained. */
export function examResult(items: DebriefItem[], passMark: number, timedOut: boolean, outline: OutlineId = DEFAULT_OUTLINE): ExamResult {
  const questions = items.map((q) => ({
    id: q.id,
    domain: outlineDomainOf(q, outline),
    prompt: q.prompt,
    choices: [...q.choices],
    yourAnswer: q.yourAnswer,
    correctChoices: [...q.answer],
    correct: q.yourAnswer !== null && isCorrectSelection(q.yourAnswer, q.answer),
    flagged: q.flagged,
    explanation: q.explanation,
    sourceUrl: q.sourceUrl,
  }));
  const correct = questions.filter((q) => q.correct).length;
  const byDomain = outlineDomainIds(outline).map((domain) => ({
    domain,
    correct: questions.filter((q) => q.domain === domain && q.correct).length,
    total: questions.filter((q) => q.domain === domain).length,
  })).filter((d) => d.total > 0);
  return {
    correct,
    total: questions.length,
    percent: percentOf(correct, questions.length),
    passMark,
    passed: passes(correct, questions.length, passMark),
    timedOut,
    outline,
    byDomain,
    questions,
  };
}
