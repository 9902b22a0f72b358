import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this sandbox needs; a clear message when it is missing. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

const CLIENT_INPUTS = ['client', 'shared', 'vite.config.ts', 'package-lock.json'];
const BUILT_MARK = join('dist', 'client', 'index.html');
const BUILD_LOCK = join('dist', '.client-build.lock');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the client into dist/client so the server under test serves the real UI. Test files run in
 * parallel on bigger machines: one builds while the others wait on a lock, and an up-to-date build is
 * not redone (a rebuild would empty dist/client under a server another file is using).
 */
export function buildClient(): void {
  mkdirSync('dist', { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      closeSync(openSync(BUILD_LOCK, 'wx'));
      break;
    } catch {
      if (waited > 120_000) rmSync(BUILD_LOCK, { force: true }); // left behind by a killed run
      pause(200);
    }
  }
  try {
    if (existsSync(BUILT_MARK) && statSync(BUILT_MARK).mtimeMs > Math.max(...CLIENT_INPUTS.filter(existsSync).map(newestMtime))) return;
    const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`client build failed: ${r.stderr}`);
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Collects the page's Content Security Policy violations: the client must work under the server's CSP. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

/** Runs axe-core in the page; returns serious and critical violations only. */
export async function axeSerious(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the debugging protocol, which the page's CSP (no inline scripts) does not cover.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
