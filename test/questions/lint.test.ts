import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadBankFiles } from '../../questions/loader.js';
import { lintBank } from '../../questions/lint.js';
import { DOMAIN_2025_IDS } from '../../shared/curriculum.js';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { storedQuestion, writeBank } from '../helpers/fixture-bank.js';

async function lint(files: Parameters<typeof writeBank>[0]): Promise<string> {
  const { questions, problems } = await loadBankFiles(writeBank(files));
  expect(problems.map(formatProblem)).toEqual([]);
  return lintBank(questions).map(formatProblem).join('\n');
}

const distinctPrompts = [
  'How does the agent learn about new pods',
  'Which port does Hubble Relay use by default',
  'What does the operator garbage collect',
  'Where do CIDR identities start',
  'Why would you pick native routing',
  'When is an endpoint in default deny',
  'Who allocates pod CIDRs in cluster pool mode',
  'What happens to ICMP once an L4 rule applies',
];
/** n single-choice questions with distinct prompts and the answer at position(i). */
function singles(n: number, position: (i: number) => number) {
  return Array.from({ length: n }, (_, i) =>
    storedQuestion(`ebpf-p-${i}`, { answer: [position(i)], prompt: `${distinctPrompts[i % 8]} (variant ${'abcdefghijklmnopqrstuvwxyz'[i]} ${i * 7919})?` }),
  );
}

describe('bank linter', () => {
  it('passes a clean bank', async () => {
    expect(await lint({ 'ebpf/p.yaml': singles(20, (i) => i % 4) })).toBe('');
  });

  it('flags an answer position holding more than 35% of single-choice answers', async () => {
    const out = await lint({ 'ebpf/p.yaml': singles(20, (i) => (i < 8 ? 2 : i % 2)) });
    expect(out).toMatch(/\(bank\): answer: 8 of 20 single-choice answers \(40\.0%\) are at position 2/);
  });

  it('flags all/none of the above', async () => {
    const out = await lint({ 'ebpf/a.yaml': [storedQuestion('ebpf-a-01', { choices: ['Maps hold state', 'Maps run code', 'None of the above', 'Maps sign keys'] })] });
    expect(out).toContain('ebpf-a-01: choices[2]: "None of the above" refers to other choices');
  });

  it('flags a choice more than 2.5x longer than the shortest', async () => {
    const out = await lint({ 'ebpf/a.yaml': [storedQuestion('ebpf-a-01', { choices: ['Short', 'Also short', 'A very much longer choice that gives it away', 'Brief'] })] });
    expect(out).toMatch(/ebpf-a-01: choices\[2\]: choice is 44 characters, more than 2\.5x the shortest \(5\)/);
  });

  it('flags sources off the allowed hosts', async () => {
    const out = await lint({ 'ebpf/a.yaml': [storedQuestion('ebpf-a-01', { source: { url: 'https://medium.com/some-post' } })] });
    expect(out).toContain('ebpf-a-01: source.url: https://medium.com/some-post is not on an allowed host');
  });

  it('allows only the cilium organisation on github', async () => {
    const ok = storedQuestion('ebpf-a-01', { source: { url: 'https://github.com/cilium/cilium/blob/main/README.rst' } });
    const bad = storedQuestion('ebpf-a-02', { prompt: 'A different prompt about maps entirely', source: { url: 'https://github.com/someone/fork' } });
    const out = await lint({ 'ebpf/a.yaml': [ok, bad] });
    expect(out).not.toContain('ebpf-a-01');
    expect(out).toContain('ebpf-a-02: source.url');
  });

  it('flags near-duplicate prompts', async () => {
    const out = await lint({
      'ebpf/a.yaml': [
        storedQuestion('ebpf-a-01', { prompt: 'Which Cilium component runs on every node and loads the eBPF programs?' }),
        storedQuestion('ebpf-a-02', { prompt: 'Which Cilium component runs on every node and loads the eBPF programs ?' }),
      ],
    });
    expect(out).toMatch(/ebpf-a-02: prompt: near-duplicate of ebpf-a-01/);
  });

  it('flags a question filed under another domain folder', async () => {
    const out = await lint({ 'cluster-mesh/a.yaml': [storedQuestion('ebpf-a-01')] });
    expect(out).toContain('ebpf-a-01: domain: domain "ebpf" does not match its folder "cluster-mesh"');
  });
});

describe('questions:check command', () => {
  const run = (dir: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'questions/cli/check.ts', '--dir', dir], { encoding: 'utf8' });

  it('exits 0 on a clean bank and non-zero with a precise message on a broken one', () => {
    expect(run(writeBank({ 'ebpf/a.yaml': [storedQuestion('ebpf-a-01')] })).status).toBe(0);
    const broken = run(writeBank({ 'ebpf/a.yaml': [storedQuestion('ebpf-a-01', { answer: [7] })] }));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/a\.yaml: ebpf-a-01: answer\[0\]: index 7 is out of range/);
  });

  it('passes on the real bank', () => {
    const real = spawnSync(process.execPath, ['--import', 'tsx', 'questions/cli/check.ts'], { encoding: 'utf8' });
    expect(real.stderr).toBe('');
    expect(real.status).toBe(0);
  });

  it('stats --json prints total and byDomain first, then the other outline, the competencies and the gaming figures', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'questions/cli/stats.ts', '--json'], { encoding: 'utf8' });
    const json = JSON.parse(out.stdout);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(Object.keys(json)).toEqual(['total', 'byDomain', 'byDomain2025', 'byCompetency', 'gaming']);
    expect(Object.keys(json.byDomain)).toEqual(DOMAIN_IDS);
    expect(Object.keys(json.byDomain2025)).toEqual([...DOMAIN_2025_IDS]);
    expect(Object.keys(json.byCompetency)).toHaveLength(27);
    expect(json.total).toBe(sum(json.byDomain));
    expect(sum(json.byDomain2025)).toBe(json.total);
    expect(sum(json.byCompetency)).toBe(json.total);
    expect(Object.keys(json.gaming.byDomain)).toEqual(DOMAIN_IDS);
    expect(json.gaming.bank).toMatchObject({ single: expect.any(Number), longestKey: expect.any(Number), lean: expect.any(Number), leanChance: expect.any(Number), trueShare: expect.any(Number), echo: expect.any(Number) });
  });

  it('stats shows both outlines, the competencies and the anti-gaming figures', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'questions/cli/stats.ts'], { encoding: 'utf8' }).stdout;
    expect(out).toContain('[cca-2024]');
    expect(out).toContain('[cca-2025]');
    expect(out).toContain('Securing Workloads with Cilium');
    expect(out).toMatch(/np-identity-model +\d+/);
    expect(out).toMatch(/^BANK +\d+\/\d+ /m);
  });
});
