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
