import type { QuestionRecord } from '../shared/question.js';

/**
 * The anti-gaming figures of a set of questions: how far a test-wise player who ignores the content
 * (picks the longest option, answers "False", picks the option that repeats the prompt) would get.
 * Same definitions as `/work/tools/gaming.py`, so the linter, `questions:stats` and the writers agree.
 */
export interface GamingFigures {
  single: number;
  /** Single-choice questions whose key is strictly longer than every other choice. */
  longestKeyIds: string[];
  /** The share a key placed at random would get: mean over single-choice questions of (uniquely longest choices ÷ choices), 0 or 1/n each; 0-1. */
  longestKeyChance: number;
  multiple: number;
  /** Mean share of keys with fewer than k strictly longer choices (k = number of keys); 0-1. */
  lean: number;
  /** The same share for keys placed at random: mean k/n; 0-1. */
  leanChance: number;
  /** Multiple-answer questions whose every key is among the k longest. */
  leanIds: string[];
  /** Multiple-answer questions whose every key is among the k shortest (fewer than k strictly shorter choices). */
  shortKeyIds: string[];
  trueFalse: number;
  trueKeyedIds: string[];
  falseKeyedIds: string[];
  /** Questions where exactly one choice shares 2+ content words with the prompt and the others none. */
  echoIds: string[];
}

const STOP = new Set(
  'that this with from what which when where will would there their they them then than into have does your about after before while other these those using used being been should could only also each such more most some very just same both either'.split(
    ' ',
  ),
);

/** Words of five or more characters that carry content (the prompt echo compares these). */
export function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z][a-z0-9-]{4,}/g) ?? []).filter((w) => !STOP.has(w)));
}

/** Length in code points, as a reader counts characters (and as the Python script does). */
const len = (s: string) => [...s].length;

export function isLongestKey(q: QuestionRecord): boolean {
  if (q.type !== 'single') return false;
  const lengths = q.choices.map(len);
  const key = q.answer[0]!;
  return lengths.every((l, i) => i === key || lengths[key]! > l);
}

/** 1/n when one choice of a single-choice question is strictly longer than every other, else 0: the chance a random key is that choice. */
export function longestChance(q: QuestionRecord): number {
  const lengths = q.choices.map(len);
  const max = Math.max(...lengths);
  return lengths.filter((l) => l === max).length === 1 ? 1 / lengths.length : 0;
}

/** Share of a multiple-answer question's keys that sit among its k longest choices. */
export function leanShare(q: QuestionRecord): number {
  const lengths = q.choices.map(len);
  const k = q.answer.length;
  return q.answer.filter((a) => lengths.filter((l) => l > lengths[a]!).length < k).length / k;
}

/** Whether every key of a multiple-answer question is among its k shortest choices (fewer than k strictly shorter ones). */
export function keysAmongShortest(q: QuestionRecord): boolean {
  const lengths = q.choices.map(len);
  const k = q.answer.length;
  return q.answer.every((a) => lengths.filter((l) => l < lengths[a]!).length < k);
}

/** The choices sharing content words with the prompt, when exactly one does (2+ words) and the others share none. */
export function echoingChoice(q: QuestionRecord): { index: number; words: string[] } | null {
  if (q.type === 'true-false') return null;
  const prompt = contentWords(q.prompt);
  const shared = q.choices.map((c) => [...contentWords(c)].filter((w) => prompt.has(w)));
  const echoing = shared.map((w, i) => ({ index: i, words: w })).filter((s) => s.words.length >= 2);
  const silent = shared.filter((w) => w.length === 0).length;
  return echoing.length === 1 && silent === q.choices.length - 1 ? echoing[0]! : null;
}

export function gamingFigures(questions: readonly QuestionRecord[]): GamingFigures {
  const single = questions.filter((q) => q.type === 'single');
  const multiple = questions.filter((q) => q.type === 'multiple');
  const tf = questions.filter((q) => q.type === 'true-false');
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    single: single.length,
    longestKeyIds: single.filter(isLongestKey).map((q) => q.id),
    longestKeyChance: mean(single.map(longestChance)),
    multiple: multiple.length,
    lean: mean(multiple.map(leanShare)),
    leanChance: mean(multiple.map((q) => q.answer.length / q.choices.length)),
    leanIds: multiple.filter((q) => leanShare(q) === 1).map((q) => q.id),
    shortKeyIds: multiple.filter(keysAmongShortest).map((q) => q.id),
    trueFalse: tf.length,
    trueKeyedIds: tf.filter((q) => q.answer[0] === 0).map((q) => q.id),
    falseKeyedIds: tf.filter((q) => q.answer[0] === 1).map((q) => q.id),
    echoIds: questions.filter((q) => echoingChoice(q) !== null).map((q) => q.id),
  };
}

/** A share as a percentage with one decimal: 0.4712 → "47.1%". */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
