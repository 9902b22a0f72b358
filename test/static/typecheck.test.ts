import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = (name: string) => join('node_modules', '.bin', name);

describe('static checks', () => {
  it('server, shared, questions and tests typecheck under strict TypeScript', () => {
    const r = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('the Svelte client typechecks with no warnings', () => {
    const r = spawnSync(bin('svelte-check'), ['--tsconfig', 'client/tsconfig.json', '--fail-on-warnings', '--output', 'machine'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/COMPLETED .* 0 ERRORS 0 WARNINGS/);
    expect(r.status).toBe(0);
  }, 120_000);
});
