import type { GridMark, ReportQuestion, ReportRow } from '../../../shared/protocol/views.js';

/** Symbol and words for each cell: never colour alone. */
export const MARK: Readonly<Record<GridMark, { symbol: string; text: string }>> = {
  right: { symbol: '✓', text: 'right' },
  wrong: { symbol: '✗', text: 'wrong' },
  none: { symbol: '–', text: 'no answer' },
  void: { symbol: '∅', text: 'voided' },
};

/** Choice numbers as on the buttons, e.g. [0, 2] → "1, 3". */
export const letters = (choices: readonly number[] | null): string => (choices ?? []).map((c) => String(c + 1)).join(', ');

/** The correct choices as "2: the text". */
export function correctAnswers(q: Pick<ReportQuestion, 'choices' | 'correct'>): string[] {
  return q.correct.map((c) => `${c + 1}: ${q.choices[c] ?? ''}`);
}

export type RowSort = { by: 'order' | 'name' | 'right' } | { by: 'question'; index: number };
export type ColumnSort = 'order' | 'missed';

const RANK: Readonly<Record<GridMark, number>> = { right: 0, wrong: 1, none: 2, void: 3 };

/** Rows sorted for the grid: join order, by name, most right first, or by one question (right first). */
export function sortRows(rows: readonly ReportRow[], sort: RowSort): ReportRow[] {
  const out = [...rows];
  const byName = (a: ReportRow, b: ReportRow) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  if (sort.by === 'name') out.sort(byName);
  if (sort.by === 'right') out.sort((a, b) => b.right - a.right || byName(a, b));
  if (sort.by === 'question') out.sort((a, b) => RANK[a.marks[sort.index] ?? 'none'] - RANK[b.marks[sort.index] ?? 'none'] || byName(a, b));
  return out;
}

/** Share of the room that got it right (voided: null). */
export function rightRate(q: Pick<ReportQuestion, 'correctCount' | 'participants' | 'voided'>): number | null {
  if (q.voided) return null;
  return q.participants === 0 ? 0 : q.correctCount / q.participants;
}

/** Question columns in play order, or the most missed first (voided last). */
export function sortColumns(questions: readonly ReportQuestion[], sort: ColumnSort): number[] {
  const order = questions.map((_, i) => i);
  if (sort === 'order') return order;
  const rate = (i: number) => rightRate(questions[i]!) ?? 2;
  return order.sort((a, b) => rate(a) - rate(b) || a - b);
}

export const percent = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);
