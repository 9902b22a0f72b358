#!/usr/bin/env node
// `npm test`: every test layer through Vitest, then the plain count line CI reads.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-results');
const report = join(outDir, 'vitest.json');
mkdirSync(outDir, { recursive: true });
rmSync(report, { force: true });

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
if (!existsSync(vitest)) {
  console.error('Vitest is not installed: run `npm ci` (or `npm install`) first.');
  process.exit(1);
}
// One fuzz seed for the whole run (fuzz and property tests read FUZZ_SEED), printed once to replay it.
const fuzzSeed = process.env.FUZZ_SEED ?? String(randomInt(2 ** 31));
console.log(`Fuzz seed ${fuzzSeed} (replay with FUZZ_SEED=${fuzzSeed} npm test)`);
const env = { ...process.env, FUZZ_SEED: fuzzSeed, ...(process.env.CI ? { FORCE_COLOR: '0' } : {}) };
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env },
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  // A file that fails to load, or whose set-up fails (its tests then show as skipped), has no failed
  // test of its own: count it as one failure.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = (json.numFailedTests ?? 0) + brokenFiles;
} else if (run.status !== 0) {
  failed = 1; // Vitest itself did not run to the end
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
