import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../../shared/question.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium } from '../helpers/browser.js';
import { Pages, expectNoSidewaysScroll, type Viewport } from '../helpers/pages.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
const PHONE = { width: 320, height: 568 };
let browser: Browser;
let server: TestServer;
const pages = new Pages(() => browser);

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ store: new MemoryStore() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

const open = (viewport: Viewport, phone = false): Promise<Page> => pages.open(viewport, { phone });

/** Each new screen: no serious accessibility problem, no sideways scrolling. */
async function screenOk(p: Page, where: string) {
  expect(await axeSerious(p), `axe on ${where}`).toEqual([]);
  await expectNoSidewaysScroll(p, where);
}

/** Answers the question on screen (right or wrong) and waits for the verdict. */
async function answer(p: Page, q: QuestionRecord, right: boolean) {
  const choices = right ? q.answer : [q.choices.findIndex((_, i) => !q.answer.includes(i))];
  for (const c of choices) await p.locator('ol.choices button').nth(c).click();
  if (q.type === 'multiple' && right) await p.getByRole('button', { name: 'Confirm answer' }).click();
  await p.locator('p.verdict', { hasText: right ? 'Correct' : 'Not quite' }).waitFor();
}

describe('homework through the real UI', () => {
  it('a lead sets homework; two phones do it at different times (one reloads midway and resumes); the lead sees both, the grid and domain accuracy', async () => {
    // Four bank questions of different domains, none multiple-answer wrong-by-one-tap surprises.
    const picked: QuestionRecord[] = [];
    for (const q of server.bank.questions) if (q.type !== 'multiple' && !picked.some((p) => p.domain === q.domain) && picked.length < 4) picked.push(q);
    const ids = picked.map((q) => q.id);

    const lead = await open({ width: 1024, height: 800 });
    await lead.goto(server.url);
    await lead.getByRole('button', { name: 'Set homework' }).click();
    await lead.getByRole('heading', { name: 'Set homework' }).waitFor();
    await lead.getByLabel('Title').fill('Week 3 homework');
    for (const kind of ['Topics I pick', 'My own questions (YAML, not reviewed)']) {
      await lead.getByLabel(kind).check();
      await screenOk(lead, `lead: create, ${kind}`);
      await lead.setViewportSize(PHONE);
      await screenOk(lead, `lead: create, ${kind}, 320 px`);
      await lead.setViewportSize({ width: 1024, height: 800 });
    }
    await lead.getByLabel('Question ids').check();
    await screenOk(lead, 'lead: create');
    await lead.getByLabel('Question ids (one per line, played in this order)').fill(ids.join('\n'));
    // A wrong id first: refused, named, nothing created.
    await lead.getByLabel('Question ids (one per line, played in this order)').fill([...ids, 'no-such-question'].join('\n'));
    await lead.getByRole('button', { name: 'Create the assignment' }).click();
    await lead.getByRole('alert').filter({ hasText: 'no-such-question' }).waitFor();
    await lead.getByLabel('Question ids (one per line, played in this order)').fill(ids.join('\n'));
    await lead.getByRole('button', { name: 'Create the assignment' }).click();
    await lead.getByRole('heading', { name: 'Week 3 homework' }).waitFor();
    const link = await lead.getByLabel('For members').inputValue();
    expect(link).toMatch(/\/homework\/[\w-]{12}$/);
    await lead.getByText('0 started · 0 finished').waitFor();
    await screenOk(lead, 'lead: results, empty');

    // Ana, in the afternoon: two answers, the phone reloads, she resumes at question 3 and finishes.
    const ana = await open(PHONE, true);
    await ana.goto(link);
    await ana.getByLabel('Your name (the study lead sees it)').fill('Ana');
    await screenOk(ana, 'member: start');
    await ana.getByRole('button', { name: 'Start' }).click();
    await ana.getByText('Question 1 of 4').waitFor();
    await answer(ana, picked[0]!, true);
    await ana.getByRole('link', { name: 'Read the Cilium docs' }).waitFor();
    await screenOk(ana, 'member: feedback');
    await ana.screenshot({ path: join(SHOTS, 'homework-phone.png'), fullPage: true });
    await ana.getByRole('button', { name: 'Next question' }).click();
    await answer(ana, picked[1]!, false);
    await ana.reload();
    await ana.getByText('Welcome back, Ana: you continue where you stopped.').waitFor();
    await ana.getByText('Question 3 of 4').waitFor();
    expect(await ana.locator('[aria-label="Your score"] strong').textContent()).toBe('1');
    await screenOk(ana, 'member: resumed');
    await lead.getByText('1 started · 0 finished').waitFor(); // live on the lead's screen
    await answer(ana, picked[2]!, true);
    await ana.getByRole('button', { name: 'Next question' }).click();
    await answer(ana, picked[3]!, true);
    await ana.getByRole('button', { name: 'See my result' }).click();
    await ana.getByRole('heading', { name: 'Done: 3 of 4 right' }).waitFor();
    await screenOk(ana, 'member: done');
    // One attempt each: a reload shows the result, never a fresh start.
    await ana.reload();
    await ana.getByRole('heading', { name: 'Done: 3 of 4 right' }).waitFor();
    expect(await ana.getByRole('button', { name: 'Start' }).count()).toBe(0);

    // Ben, later, on his own phone.
    const ben = await open(PHONE, true);
    await ben.goto(link);
    await ben.getByLabel('Your name (the study lead sees it)').fill('Ben');
    await ben.getByRole('button', { name: 'Start' }).click();
    for (const [i, q] of picked.entries()) {
      await answer(ben, q, i !== 0);
      await ben.getByRole('button', { name: i === 3 ? 'See my result' : 'Next question' }).click();
    }
    await ben.getByRole('heading', { name: 'Done: 3 of 4 right' }).waitFor();

    // The lead's screen: both, the grid, domain accuracy, downloads.
    await lead.getByText('2 started · 2 finished').waitFor();
    const grid = lead.locator('table.grid tbody tr');
    const rowOf = async (name: string) => (await grid.filter({ hasText: name }).locator('td').allTextContents()).map((t) => (t.includes('right') ? 'R' : t.includes('wrong') ? 'W' : '-'));
    expect(await rowOf('Ana')).toEqual(['R', 'W', 'R', 'R']);
    expect(await rowOf('Ben')).toEqual(['W', 'R', 'R', 'R']);
    const domains = await lead.locator('section[aria-labelledby="hw-domains"] tbody tr').allTextContents();
    expect(domains).toHaveLength(4);
    expect(domains.filter((d) => d.includes('1 / 2'))).toHaveLength(2);
    expect(domains.filter((d) => d.includes('2 / 2'))).toHaveLength(2);
    await screenOk(lead, 'lead: results');
    await lead.screenshot({ path: join(SHOTS, 'homework-lead.png'), fullPage: true });
    const [csv] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('button', { name: 'Download CSV' }).click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.split('\r\n')[0]).toBe('member,status,question,question_id,domain,answer,correct_answer,correct,reviewed');
    expect(text.trim().split('\r\n')).toHaveLength(1 + 2 * 4);
    const [json] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(JSON.parse(readFileSync(await json.path(), 'utf8')).members.map((m: { name: string; score: number }) => [m.name, m.score])).toEqual([['Ana', 3], ['Ben', 3]]);

    // The lead's results at 320 px: the grid scrolls in its box, the page does not.
    await lead.setViewportSize(PHONE);
    await screenOk(lead, 'lead: results at 320 px');
    // The private lead link opens the results in another browser.
    const leadLink = await lead.getByLabel('Your private lead link (opens these results on another device)').inputValue();
    const other = await open(PHONE, true);
    await other.goto(leadLink);
    await other.getByText('2 started · 2 finished').waitFor();
    expect(new URL(other.url()).hash).toBe('');
    expect(pages.takeCspViolations(), 'the pages work under the server CSP').toEqual([]);
  }, 120_000);
});
