import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Stage {
  from: string;
  name: string | undefined;
  instructions: { op: string; args: string }[];
}

/** Dockerfile instructions by stage (continuation lines joined, comments dropped). */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      out.push({ from: m[1]!, name: m[2], instructions: [] });
    } else out.at(-1)!.instructions.push({ op: op!.toUpperCase(), args });
  }
  return out;
}

describe('the container image (Dockerfile, parsed: no Docker engine here)', () => {
  const dockerfile = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const runtime = dockerfile.at(-1)!;
  const ops = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op).map((i) => i.args);

  it('is multi-stage: a build stage builds, the runtime stage installs production dependencies only', () => {
    expect(dockerfile.length).toBe(2);
    expect(ops(dockerfile[0]!, 'RUN').join('\n')).toContain('npm run build');
    const run = ops(runtime, 'RUN').join('\n');
    expect(run).toContain('npm ci --omit=dev');
    expect(run).not.toContain('npm run build');
    expect(runtime.from).toMatch(/-slim$/);
  });

  it('runs as a numeric non-root user, with a HEALTHCHECK on /healthz', () => {
    const user = ops(runtime, 'USER').at(-1)!;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(ops(runtime, 'HEALTHCHECK').join(' ')).toContain('/healthz');
    expect(ops(runtime, 'CMD').at(-1)).toBe('["node", "dist/server/main.js"]');
    // The Deployment runs the same uid.
    const app = readFileSync(join(ROOT, 'deploy', 'k8s', 'base', 'app.yaml'), 'utf8');
    expect(app).toContain(`runAsUser: ${user.split(':')[0]}`);
  });

  it('every COPY source exists: in the build context (not .dockerignored) or as a build output', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const buildOutputs = ['/app/dist', '/app/questions/bank'];
    for (const stage of dockerfile) {
      for (const args of ops(stage, 'COPY')) {
        const parts = args.split(/\s+/);
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
        for (const src of sources) {
          if (from) {
            expect(dockerfile.some((s) => s.name === from), `stage ${from}`).toBe(true);
            // dist is what `npm run build` writes; the bank is copied in with the context.
            expect(buildOutputs, src).toContain(src);
          } else {
            expect(existsSync(join(ROOT, src)), src).toBe(true);
            expect(ignored.includes(src.replace(/^\.\//, '')), `${src} is .dockerignored`).toBe(false);
          }
        }
      }
    }
    expect(existsSync(join(ROOT, 'questions', 'bank'))).toBe(true);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });
});

describe('docker-compose config', () => {
  const compose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  const available = !compose.error && compose.status === 0;

  for (const profile of [[], ['--profile', 'cluster']]) {
    it(`passes with ${profile.join(' ') || 'the default profile'}`, (ctx) => {
      if (!available) {
        console.warn('skipped: docker-compose is not installed');
        return ctx.skip();
      }
      const run = spawnSync('docker-compose', [...profile, 'config', '--quiet'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PUBLIC_URL: '' } });
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.status).toBe(0);
    });
  }
});
