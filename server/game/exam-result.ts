import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import type { ExamResult } from '../../shared/protocol/practice-views.js';
import { isCorrectSelection } from '../../shared/question.js';

/** One question of a finished exam as its debrief needs it (choices in the order the player saw). */
export interface DebriefItem {
  id: string;
  domain: DomainId;
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

/** The debrief of one exam, solo or in a room: score, pass/fail, each domain, every question explained. */
export function examResult(items: DebriefItem[], passMark: number, timedOut: boolean): ExamResult {
  const questions = items.map((q) => ({
    id: q.id,
    domain: q.domain,
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
  const byDomain = DOMAIN_IDS.map((domain) => ({
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
    byDomain,
    questions,
  };
}
