import { describe, expect, it } from 'vitest';
import { studyReportCsv } from '../../client/src/lib/export.js';
import { correctAnswers, sortColumns, sortRows } from '../../client/src/lib/study-report.js';
import { gameExport } from '../../server/game/export.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

/** Study, three players, two questions: Cai right twice, Ana right then silent, Ben wrong twice. */
function finished() {
  const h = new Harness(makeBank(3), { mode: 'study', questionCount: 2 });
  h.join('Cai', 'Ana', 'Ben');
  h.host('start');
  h.answer('cai', h.correct);
  h.answer('ana', h.correct);
  h.answer('ben', h.wrong);
  h.host('reveal');
  h.host('next');
  h.answer('cai', h.correct);
  h.answer('ben', h.wrong);
  h.host('reveal');
  h.host('next');
  return h;
}

describe('study report on the client', () => {
  it('sorts the grid by player and by question', () => {
    const final = finished().view('host').final!;
    const rows = final.grid!;
    const names = (by: Parameters<typeof sortRows>[1]) => sortRows(rows, by).map((r) => r.name);
    expect(names({ by: 'order' })).toEqual(['Cai', 'Ana', 'Ben']);
    expect(names({ by: 'name' })).toEqual(['Ana', 'Ben', 'Cai']);
    expect(names({ by: 'right' })).toEqual(['Cai', 'Ana', 'Ben']);
    // Question 2: right first, then wrong, then no answer.
    expect(names({ by: 'question', index: 1 })).toEqual(['Cai', 'Ben', 'Ana']);
    expect(sortColumns(final.questions!, 'order')).toEqual([0, 1]);
    expect(sortColumns(final.questions!, 'missed')).toEqual([1, 0]); // 1 of 3 right before 2 of 3
    const q = final.questions![0]!;
    expect(correctAnswers(q)).toEqual(q.correct.map((c) => `${c + 1}: ${q.choices[c]}`));
  });

  it('the report CSV carries the grid, each question with its answer, the domains and the most missed', () => {
    const h = finished();
    const csv = studyReportCsv(gameExport(h.state, h.now));
    const lines = csv.split('\r\n');
    const [q1, q2] = h.state.questions;
    expect(lines[0]).toBe(`player,team,Q1 ${q1!.question.id},Q2 ${q2!.question.id},right,answered`);
    expect(lines.slice(1, 4)).toEqual(['Cai,,right,right,2,2', 'Ana,,right,no answer,1,1', 'Ben,,wrong,wrong,0,2']);
    expect(csv).toContain(q1!.solution.sourceUrl);
    expect(csv).toContain(`${String.fromCharCode(65 + q2!.solution.answer[0]!)}: ${q2!.question.choices[q2!.solution.answer[0]!]}`);
    expect(lines).toContain('domain (cca-2024),answered,correct,accuracy_percent');
    expect(lines).toContain('most_missed,question,question_id,percent_right,correct_answer');
    expect(lines.find((l) => l.startsWith('1,2,'))).toContain(q2!.question.id); // question 2 is the most missed
  });
});
