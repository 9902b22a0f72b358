import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium, watchCsp } from '../helpers/browser.js';
import { closeTable, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

// A learner with a practice profile misses a question at a quiz night; it comes back in /practice.
let browser: Browser;
let server: TestServer;
let table: Table | undefined;

beforeAll(async () => {
  buildClient();
  // A manual clock: the missed question becomes due for review when the test says a minute has passed.
  server = await startTestServer({ store: new MemoryStore(), manualClock: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  closeTable(table);
  await browser?.close();
  await server?.close();
});

describe('a missed room question comes back in practice', () => {
  it('a profiled phone misses a Classic question; /practice serves it as a review', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true })).newPage();
    const csp = watchCsp(phone);
    phone.setDefaultTimeout(15_000);
    await phone.goto(`${server.url}/practice`);
    await phone.getByLabel('Nickname').fill('Rue');
    await phone.getByRole('button', { name: 'Create my profile' }).click();
    await phone.locator('.code').waitFor();

    table = await setTable(server.url, [], { questionCount: 1, timeLimitSec: 30, speedScoring: false });
    await phone.goto(`${server.url}/join/${table.code}`);
    await phone.getByLabel('Your nickname').fill('Rue');
    await phone.getByRole('button', { name: 'Join game' }).click();
    await phone.getByText("You're in, Rue!").waitFor();
    expect((await table.host.call('host:command', { command: 'start' })).ok).toBe(true);
    const gq = server.registry.get(table.code)!.state.questions[0]!;
    // One wrong choice makes any answer wrong (a multiple-choice answer must be exactly the keyed set).
    const wrong = [...gq.question.choices.keys()].find((i) => !gq.solution.answer.includes(i))!;
    await phone.locator('ol.choices button').nth(wrong).click();
    if (gq.question.type === 'multiple') await phone.getByRole('button', { name: 'Confirm answer' }).click();
    await phone.getByText('✗ Not this time').waitFor();

    server.clock!.advance(61_000);
    await phone.goto(`${server.url}/practice`);
    const [served] = await Promise.all([
      phone.waitForResponse((r) => r.url().endsWith('/api/practice/next')).then((r) => r.json() as Promise<{ question: { id: string }; reason: string }>),
      phone.getByRole('button', { name: 'Start' }).click(),
    ]);
    expect(served).toMatchObject({ question: { id: gq.question.id }, reason: 'review' });
    await phone.getByText('review of a question you missed').waitFor();
    expect(await axeSerious(phone)).toEqual([]);
    expect(csp).toEqual([]);
  }, 90_000);
});
