import { describe, expect, it } from 'vitest';
import { formatProblem, loadBankFiles } from '../../questions/loader.js';
import { storedQuestion, writeBank } from '../helpers/fixture-bank.js';

async function problems(files: Parameters<typeof writeBank>[0]): Promise<string[]> {
  const { problems } = await loadBankFiles(writeBank(files));
  return problems.map(formatProblem);
}

describe('question loader', () => {
  it('loads a valid bank', async () => {
    const { questions, problems } = await loadBankFiles(writeBank({ 'ebpf/maps.yaml': [storedQuestion('ebpf-maps-01'), storedQuestion('ebpf-maps-02')] }));
    expect(problems).toEqual([]);
    expect(questions.map((q) => q.record.id)).toEqual(['ebpf-maps-01', 'ebpf-maps-02']);
  });

  it('names file, question id and field path', async () => {
    const out = await problems({ 'ebpf/maps.yaml': [storedQuestion('ebpf-maps-01', { difficulty: 5 })] });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/ebpf[/\\]maps\.yaml: ebpf-maps-01: difficulty: /);
  });

  it('rejects out-of-range solutions', async () => {
    const out = await problems({ 'ebpf/maps.yaml': [storedQuestion('ebpf-maps-01', { answer: [4] })] });
    expect(out.join('\n')).toContain('ebpf-maps-01: answer[0]: index 4 is out of range for 4 choices');
  });

  it('rejects duplicate choices', async () => {
    const out = await problems({ 'ebpf/maps.yaml': [storedQuestion('ebpf-maps-01', { choices: ['Maps hold state', 'maps  hold state', 'C', 'D'] })] });
    expect(out.join('\n')).toContain('ebpf-maps-01: choices[1]: duplicate of choice 0');
  });

  it('rejects duplicate ids across files', async () => {
    const out = await problems({ 'ebpf/a.yaml': [storedQuestion('ebpf-x-01')], 'ebpf/b.yaml': [storedQuestion('ebpf-x-01', { prompt: 'Another prompt entirely about maps' })] });
    expect(out.join('\n')).toMatch(/b\.yaml: ebpf-x-01: id: duplicate id \(first defined in .*a\.yaml\)/);
  });

  it('checks type rules: single, multiple and true-false', async () => {
    const out = (
      await problems({
        'ebpf/t.yaml': [
          storedQuestion('ebpf-t-01', { answer: [0, 1] }),
          storedQuestion('ebpf-t-02', { type: 'multiple', answer: [0] }),
          storedQuestion('ebpf-t-03', { type: 'true-false', choices: ['Yes', 'No'], answer: [0] }),
        ],
      })
    ).join('\n');
    expect(out).toContain('ebpf-t-01: answer: a single-choice question has exactly one answer');
    expect(out).toContain('ebpf-t-02: answer: a multiple-choice question has at least two answers');
    expect(out).toContain('ebpf-t-03: choices: a true-false question has exactly the choices ["True", "False"]');
  });

  it('reports unknown fields, missing fields and YAML syntax errors', async () => {
    const { url: _u, ...noUrl } = storedQuestion('x').source as Record<string, string>;
    const out = (
      await problems({
        'ebpf/a.yaml': [storedQuestion('ebpf-a-01', { colour: 'red' }), storedQuestion('ebpf-a-02', { source: noUrl })],
        'ebpf/b.yaml': '- id: [unclosed',
      })
    ).join('\n');
    expect(out).toMatch(/ebpf-a-01: .*colour/);
    expect(out).toContain('ebpf-a-02: source.url:');
    expect(out).toMatch(/b\.yaml: \(file\): YAML: /);
  });

  it('rejects a question without its competency or 5-domain domain, or with a competency of another domain', async () => {
    const { competency: _c, ...noCompetency } = storedQuestion('ebpf-c-01');
    const { domain2025: _d, ...noDomain2025 } = storedQuestion('ebpf-c-02');
    const out = (
      await problems({
        'ebpf/c.yaml': [
          noCompetency,
          noDomain2025,
          storedQuestion('ebpf-c-03', { competency: 'np-identity-model' }),
          storedQuestion('ebpf-c-04', { competency: 'ebpf-made-up' }),
          storedQuestion('ebpf-c-05', { domain2025: 'architecture' }),
        ],
      })
    ).join('\n');
    expect(out).toMatch(/c\.yaml: ebpf-c-01: competency: required: the competency of the 8-domain outline/);
    expect(out).toMatch(/c\.yaml: ebpf-c-02: domain2025: required: the domain of the 5-domain outline, one of fundamentals, /);
    expect(out).toContain('ebpf-c-03: competency: competency "np-identity-model" belongs to domain network-policy, not ebpf');
    expect(out).toContain('ebpf-c-04: competency: unknown competency "ebpf-made-up"');
    expect(out).toContain("ebpf-c-05: domain2025: unknown: the domain of the 5-domain outline");
  });
});
