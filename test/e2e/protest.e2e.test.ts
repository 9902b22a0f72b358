import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../questions/loader.js';
import { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium } from '../helpers/browser.js';
import { Pages, expectNoSidewaysScroll, type Viewport } from '../helpers/pages.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
let browser: Browser;
let server: TestServer;
const pages = new Pages(() => browser);

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  const single = (await loadBank()).filter((q) => q.type === 'single' && q.choices.length === 4 && !q.prompt.includes('```'));
  server = await startTestServer({ bank: new QuestionBank(single.slice(0, 4)), store: new MemoryStore() });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

const page = (viewport: Viewport, phone = false): Promise<Page> => pages.open(viewport, { phone });

async function joinAs(code: string, name: string): Promise<Page> {
  const p = await page({ width: 360, height: 640 }, true);
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

describe('protests in the browser', () => {
  it('a phone protests at the reveal, the host re-scores it and the phone’s score changes; a second protest is rejected on the leaderboard', async () => {
    const host = await page({ width: 1920, height: 1080 });
    await host.goto(`${server.url}/host`);
    await host.getByLabel('Questions').fill('2');
    await host.getByLabel('Questions').press('Tab');
    await host.getByLabel('Speed scoring (off = accuracy only)').uncheck();
    await host.getByRole('button', { name: 'Create room' }).click();
    const code = (await host.locator('.room-code').textContent())!.trim();
    const ana = await joinAs(code, 'Ana');
    const ben = await joinAs(code, 'Ben');
    await host.getByRole('button', { name: /Start game/ }).click();

    await ana.locator('ol.choices button').first().waitFor();
    const room = server.registry.get(code)!;
    const right = room.state.questions[0]!.solution.answer[0]!;
    const wrong = [0, 1, 2, 3].find((i) => i !== right)!;
    await ana.locator('ol.choices button').nth(right).click();
    await ben.locator('ol.choices button').nth(wrong).click();
    await host.getByRole('heading', { name: /^Answer · Question 1/ }).waitFor();
    await ben.getByText('✗ Not this time').waitFor();
    await expect.poll(() => ben.getByLabel('Your score').textContent()).toBe('0 pts');

    await ben.getByRole('button', { name: 'Protest this answer' }).click();
    await ben.getByLabel('Why should your answer count?').fill('The 1.18 docs list this choice too');
    await accessible(ben, 'phone protest form');
    await ben.getByRole('button', { name: 'Send protest' }).click();
    await ben.getByText('Protest sent: the host will decide.').waitFor();
    await accessible(ben, 'phone protest sent');

    const panel = host.getByRole('complementary', { name: /Protests/ });
    await panel.getByText('“The 1.18 docs list this choice too”').waitFor();
    await expect.poll(() => panel.getByText('Ben').count()).toBeGreaterThan(0);
    await accessible(host, 'host reveal with a protest');
    await host.screenshot({ path: join(SHOTS, 'host-protest.png') });
    await ben.screenshot({ path: join(SHOTS, 'player-protest-sent.png') });
    await panel.getByRole('button', { name: 'Accept: re-score Ben' }).click();
    await panel.waitFor({ state: 'detached' });

    await ben.getByText('Protest accepted: your answer now counts as correct.').waitFor();
    await ben.getByText('✓ Correct! +1000').waitFor();
    await expect.poll(() => ben.getByLabel('Your score').textContent()).toBe('1000 pts');
    await accessible(ben, 'phone protest accepted');

    // Ana protests her own (right) answer too; the host rejects it on the leaderboard screen.
    await ana.getByRole('button', { name: 'Protest this answer' }).click();
    await ana.getByLabel('Why should your answer count?').fill('Just checking the panel');
    await ana.getByRole('button', { name: 'Send protest' }).click();
    await host.getByRole('button', { name: /Leaderboard/ }).click();
    await host.getByRole('heading', { name: /^Leaderboard/ }).waitFor();
    const board = host.getByRole('complementary', { name: /Protests/ });
    await board.getByText('“Just checking the panel”').waitFor();
    await accessible(host, 'host leaderboard with a protest');
    await board.getByRole('button', { name: 'Reject' }).click();
    await board.waitFor({ state: 'detached' });
    expect(room.state.protests!.map((p) => p.decision)).toEqual(['rescore', 'reject']);
    expect(Object.values(room.state.players).map((p) => p.score)).toEqual([1000, 1000]);
    expect(pages.takeCspViolations()).toEqual([]);
  });
});
