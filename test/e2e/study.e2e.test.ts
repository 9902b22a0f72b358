import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../questions/loader.js';
import { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import type { GameExport } from '../../shared/protocol/export.js';
import { axeSerious, buildClient, launchChromium } from '../helpers/browser.js';
import { Pages, expectNoSidewaysScroll, type Viewport } from '../helpers/pages.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
const QUESTIONS = 3;
let browser: Browser;
let server: TestServer;
const pages = new Pages(() => browser);

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  // Real single-choice questions from different domains, so the domain report has several bars.
  const single = (await loadBank()).filter((q) => q.type === 'single' && q.choices.length === 4 && !q.prompt.includes('```'));
  const picked = [...new Map(single.map((q) => [q.domain, q])).values()].slice(0, 4);
  // A manual clock: the test moves server time past any 20 s timer and sees the questions stay open.
  server = await startTestServer({ bank: new QuestionBank(picked), store: new MemoryStore(), manualClock: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

const page = (viewport: Viewport, phone = false): Promise<Page> => pages.open(viewport, { phone });

async function joinAs(code: string, name: string, width = 360): Promise<Page> {
  const p = await page({ width, height: 640 }, true);
  await p.goto(`${server.url}/join/${code}`);
  await p.locator('#nickname').fill(name);
  await p.getByRole('button', { name: 'Join game' }).click();
  await p.getByText(`You're in, ${name}!`).waitFor();
  return p;
}

async function accessible(p: Page, where: string) {
  expect(await axeSerious(p), `axe on ${where}`).toEqual([]);
  await expectNoSidewaysScroll(p, where);
}

const squash = (s: string) => s.replace(/`/g, '').replace(/\s+/g, ' ').trim();

describe('a Study session through the real UI', () => {
  it('three phones from lobby to report: no timer fires, explanations at each reveal, the grid and answers on screen and in the downloads', async () => {
    const host = await page({ width: 1920, height: 1080 });
    await host.goto(`${server.url}/host`);
    await host.getByLabel('Mode').selectOption('study');
    // Study defaults: no timer, no scoring.
    await expect.poll(() => host.getByLabel(/^Timer/).inputValue()).toBe('0');
    expect(await host.getByLabel(/Scoring and podium/).isChecked()).toBe(false);
    await host.getByLabel('Questions').fill(String(QUESTIONS));
    await host.getByLabel('Questions').press('Tab');
    await host.getByLabel(/^Get ready count/).fill('0');
    await host.getByLabel(/^Get ready count/).press('Tab');
    await host.getByRole('button', { name: 'Create room' }).click();
    const code = (await host.locator('.room-code').textContent())!.trim();
    const ana = await joinAs(code, 'Ana');
    const ben = await joinAs(code, 'Ben');
    const cai = await joinAs(code, 'Cai', 320);
    const phones = [ana, ben, cai];
    const room = server.registry.get(code)!;
    expect(room.state.settings).toMatchObject({ mode: 'study', timeLimitSec: 0, studyScoring: false });
    await host.getByRole('button', { name: /Start game/ }).click();

    // Ana is always right, Ben always wrong, Cai silent on the first question and right after that.
    for (let i = 0; i < QUESTIONS; i++) {
      for (const p of phones) await p.getByRole('heading', { name: `Question ${i + 1} of ${QUESTIONS}` }).waitFor();
      const { solution } = room.state.questions[i]!;
      const right = solution.answer[0]!;
      const wrong = [0, 1, 2, 3].find((c) => c !== right)!;
      await ana.locator('ol.choices button').nth(right).click();
      await ben.locator('ol.choices button').nth(wrong).click();
      if (i > 0) await cai.locator('ol.choices button').nth(right).click();
      await expect.poll(() => Object.keys(room.state.round!.answers).length).toBe(i > 0 ? 3 : 2);
      // Past any 20 s timer, the question is still open: only the host closes it.
      server.clock!.advance(25_000);
      expect(room.state.phase).toBe('question');
      await host.getByRole('button', { name: 'Reveal' }).waitFor();
      expect(await host.getByRole('heading', { name: /^Answer · Question/ }).count()).toBe(0);
      if (i === 0) expect(await cai.locator('ol.choices button').first().isEnabled()).toBe(true);
      await host.getByRole('button', { name: 'Reveal' }).click();
      await host.getByRole('heading', { name: new RegExp(`^Answer · Question ${i + 1}`) }).waitFor();
      // Every phone shows the explanation and the docs link; no points anywhere.
      for (const p of phones) {
        await p.locator(`a[href="${solution.sourceUrl}"]`).waitFor();
        await expect.poll(async () => squash(await p.locator('main').innerText())).toContain(squash(solution.explanation).slice(0, 80));
        expect(await p.getByLabel('Your score').count()).toBe(0);
      }
      await ana.getByRole('heading', { name: '✓ Correct!', exact: true }).waitFor();
      await ben.getByText('✗ Not this time').waitFor();
      await host.getByRole('button', { name: 'Next question ▶' }).click();
    }

    // The report on the host screen: no podium, the grid (3 players × 3 questions) and every answer.
    await host.getByRole('heading', { name: `Study report · Room ${code}` }).waitFor();
    expect(await host.getByRole('region', { name: 'Podium' }).count()).toBe(0);
    const grid = host.getByTestId('study-grid');
    const marks = () => grid.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent!.trim(), ...[...r.querySelectorAll('td.mark')].map((td) => td.getAttribute('data-mark'))]));
    expect(await marks()).toEqual([
      ['Ana', 'right', 'right', 'right'],
      ['Ben', 'wrong', 'wrong', 'wrong'],
      ['Cai', 'none', 'right', 'right'],
    ]);
    // A symbol and words in every cell (the words for screen readers), never colour alone.
    expect((await grid.locator('tbody td.mark').first().innerText()).replace(/\s+/g, ' ')).toBe('✓ right');
    expect(await grid.locator('caption').innerText()).toContain('✓ right, ✗ wrong, – no answer');
    // Sorted by player and by question.
    await host.getByLabel('Sort players', { exact: true }).selectOption('right');
    await expect.poll(async () => (await marks()).map((r) => r[0])).toEqual(['Ana', 'Cai', 'Ben']);
    await grid.getByRole('button', { name: /^Q1\s*:/ }).click();
    await expect.poll(async () => (await marks()).map((r) => r[0])).toEqual(['Ana', 'Ben', 'Cai']);
    await host.getByLabel('Sort questions', { exact: true }).selectOption('missed');
    await expect.poll(() => grid.locator('thead th button').nth(1).textContent()).toMatch(/^Q1:/); // 1 of 3 right: first
    for (let i = 0; i < QUESTIONS; i++) {
      const { question, solution } = room.state.questions[i]!;
      const item = host.locator(`[data-question="${question.id}"]`);
      expect(squash(await item.locator('li.right').innerText())).toContain(squash(question.choices[solution.answer[0]!]!));
      expect(await item.locator('li.right').innerText()).toContain('✓ correct');
      expect(await item.locator(`a[href="${solution.sourceUrl}"]`).count()).toBe(1);
    }
    await host.getByRole('heading', { name: 'Most missed' }).waitFor();
    await host.getByRole('heading', { name: 'Group accuracy per domain' }).waitFor();
    await accessible(host, 'host study report at 1920');
    await host.screenshot({ path: join(SHOTS, 'host-study-report.png'), fullPage: true });
    await host.setViewportSize({ width: 320, height: 640 });
    await accessible(host, 'host study report at 320');
    await host.setViewportSize({ width: 1920, height: 1080 });

    // Each phone gets its own part: its answers beside the right ones.
    await cai.getByRole('heading', { name: 'Your study report' }).waitFor();
    await cai.getByText('You: 2 of 3 right').waitFor();
    expect(await cai.getByTestId('study-grid').count()).toBe(0);
    await accessible(cai, 'phone study report at 320');
    await cai.screenshot({ path: join(SHOTS, 'player-study-report.png'), fullPage: true });

    // The downloads: the report CSV and the JSON carry the grid.
    const [csvFile] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: 'Report CSV (grid and answers)' }).click()]);
    const csv = readFileSync((await csvFile.path())!, 'utf8').split('\r\n');
    expect(csv.slice(1, 4)).toEqual(['Ana,,right,right,right,3,3', 'Ben,,wrong,wrong,wrong,0,3', 'Cai,,no answer,right,right,2,2']);
    const first = room.state.questions[0]!;
    expect(csv.some((l) => l.includes(first.question.id) && l.includes(first.solution.sourceUrl))).toBe(true);
    const [jsonFile] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: 'All results (JSON)' }).click()]);
    const exported = JSON.parse(readFileSync((await jsonFile.path())!, 'utf8')) as GameExport;
    expect(exported.grid!.map((r) => [r.name, ...r.marks])).toEqual([
      ['Ana', 'right', 'right', 'right'],
      ['Ben', 'wrong', 'wrong', 'wrong'],
      ['Cai', 'none', 'right', 'right'],
    ]);
    expect(exported.players.every((p) => p.score === 0)).toBe(true);
    expect(pages.takeCspViolations()).toEqual([]);
  }, 180_000);
});
