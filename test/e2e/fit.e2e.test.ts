import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../questions/loader.js';
import { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import type { QuestionRecord } from '../../shared/question.js';
import { buildClient, launchChromium } from '../helpers/browser.js';
import { closeTable, setTable, startTestServer } from '../helpers/server.js';

// Every question of the bank, played on the projector at 1920×1080 and 1280×720 and on a 320 px phone:
// the choices and the countdown must be on screen without scrolling, and no prompt text may be cut off.
const MAX_ROOM = 100;
// FIT_LIMIT=40 checks only the first 40 questions (a quick local run); the full bank otherwise.
const LIMIT = Number(process.env.FIT_LIMIT ?? Infinity);
let browser: Browser;
let bank: QuestionRecord[];

beforeAll(async () => {
  buildClient();
  bank = (await loadBank()).slice(0, LIMIT);
  browser = await launchChromium();
}, 120_000);
afterAll(() => browser?.close());

/** Rooms of at most 100 questions in which no two share a fact key (a room never draws both). */
function chunks(questions: QuestionRecord[]): QuestionRecord[][] {
  const out: { qs: QuestionRecord[]; facts: Set<string> }[] = [];
  for (const q of questions) {
    let room = out.find((r) => r.qs.length < MAX_ROOM && !(q.fact && r.facts.has(q.fact)));
    if (!room) out.push((room = { qs: [], facts: new Set() }));
    room.qs.push(q);
    if (q.fact) room.facts.add(q.fact);
  }
  return out.map((r) => r.qs);
}

interface Check {
  where: string;
  problems: string[];
}

/** What a person would see wrong on this screen: something they need outside the viewport, or cut off. */
function inspect(page: Page, where: string, needs: { choices: boolean; body: boolean }): Promise<Check> {
  return page.evaluate(
    ({ where, needs }) => {
      const problems: string[] = [];
      const vw = document.documentElement.clientWidth;
      const vh = window.innerHeight;
      const inside = (el: Element | null, what: string) => {
        if (!el) return problems.push(`${what} missing`);
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.top < -1 || r.left < -1 || r.bottom > vh + 1 || r.right > vw + 1) problems.push(`${what} outside the viewport (${Math.round(r.top)}-${Math.round(r.bottom)} of ${vh})`);
      };
      inside(document.querySelector('[data-testid=countdown]'), 'countdown');
      if (needs.choices) document.querySelectorAll('ol.choices button').forEach((b, i) => inside(b, `choice ${i + 1}`));
      if (needs.body) {
        const body = document.querySelector('[data-testid=question-body]') as HTMLElement | null;
        if (body && body.scrollHeight > body.clientHeight + 1) problems.push(`question text cut off (${body.scrollHeight} > ${body.clientHeight}, fit ${body.dataset.fit})`);
      }
      if (document.documentElement.scrollWidth > vw) problems.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
      return { where, problems };
    },
    { where, needs },
  );
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('every bank question fits the screens', () => {
  it('projector 1920×1080 and 1280×720, phone 320×568: choices and countdown visible, nothing cut off', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const questions of chunks(bank)) {
      const server = await startTestServer({ bank: new QuestionBank(questions), store: new MemoryStore() });
      const settings = { questionCount: questions.length, timeLimitSec: 240, blueprintWeighted: false, getReadySec: 0 };
      // One room per projector size: a room has one host screen (a second one takes control from the first).
      const [forBig, forSmall] = [await setTable(server.url, [], settings), await setTable(server.url, ['Stand-in'], settings)];
      const tables = [forBig!, forSmall!];
      // The pages hold host control, so the test drives each room's own writer directly.
      const command = (type: 'start' | 'skip') => {
        for (const t of tables) expect(server.registry.get(t.code)!.dispatch({ type, by: { role: 'host' } }).error).toBeNull();
      };
      // One context (one window) per screen: a second tab in a window is hidden and its frames are throttled.
      const hostPage = async (viewport: { width: number; height: number }, table: { code: string; hostToken: string }) => {
        const context = await browser.newContext({ viewport });
        await context.addInitScript(([code, token]) => localStorage.setItem(`cca-quiz:host:${code}`, token!), [table.code, table.hostToken]);
        return context.newPage();
      };
      const big = await hostPage({ width: 1920, height: 1080 }, forBig!);
      const small = await hostPage({ width: 1280, height: 720 }, forSmall!);
      const phone = await (await browser.newContext({ viewport: { width: 320, height: 568 }, hasTouch: true, isMobile: true })).newPage();
      for (const page of [big, small, phone]) page.setDefaultTimeout(15_000);
      await Promise.all([big.goto(`${server.url}/host/${forBig!.code}`), small.goto(`${server.url}/host/${forSmall!.code}`)]);
      await phone.goto(`${server.url}/join/${forBig!.code}`);
      await phone.getByLabel('Your nickname').fill('Fit');
      await phone.getByRole('button', { name: 'Join game' }).click();
      await phone.getByText("You're in, Fit!").waitFor();
      command('start');
      const [drawn, drawnSmall] = tables.map((t) => server.registry.get(t.code)!.state.questions);
      expect(drawn).toHaveLength(questions.length);
      for (let i = 0; i < drawn!.length; i++) {
        const id = drawn![i]!.question.id;
        const smallId = drawnSmall![i]!.question.id;
        const heading = `Question ${i + 1} / ${drawn!.length} ·`;
        await Promise.all([big, small].map((p) => p.locator('#q-title', { hasText: heading }).waitFor()));
        await phone.getByText(`Question ${i + 1} of ${drawn!.length}`, { exact: true }).waitFor();
        await Promise.all([big, small, phone].map(nextFrame));
        await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const checks = await Promise.all([
          inspect(big, '1920×1080', { choices: true, body: true }).then((c) => ({ ...c, id })),
          inspect(small, '1280×720', { choices: true, body: true }).then((c) => ({ ...c, id: smallId })),
          inspect(phone, 'phone 320×568 scrolled to the end', { choices: false, body: false }).then((c) => ({ ...c, id })),
        ]);
        for (const c of checks) if (c.problems.length > 0) failures.push(`${c.id} on ${c.where}: ${c.problems.join('; ')}`);
        checked++;
        if (process.env.FIT_PROGRESS) console.log(`${checked} ${id} ${Date.now()}`);
        if (i < drawn!.length - 1) command('skip');
      }
      for (const t of tables) closeTable(t);
      await big.context().close();
      await small.context().close();
      await phone.context().close();
      await server.close();
    }
    expect(checked).toBe(bank.length);
    expect(failures).toEqual([]);
  }, 900_000);
});
