import { DOMAIN_NAME } from '../../../shared/domains.js';
import type { GameExport } from '../../../shared/protocol/export.js';

/** RFC 4180 quoting, and a leading apostrophe so spreadsheet apps never run a cell as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const letters = (choices: number[] | null) => (choices ?? []).map((c) => String.fromCharCode(65 + c)).join('');

/** One row per player per question. */
export function answersCsv(e: GameExport): string {
  const team = new Map(e.players.map((p) => [p.id, p.team ?? '']));
  const question = new Map(e.questions.map((q) => [q.index, q]));
  return toCsv(
    ['question', 'question_id', 'domain', 'player', 'team', 'answer', 'correct_answer', 'correct', 'points', 'time_ms'],
    e.answers.map((a) => {
      const q = question.get(a.questionIndex);
      return [a.questionIndex + 1, a.questionId, q ? DOMAIN_NAME[q.domain] : '', a.name, team.get(a.playerId) ?? '', letters(a.choices), letters(q?.correct ?? []), a.correct ? 'yes' : 'no', a.points, a.elapsedMs ?? ''];
    }),
  );
}

export function playersCsv(e: GameExport): string {
  const answered = (id: string) => e.answers.filter((a) => a.playerId === id);
  return toCsv(
    ['rank', 'player', 'team', 'score', 'answered', 'correct'],
    e.players.map((p) => [p.rank, p.name, p.team ?? '', p.score, answered(p.id).length, answered(p.id).filter((a) => a.correct).length]),
  );
}

export function domainsCsv(e: GameExport): string {
  return toCsv(
    ['domain', 'answered', 'correct', 'accuracy_percent'],
    e.domains.map((d) => [DOMAIN_NAME[d.domain], d.answered, d.correct, d.accuracy === null ? '' : Math.round(d.accuracy * 100)]),
  );
}

const DECISION_WORDS = { void: 'accepted: question voided', rescore: 'accepted: answer re-scored', reject: 'rejected' } as const;

/** One row per protest with the host's decision; voided questions are marked in the questions too. */
export function protestsCsv(e: GameExport): string {
  return toCsv(
    ['question', 'question_id', 'player', 'reason', 'protested_at', 'decision', 'decided_at'],
    (e.protests ?? []).map((p) => [p.questionIndex + 1, p.questionId, p.name, p.reason, p.at, p.decision ? DECISION_WORDS[p.decision] : 'open', p.decidedAt ?? '']),
  );
}

const MARK_WORDS = { right: 'right', wrong: 'wrong', none: 'no answer', void: 'voided' } as const;

/** The grid rows, or (an older server's export) the same rebuilt from its answers. */
function gridOf(e: GameExport): NonNullable<GameExport['grid']> {
  if (e.grid) return e.grid;
  return e.players.map((p) => {
    const marks = e.questions.map((q) => {
      const a = e.answers.find((x) => x.playerId === p.id && x.questionIndex === q.index);
      return q.voided ? 'void' : !a || a.choices === null ? 'none' : a.correct ? 'right' : 'wrong';
    });
    return { playerId: p.id, name: p.name, team: p.team, marks, choices: [], right: marks.filter((m) => m === 'right').length, answered: marks.filter((m) => m === 'right' || m === 'wrong').length };
  });
}

/**
 * The study report as one CSV in four blocks, each with its own header row: the player × question
 * grid, every question with its answer, explanation and docs link, accuracy per domain, most missed.
 */
export function studyReportCsv(e: GameExport): string {
  const grid = gridOf(e);
  const answerOf = (q: GameExport['questions'][number]) => q.correct.map((c) => `${String.fromCharCode(65 + c)}: ${q.choices[c] ?? ''}`).join(' | ');
  const column = e.questions.map((_, i) => {
    const right = grid.filter((r) => r.marks[i] === 'right').length;
    return { right, answered: right + grid.filter((r) => r.marks[i] === 'wrong').length };
  });
  const rate = (i: number) => (grid.length === 0 || e.questions[i]!.voided ? null : column[i]!.right / grid.length);
  const missed = e.questions.map((_, i) => i).filter((i) => rate(i) !== null && rate(i)! < 1).sort((a, b) => rate(a)! - rate(b)! || a - b).slice(0, 5);
  const blocks = [
    toCsv(
      ['player', 'team', ...e.questions.map((q) => `Q${q.index + 1} ${q.id}`), 'right', 'answered'],
      grid.map((r) => [r.name, r.team ?? '', ...r.marks.map((m) => MARK_WORDS[m]), r.right, r.answered]),
    ),
    toCsv(
      ['question', 'question_id', 'domain', 'prompt', 'correct_answer', 'explanation', 'docs', 'answered', 'right', 'percent_right'],
      e.questions.map((q, i) => [q.index + 1, q.id, DOMAIN_NAME[q.outlineDomain ?? q.domain], q.prompt, answerOf(q), q.explanation, q.sourceUrl, column[i]!.answered, column[i]!.right, q.voided ? 'voided' : pct(rate(i))]),
    ),
    toCsv(
      [`domain (${e.outline ?? 'cca-2024'})`, 'answered', 'correct', 'accuracy_percent'],
      e.domains.map((d) => [DOMAIN_NAME[d.domain], d.answered, d.correct, d.accuracy === null ? '' : Math.round(d.accuracy * 100)]),
    ),
    toCsv(
      ['most_missed', 'question', 'question_id', 'percent_right', 'correct_answer'],
      missed.map((i, n) => [n + 1, i + 1, e.questions[i]!.id, pct(rate(i)), answerOf(e.questions[i]!)]),
    ),
  ];
  return blocks.join('\r\n');
}

const pct = (x: number | null) => (x === null ? '' : Math.round(x * 100));

/** Starts a browser download of text content. */
export function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
