import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium, watchCsp } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ store: new MemoryStore() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/** Clicks "Start"/"Next question" and returns the question the server served. */
async function serveNext(page: Page, button: string): Promise<{ id: string; type: string }> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/practice/next')), page.getByRole('button', { name: button }).click()]);
  return ((await response.json()) as { question: { id: string; type: string } }).question;
}

describe('/stats that teaches, in a real browser', () => {
  it('a new profile has no readiness figure; after practice a missed question shows both answers; the trend has axes; 320 px; the exam joins Earlier attempts at once', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 568 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const csp = watchCsp(page);
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/practice`);
    await page.getByLabel('Nickname').fill('Learner');
    await page.getByRole('button', { name: 'Create my profile' }).click();
    await page.locator('.code').waitFor();

    await page.goto(`${server.url}/stats`);
    await page.getByText('Not enough answers yet').waitFor();
    const summary = (await page.locator('.summary').textContent()) ?? '';
    expect(summary).not.toMatch(/\d+\s?%/); // no "50% readiness" for someone who has not answered
    expect(summary).toContain('provisional: still settling after few answers');
    expect(summary).not.toMatch(/\d\?/);
    expect(await page.locator('.readiness-method').textContent()).toMatch(/^Based on your rating in each domain/);
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await axeSerious(page)).toEqual([]);

    // Six practice questions, two of them wrong.
    await page.goto(`${server.url}/practice`);
    const wrong: { id: string; picked: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const q = await serveNext(page, i === 0 ? 'Start' : 'Next question');
      const record = server.bank.byId.get(q.id)!;
      const right = i % 3 !== 1;
      const choices = right ? record.answer : [[0, 1, 2, 3].find((c) => !record.answer.includes(c))!];
      if (!right) wrong.push({ id: q.id, picked: choices[0]! });
      for (const c of choices) await page.locator('ol.choices button').nth(c).click();
      if (q.type === 'multiple') await page.getByRole('button', { name: 'Confirm answer' }).click();
      await page.locator('p.verdict', { hasText: right ? 'Correct' : 'Not quite' }).waitFor();
    }

    await page.getByRole('link', { name: 'My stats' }).click();
    await page.getByRole('heading', { name: 'Questions you missed' }).waitFor();
    await page.getByText('Not enough answers yet').waitFor(); // six answers cannot cover eight domains
    const cards = page.locator('section[aria-label="Questions you missed"] article');
    await expect.poll(() => cards.count()).toBe(2);
    for (const w of wrong) {
      const record = server.bank.byId.get(w.id)!;
      const card = cards.and(page.locator(`[data-question="${w.id}"]`));
      expect(await card.locator('.your-answer').textContent()).toContain(record.choices[w.picked]);
      for (const c of record.answer) expect(await card.locator('.correct-answer').textContent()).toContain(record.choices[c]);
      expect(await card.getByText('Your answer', { exact: true }).count()).toBeGreaterThan(0);
      expect(await card.getByRole('link', { name: 'Read the Cilium docs' }).getAttribute('href')).toBe(record.source.url);
    }

    // The trend chart has a rating axis and a date axis with labelled ticks.
    const chart = page.locator('section[aria-label="Rating trend"] svg');
    await chart.waitFor();
    expect(await chart.locator('text.title').allTextContents()).toEqual(['Date', 'Rating']);
    expect(await chart.locator('text[data-axis="y"]').count()).toBeGreaterThanOrEqual(2);
    const xTicks = await chart.locator('text[data-axis="x"]').allTextContents();
    expect(xTicks.length).toBe(2);
    expect(xTicks[0]).toMatch(/[A-Z][a-z]{2} \d{1,2}/); // en-US default context: "Dec 1"
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(250); // the chart uses the phone's width
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'stats-teaches-320.png'), fullPage: true });

    // A mock exam, submitted: "Earlier attempts" lists it on Back, with no reload.
    await page.goto(`${server.url}/exam`);
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await page.getByLabel('Questions').fill('3');
    await page.getByRole('button', { name: 'Start the exam' }).click();
    await page.getByRole('button', { name: 'Submit exam' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.getByText('0% · Not yet').waitFor();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    const attempts = page.locator('section[aria-label="Earlier attempts"] li');
    await expect.poll(() => attempts.count()).toBe(1);
    expect(await attempts.first().textContent()).toMatch(/0% · fail \(3 questions\)/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await axeSerious(page)).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  }, 120_000);

  it('in a German browser, dates and numbers are written the German way', async () => {
    const created = (await (await fetch(`${server.url}/api/profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname: 'Jana' }) })).json()) as { token: string; profile: { name: string } };
    const api = (path: string, body: unknown) =>
      fetch(`${server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` }, body: JSON.stringify(body) }).then((r) => r.json());
    for (let i = 0; i < 3; i++) {
      const { question } = (await api('/practice/next', { domains: [], offset: 'normal' })) as { question: { id: string } };
      const record = server.bank.byId.get(question.id)!;
      await api('/practice/answer', { questionId: question.id, choices: i === 0 ? [[0, 1, 2, 3].find((c) => !record.answer.includes(c))!] : record.answer });
    }
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    await context.addInitScript(([token, name]) => localStorage.setItem('cca-quiz:profile', JSON.stringify({ token, name })), [created.token, created.profile.name]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/stats`);
    const due = page.locator('section[aria-label="Questions you missed"] time').first();
    await due.waitFor();
    expect(await due.textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/); // e.g. 01.12.2026, 10:42
    const xTicks = await page.locator('svg text[data-axis="x"]').allTextContents();
    expect(xTicks[0]).toMatch(/^\d{1,2}\. [A-ZÄÖÜ][a-zäöü]{2}/); // e.g. "1. Dez."
    expect(await page.locator('.domains .value').first().textContent()).toMatch(/\d\u00a0%|no answers/);
    expect(await axeSerious(page)).toEqual([]);
    await context.close();
  }, 60_000);
});
