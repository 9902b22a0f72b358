import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadBankFiles } from '../../questions/loader.js';
import { BANK_BALANCE_RULES_ENFORCED, lintBank } from '../../questions/lint.js';
import { lintBalance } from '../../questions/lint-balance.js';
import { storedQuestion, writeBank } from '../helpers/fixture-bank.js';

type Q = Record<string, unknown>;

async function load(files: Record<string, Q[]>) {
  const { questions, problems } = await loadBankFiles(writeBank(files));
  expect(problems.map(formatProblem)).toEqual([]);
  return questions;
}
const balance = async (files: Record<string, Q[]>) => lintBalance(await load(files)).map(formatProblem).join('\n');

const nouns = ['agent', 'operator', 'relay', 'envoy', 'kernel', 'identity', 'endpoint', 'policy', 'service', 'gateway', 'tunnel', 'cluster', 'bucket'];
/** Prompts far enough apart for the near-duplicate rule, none echoed by the fixture's choices. */
const prompt = (i: number) => `Case ${i}: how does the ${nouns[i % 13]} treat the ${nouns[(i * 5 + 3) % 13]} near ${nouns[(i * 7 + 1) % 13]} number ${i * 31}?`;
/** Choice lengths 15, 13, 15, 14: no choice is uniquely longest. */
const CHOICES = ['Maps hold state', 'Maps run code', 'Maps parse YAML', 'Maps sign keys'];
const LONG = 'Maps hold the state'; // 19 characters, uniquely longest

function single(id: string, i: number, keyLongest: boolean, domain = 'ebpf'): Q {
  const key = i % 4;
  const choices = [...CHOICES];
  if (keyLongest) choices[key] = LONG;
  const over: Q = { domain, prompt: prompt(i), choices, answer: [key] };
  if (domain === 'architecture') Object.assign(over, { competency: 'arch-ipam', domain2025: 'kubernetes-networking' });
  return storedQuestion(id, over);
}
const singles = (prefix: string, n: number, longest: number, domain?: string) =>
  Array.from({ length: n }, (_, i) => single(`${prefix}-${i}`, i + (domain === 'architecture' ? 100 : 0), i < longest, domain));

/** A single-choice question with one uniquely longest choice: the key when `keyLongest`, else the next choice. */
function sharpSingle(id: string, i: number, keyLongest: boolean): Q {
  const key = i % 4;
  const choices = [...CHOICES];
  choices[keyLongest ? key : (key + 1) % 4] = LONG;
  return storedQuestion(id, { prompt: prompt(i), choices, answer: [key] });
}

/**
 * Keys [0, 1] put one key among the two longest (share 1/2 = chance); keys [0, 2] put both (share 1);
 * keys [1, 3] (13 and 14 characters) put none, both among the two shortest (share 0).
 */
function multiple(id: string, i: number, leaning: boolean, short = false, domain = 'ebpf'): Q {
  const over: Q = { domain, type: 'multiple', prompt: prompt(200 + i) + ' Choose two.', choices: CHOICES, answer: leaning ? [0, 2] : short ? [1, 3] : [0, 1] };
  if (domain === 'architecture') Object.assign(over, { competency: 'arch-ipam', domain2025: 'kubernetes-networking' });
  return storedQuestion(id, over);
}
const trueFalse = (id: string, i: number, keyTrue: boolean): Q =>
  storedQuestion(id, { type: 'true-false', prompt: prompt(300 + i), choices: ['True', 'False'], answer: [keyTrue ? 0 : 1] });

/** A bank every rule accepts: 20 single (none with the longest key), 10 multiple at chance, 10 true/false half True. */
function cleanBank(): Record<string, Q[]> {
  return {
    'ebpf/s.yaml': singles('ebpf-s', 20, 0),
    'ebpf/m.yaml': Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, false)),
    'ebpf/t.yaml': Array.from({ length: 10 }, (_, i) => trueFalse(`ebpf-t-${i}`, i, i % 2 === 0)),
  };
}

describe('bank balance rules', () => {
  it('accept a balanced bank, with every other lint rule too', async () => {
    const questions = await load(cleanBank());
    expect(lintBank(questions, { balance: true }).map(formatProblem)).toEqual([]);
  });

  it('flag a bank where the key is uniquely longest in more than 30% of single-choice questions', async () => {
    // 7 of 20 is 35%: above the bank limit, not above the domain limit.
    const out = await balance({ ...cleanBank(), 'ebpf/s.yaml': singles('ebpf-s', 20, 7) });
    expect(out).toContain(
      '(bank): choices: bank: the key is the uniquely longest choice in 7 of 20 single-choice questions (35.0%); at most 30.0% allowed. Longest keys: ebpf-s-0, ebpf-s-1, ebpf-s-2, ebpf-s-3, ebpf-s-4, ebpf-s-5, ebpf-s-6',
    );
    expect(out).not.toContain('domain ebpf');
  });

  it('flag a domain above 35% even when the bank is under 30%', async () => {
    const out = await balance({ ...cleanBank(), 'ebpf/s.yaml': singles('ebpf-s', 20, 8), 'architecture/s.yaml': singles('arch-s', 20, 0, 'architecture') });
    expect(out).toMatch(/domain ebpf: the key is the uniquely longest choice in 8 of 20 single-choice questions \(40\.0%\); at most 35\.0% allowed\. Longest keys: ebpf-s-0, .*ebpf-s-7$/m);
    expect(out).not.toMatch(/\bbank: the key/);
  });

  it('accept a multiple-answer lean of exactly chance + 5 points', async () => {
    const leaning = Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, i < 1)); // (1 + 9 x 0.5) / 10 = 55%
    expect(await balance({ ...cleanBank(), 'ebpf/m.yaml': leaning })).toBe('');
  });

  it('flag a multiple-answer lean beyond chance + 5 points, naming the questions whose keys are all among the longest', async () => {
    const leaning = Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, i < 3));
    const out = await balance({ ...cleanBank(), 'ebpf/m.yaml': leaning });
    expect(out).toContain(
      '(bank): choices: multiple-answer keys are among the longest choices 65.0% of the time over 10 questions, chance is 50.0%; at most chance + 5.0% allowed. Every key among the longest: ebpf-m-0, ebpf-m-1, ebpf-m-2',
    );
  });

  it('accept keys that are the longest exactly as often as chance allows, less 10 points bank-wide and 15 per domain', async () => {
    // A distractor is uniquely longest in 17 questions and the key in 3: chance 25%, share 15% (the bank floor);
    // 2 of 10 multiple-answer questions keep both keys among the shortest: lean 40%, chance 50% (the floor).
    const questions = await load({
      ...cleanBank(),
      'ebpf/s.yaml': Array.from({ length: 20 }, (_, i) => sharpSingle(`ebpf-s-${i}`, i, i < 3)),
      'ebpf/m.yaml': Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, false, i < 2)),
    });
    expect(lintBank(questions, { balance: true }).map(formatProblem)).toEqual([]);
  });

  it('flag a bank whose keys are the uniquely longest choice more than 10 points less often than chance', async () => {
    // 2 of 20 (10%) against chance 25%: under the bank floor (15%), not under the domain floor (10%).
    const out = await balance({ ...cleanBank(), 'ebpf/s.yaml': Array.from({ length: 20 }, (_, i) => sharpSingle(`ebpf-s-${i}`, i, i < 2)) });
    expect(out).toContain(
      '(bank): choices: bank: the key is the uniquely longest choice in only 2 of 20 single-choice questions (10.0%), chance is 25.0%; at least chance - 10.0% (15.0%) required: make some keys as specific as the distractors. By domain: ebpf 2 of 20 keys uniquely longest, 20 question(s) with a uniquely longest choice',
    );
    expect(out).not.toContain('domain ebpf');
  });

  it('flag a domain of 20+ single-choice questions more than 15 points under chance even when the bank is above its floor', async () => {
    // ebpf: 0 of 20 against 25%. The bank: 40 more questions with no uniquely longest choice bring chance to 8.3%.
    const sharp = (n: number) => Array.from({ length: n }, (_, i) => sharpSingle(`ebpf-s-${i}`, i, false));
    const rest = singles('arch-s', 40, 0, 'architecture');
    const out = await balance({ ...cleanBank(), 'ebpf/s.yaml': sharp(20), 'architecture/s.yaml': rest });
    expect(out).toBe(
      '(bank): choices: domain ebpf: the key is the uniquely longest choice in only 0 of 20 single-choice questions (0.0%), chance is 25.0%; at least chance - 15.0% (10.0%) required: make some keys as specific as the distractors. Counts: 0 of 20 keys uniquely longest, 20 question(s) with a uniquely longest choice',
    );
    // 19 single-choice questions are too few for the domain floor.
    expect(await balance({ ...cleanBank(), 'ebpf/s.yaml': sharp(19), 'architecture/s.yaml': rest })).toBe('');
  });

  it('flag a multiple-answer lean under chance - 10 points bank-wide, naming the questions whose keys are all among the shortest', async () => {
    const short = Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, false, i < 3)); // 7 x 0.5 / 10 = 35%
    expect(await balance({ ...cleanBank(), 'ebpf/m.yaml': short })).toContain(
      '(bank): choices: bank: multiple-answer keys are among the longest choices only 35.0% of the time over 10 questions, chance is 50.0%; at least chance - 10.0% required. Every key among the shortest: ebpf-m-0, ebpf-m-1, ebpf-m-2',
    );
  });

  it('flag a domain of 5+ multiple-answer questions under chance - 10 points even when the bank is not', async () => {
    // ebpf leans (3 of 10 with both keys longest), architecture's 5 keep their keys short: bank (3 + 3.5) / 15 = 43.3%.
    const ebpf = Array.from({ length: 10 }, (_, i) => multiple(`ebpf-m-${i}`, i, i < 3));
    const arch = (n: number) => Array.from({ length: n }, (_, i) => multiple(`arch-m-${i}`, 20 + i, false, true, 'architecture'));
    const out = await balance({ ...cleanBank(), 'ebpf/m.yaml': ebpf, 'architecture/m.yaml': arch(5) });
    expect(out).toBe(
      '(bank): choices: domain architecture: multiple-answer keys are among the longest choices only 0.0% of the time over 5 questions, chance is 50.0%; at least chance - 10.0% required. Every key among the shortest: arch-m-0, arch-m-1, arch-m-2, arch-m-3, arch-m-4',
    );
    expect(await balance({ ...cleanBank(), 'ebpf/m.yaml': ebpf, 'architecture/m.yaml': arch(4) })).toBe('');
  });

  it('flag true/false keys outside 45-55% True, naming the side to re-key', async () => {
    const mostlyFalse = Array.from({ length: 10 }, (_, i) => trueFalse(`ebpf-t-${i}`, i, i < 3));
    expect(await balance({ ...cleanBank(), 'ebpf/t.yaml': mostlyFalse })).toContain(
      '(bank): answer: 3 of 10 true/false questions are keyed True (30.0%); 45.0%-55.0% required. Keyed False: ebpf-t-3, ebpf-t-4, ebpf-t-5, ebpf-t-6, ebpf-t-7, ebpf-t-8, ebpf-t-9',
    );
    const mostlyTrue = Array.from({ length: 10 }, (_, i) => trueFalse(`ebpf-t-${i}`, i, i < 8));
    expect(await balance({ ...cleanBank(), 'ebpf/t.yaml': mostlyTrue })).toMatch(/8 of 10 true\/false questions are keyed True \(80\.0%\).*Keyed True: ebpf-t-0, .*ebpf-t-7$/m);
  });

  it('flag the one choice that echoes the prompt when the others share none of its words', async () => {
    const echo = storedQuestion('ebpf-e-01', {
      prompt: 'Which component garbage collects stale identities?',
      choices: ['The agent collects stale identities', 'The operator', 'The kernel', 'Hubble Relay'],
    });
    const shared = storedQuestion('ebpf-e-02', {
      prompt: 'Which component garbage collects stale identities in clusters?',
      choices: ['The agent collects stale identities', 'The operator collects identities', 'The kernel', 'Hubble Relay'],
    });
    const out = await balance({ ...cleanBank(), 'ebpf/e.yaml': [echo, shared] });
    expect(out).toContain("ebpf-e-01: choices[0]: only this choice repeats the prompt's wording (3 words: collects, stale, identities)");
    expect(out).not.toContain('ebpf-e-02');
  });

  it('flag /en/latest/ and unversioned docs pages unless the question is about the next release', async () => {
    const latest = 'https://docs.cilium.io/en/latest/network/ebpf/maps/';
    const out = await balance({
      ...cleanBank(),
      'ebpf/u.yaml': [
        storedQuestion('ebpf-u-01', { source: { url: latest } }),
        storedQuestion('ebpf-u-02', { verified: { on: '2026-11-21', versions: ['1.19'], against: ['https://docs.cilium.io/network/ebpf/maps/'] } }),
        storedQuestion('ebpf-u-03', { topic: 'next-release', source: { url: latest } }),
        storedQuestion('ebpf-u-04', { source: { url: 'https://docs.cilium.io/en/v1.19/network/ebpf/maps/' } }),
      ],
    });
    expect(out).toContain(`ebpf-u-01: source.url: ${latest} cites /en/latest/, which follows the next development branch`);
    expect(out).toContain('ebpf-u-02: verified.against[0]: https://docs.cilium.io/network/ebpf/maps/ is not a versioned docs page');
    expect(out).not.toMatch(/ebpf-u-0[34]/);
  });

  it('flag a question without verified.versions', async () => {
    const out = await balance({ ...cleanBank(), 'ebpf/v.yaml': [storedQuestion('ebpf-v-01', { verified: { on: '2026-11-21', against: ['https://docs.cilium.io/en/stable/'] } })] });
    expect(out).toContain('ebpf-v-01: verified.versions: missing');
  });

  it('flag every competency with fewer than 10 questions once the bank is full size', async () => {
    const many = Array.from({ length: 267 }, (_, i) => storedQuestion(`ebpf-c-${i}`));
    const few = Array.from({ length: 3 }, (_, i) => storedQuestion(`ebpf-k-${i}`, { competency: 'ebpf-key-benefits' }));
    const out = await balance({ 'ebpf/c.yaml': many, 'ebpf/k.yaml': few });
    expect(out).toContain('(bank): competency: competency ebpf-key-benefits (ebpf) has 3 question(s), at least 10 needed: ebpf-k-0, ebpf-k-1, ebpf-k-2');
    expect(out).toContain('competency arch-ipam (architecture) has 0 question(s), at least 10 needed');
    expect(out).not.toContain('competency ebpf-role-in-cilium ');
    expect(out.split('\n').filter((l) => l.includes('(bank): competency:'))).toHaveLength(26);
  });
});

describe('questions:check with the balance rules', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'questions/cli/check.ts', ...args], { encoding: 'utf8' });

  it('fails a bank that breaks them under --balance, and by default once they are enforced', () => {
    const dir = writeBank({ ...cleanBank(), 'ebpf/s.yaml': singles('ebpf-s', 20, 8) });
    const forced = run('--dir', dir, '--balance');
    expect(forced.status).toBe(1);
    expect(forced.stderr).toContain('8 of 20 single-choice questions (40.0%); at most 30.0% allowed. Longest keys: ebpf-s-0,');
    expect(run('--dir', dir).status).toBe(BANK_BALANCE_RULES_ENFORCED ? 1 : 0);
  });
});
