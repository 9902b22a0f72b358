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

/** Clicks "Start"/"Next question" and returns the question the server served. */
async function serveNext(page: Page, button: string): Promise<{ id: string; type: string }> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/practice/next')), page.getByRole('button', { name: button }).click()]);
  return ((await response.json()) as { question: { id: string; type: string } }).question;
}

describe('solo practice through the real UI', () => {
  it('a new visitor practises 10 questions, sees the rating move and the stats page fill, then takes a 5-question mock exam', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const csp = watchCsp(page);
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/practice`);
    await page.getByLabel('Nickname').fill('Solo');
    await page.getByRole('button', { name: 'Create my profile' }).click();
    await expect.poll(async () => page.locator('.code').textContent()).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){3}$/);
    expect(await axeSerious(page)).toEqual([]);

    const ratings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const q = await serveNext(page, i === 0 ? 'Start' : 'Next question');
      const record = server.bank.byId.get(q.id)!;
      const right = i % 4 !== 3;
      const choices = right ? record.answer : [[0, 1, 2, 3].find((c) => !record.answer.includes(c))!];
      const buttons = page.locator('ol.choices button');
      for (const c of choices) await buttons.nth(c).click();
      if (q.type === 'multiple') await page.getByRole('button', { name: 'Confirm answer' }).click();
      await page.locator('p.verdict', { hasText: right ? 'Correct' : 'Not quite' }).waitFor();
      ratings.push(Number(await page.locator('[aria-label="Your rating"] strong').textContent()));
      if (i === 0) await page.screenshot({ path: join(SHOTS, 'practice-feedback.png'), fullPage: true });
    }
    expect(new Set(ratings).size).toBeGreaterThan(5); // it moved after (nearly) every answer
    expect(ratings.at(-1)).not.toBe(1500);

    await page.getByRole('link', { name: 'My stats' }).click();
    await page.getByRole('heading', { name: 'Domains, weakest first' }).waitFor();
    const answered = (await page.locator('tbody td:nth-child(2)').allTextContents()).reduce((s, t) => s + Number(t), 0);
    expect(answered).toBe(10);
    expect(await page.locator('section[aria-label="Questions you missed"] article').count()).toBe(2);
    await expect.poll(async () => page.locator('.summary .big').first().textContent()).toBe(String(ratings.at(-1)));
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'stats.png'), fullPage: true });

    // A short mock exam (5 questions): answer out of order, flag one, submit, read the debrief.
    await page.goto(`${server.url}/exam`);
    await page.getByLabel('Questions').fill('5');
    const [started] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/exams') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Start the exam' }).click()]);
    const exam = (await started.json()) as { questions: { id: string; type: string }[] };
    expect(await axeSerious(page)).toEqual([]);
    for (const i of [4, 0, 1, 2, 3]) {
      await page.getByRole('button', { name: new RegExp(`^Question ${i + 1}(,|$)`) }).click();
      const record = server.bank.byId.get(exam.questions[i]!.id)!;
      const choices = i === 3 ? [[0, 1, 2, 3].find((c) => !record.answer.includes(c))!] : record.answer;
      for (const c of choices) await page.locator('ol.choices button').nth(c).click();
      await expect.poll(async () => page.getByRole('button', { name: new RegExp(`^Question ${i + 1}, answered`) }).count()).toBe(1);
    }
    await page.getByRole('button', { name: 'Flag for review' }).click();
    await page.getByRole('button', { name: /Question 4, answered, flagged/ }).waitFor();
    await page.getByRole('button', { name: 'Submit exam' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.getByText('80% · Pass').waitFor();
    expect(await page.locator('article').count()).toBe(5);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'exam-debrief.png'), fullPage: true });
    for (const path of ['/leaderboards', '/no-such-page']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    }
    expect(csp, 'the pages work under the server CSP').toEqual([]);
  }, 120_000);

  it('the outline picker: practice, stats and a mock exam on the 5-domain outline', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    page.setDefaultTimeout(15_000);
    const five = ['Cilium Fundamentals', 'Cilium Architecture & Components', 'Kubernetes Networking with Cilium', 'Observability with Cilium', 'Securing Workloads with Cilium'];
    await page.goto(`${server.url}/practice`);
    await page.getByLabel('Nickname').fill('Five');
    await page.getByRole('button', { name: 'Create my profile' }).click();
    await page.getByLabel('5 domains: the newer published outline, details not yet in a PDF').check();
    await page.getByLabel('Cilium Fundamentals').check();
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().endsWith('/api/practice/next')), page.getByRole('button', { name: 'Start' }).click()]);
    expect(JSON.parse(request.postData()!)).toMatchObject({ outline: 'cca-2025', domains: ['fundamentals'] });
    const q = ((await (await request.response())!.json()) as { question: { id: string; type: string } }).question;
    const record = server.bank.byId.get(q.id)!;
    expect(record.domain2025).toBe('fundamentals');
    await page.getByText('Cilium Fundamentals', { exact: true }).waitFor(); // the question's domain, named in the outline
    for (const c of record.answer) await page.locator('ol.choices button').nth(c).click();
    if (q.type === 'multiple') await page.getByRole('button', { name: 'Confirm answer' }).click();
    await page.locator('p.verdict', { hasText: 'Correct' }).waitFor();
    expect(await axeSerious(page)).toEqual([]);

    // The stats page remembers the outline; switching shows the other one's domains.
    await page.getByRole('link', { name: 'My stats' }).click();
    await page.getByRole('heading', { name: 'Domains, weakest first' }).waitFor();
    const rows = () => page.locator('tbody th[scope="row"]').allTextContents();
    expect((await rows()).sort()).toEqual([...five].sort());
    expect(await page.locator('tbody tr', { hasText: 'Cilium Fundamentals' }).locator('td').first().textContent()).toBe('1');
    await page.getByLabel('8 domains: the CCA curriculum PDF (official)').check();
    await expect.poll(async () => (await rows()).length).toBe(8);
    expect(await axeSerious(page)).toEqual([]);

    await page.goto(`${server.url}/exam`);
    await page.getByLabel('5 domains: the newer published outline, details not yet in a PDF').check();
    await page.getByLabel('Questions').fill('5');
    const [started] = await Promise.all([page.waitForRequest((r) => r.url().endsWith('/api/exams') && r.method() === 'POST'), page.getByRole('button', { name: 'Start the exam' }).click()]);
    expect(JSON.parse(started.postData()!)).toMatchObject({ outline: 'cca-2025', count: 5 });
    await page.getByRole('button', { name: 'Submit exam' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.getByText('0% · Not yet').waitFor();
    const debrief = await page.locator('tbody th[scope="row"]').allTextContents();
    expect(debrief.length).toBeGreaterThan(0);
    for (const name of debrief) expect(five).toContain(name);
  }, 120_000);
});
