import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import type { GameExport } from '../../shared/protocol/export.js';
import { axeSerious, buildClient, launchChromium, watchCsp } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
const PHONE = { width: 360, height: 640 };

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];
const cspWatches: string[][] = [];

// The server sends a strict Content Security Policy; every page of the game must work under it.
afterEach(() => {
  expect(cspWatches.flat()).toEqual([]);
  cspWatches.length = 0;
});

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ store: new MemoryStore() }); // the real bank, the real clock
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const seen = watchCsp(page);
  cspWatches.push(seen);
  return page;
}

async function expectAccessible(page: Page, where: string) {
  expect(await axeSerious(page), `axe on ${where}`).toEqual([]);
}

/** The host sets up a room through the settings form and returns its code. */
async function hostRoom(host: Page, mode: 'Classic' | 'Buzz-in') {
  await host.goto(`${server.url}/host`);
  await host.getByLabel('Mode').selectOption({ label: mode === 'Classic' ? 'Classic: everyone answers' : 'Buzz-in: first to buzz answers' });
  // Tab commits each number (its change event) before the next control is touched.
  await host.getByLabel('Questions').fill('3');
  await host.getByLabel('Questions').press('Tab');
  if (mode === 'Classic') {
    await host.getByLabel('Speed scoring (off = accuracy only)').uncheck();
    await host.getByLabel('Streak bonus').uncheck();
  } else {
    await host.getByLabel('Words per second (0 = all at once)').fill('0');
    await host.getByLabel('Words per second (0 = all at once)').press('Tab');
  }
  await host.getByRole('button', { name: 'Create room' }).click();
  const code = (await host.locator('.room-code').textContent())!.trim();
  expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
  const settings = server.registry.get(code)!.state.settings;
  expect(settings.questionCount).toBe(3);
  if (mode === 'Buzz-in') expect(settings.wordsPerSecond).toBe(0);
  return code;
}

async function joinAs(code: string, name: string): Promise<Page> {
  const page = await newPage(PHONE);
  await page.goto(`${server.url}/join/${code}`);
  await page.getByLabel('Your nickname').fill(name);
  await page.getByRole('button', { name: 'Join game' }).click();
  await page.getByText(`You're in, ${name}!`).waitFor();
  return page;
}

function room(code: string) {
  const r = server.registry.get(code)!;
  const gq = r.state.questions[r.state.round!.index]!;
  const wrong = [...gq.question.choices.keys()].find((i) => !gq.solution.answer.includes(i))!;
  return { state: r.state, type: gq.question.type, id: gq.question.id, correct: gq.solution.answer, wrong: [wrong] };
}

/** Clicks choices the way a player would; multiple choice needs the confirm button. */
async function answer(page: Page, choices: number[], multiple: boolean) {
  const buttons = page.locator('ol.choices button');
  for (const i of choices) await buttons.nth(i).click();
  if (multiple) await page.getByRole('button', { name: 'Confirm answer' }).click();
}

/** From the reveal, the host shows the leaderboard and moves on. */
async function hostNext(host: Page) {
  await host.getByRole('button', { name: 'Leaderboard' }).click();
  await host.getByRole('button', { name: 'Next' }).click();
}

/** The podium's steps as a screen reader hears them, in stage order (second, first, third). */
async function podiumPlaces(host: Page): Promise<string[]> {
  await host.locator('.podium [data-place="1"][data-shown="true"]').waitFor();
  return (await host.locator('.podium [data-place] .visually-hidden').allTextContents()).map((t) => t.trim());
}

async function questionOpen(page: Page, index: number) {
  await page.getByText(`Question ${index + 1} of 3`).waitFor();
}

describe('a whole Classic game through the real UI', () => {
  it('host and three phones play; a reload keeps the score; podium, export and flag work', async () => {
    const home = await newPage(PHONE);
    await home.goto(server.url);
    await home.getByRole('heading', { name: 'Join a game' }).waitFor();
    await expectAccessible(home, 'home');

    const host = await newPage({ width: 1920, height: 1080 });
    const code = await hostRoom(host, 'Classic');
    const [ana, ben, cai] = [await joinAs(code, 'Ana'), await joinAs(code, 'Ben'), await joinAs(code, 'Cai')];
    await host.locator('.count').filter({ hasText: '3 players' }).waitFor();
    await expectAccessible(host, 'host lobby');
    await host.screenshot({ path: join(SHOTS, 'game-host-lobby.png') });

    await host.getByRole('button', { name: 'Start game' }).click();
    // Ana answers all three right, Ben two, Cai one: 3000 / 2000 / 1000 with accuracy-only scoring.
    const plan = [
      [true, true, true],
      [true, false, true],
      [false, false, true],
    ];
    for (let q = 0; q < 3; q++) {
      for (const p of [ana!, ben!, cai!]) await questionOpen(p, q);
      const r = room(code);
      if (q === 0) {
        await host.locator('ol.choices').waitFor();
        await expectAccessible(host, 'host question');
        await host.screenshot({ path: join(SHOTS, 'game-host-question.png') });
        await expectAccessible(ana!, 'player question');
      }
      if (q === 1) {
        // Ben's phone reloads mid-question: same seat, same score, same question.
        await ben!.reload();
        await questionOpen(ben!, 1);
        await expect.poll(async () => ben!.locator('.score').textContent()).toBe('1000 pts');
      }
      const players = [ana!, ben!, cai!];
      for (let i = 0; i < 3; i++) await answer(players[i]!, plan[i]![q] ? r.correct : r.wrong, r.type === 'multiple');
      await host.getByRole('button', { name: 'Leaderboard' }).waitFor();
      await ana!.getByText('Correct!').waitFor();
      if (q === 0) {
        await cai!.getByRole('button', { name: /Flag this question/ }).click();
        await cai!.getByLabel('What looks wrong or unclear?').fill('Choice wording is confusing');
        await cai!.getByRole('button', { name: 'Send flag' }).click();
        await cai!.getByText('Thanks, the question was flagged for review.').waitFor();
      }
      await hostNext(host);
    }

    await host.getByRole('heading', { name: /^Final results/ }).waitFor();
    expect(await podiumPlaces(host)).toEqual(['Second place: Ben', 'First place: Ana', 'Third place: Cai']);
    await host.screenshot({ path: join(SHOTS, 'game-podium.png'), fullPage: true });
    await ben!.getByText('You finished 2nd').waitFor();

    // The results download matches the game.
    const [json] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: 'All results (JSON)' }).click()]);
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as GameExport;
    expect(exported.code).toBe(code);
    expect(exported.players.map((p) => [p.name, p.score])).toEqual([
      ['Ana', 3000],
      ['Ben', 2000],
      ['Cai', 1000],
    ]);
    expect(exported.answers).toHaveLength(9);
    expect(exported.answers.filter((a) => a.name === 'Ben').map((a) => a.correct)).toEqual([true, false, true]);
    const [csv] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: 'Answers CSV' }).click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').trim().split('\r\n');
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('question,question_id,domain,player,team,answer,correct_answer,correct,points,time_ms');

    // Cai's flag is listed for the bank's maintainers.
    const flags = (await (await fetch(`${server.url}/api/questions/flags`)).json()) as { flags: { questionId: string; reasons: { reason: string }[] }[] };
    expect(flags.flags.find((f) => f.questionId === exported.questions[0]!.id)?.reasons[0]?.reason).toBe('Choice wording is confusing');
  }, 180_000);
});

describe('a whole Buzz-in game through the real UI', () => {
  it('buzz with Space or a tap; lock-outs; podium order', async () => {
    const host = await newPage({ width: 1920, height: 1080 });
    const code = await hostRoom(host, 'Buzz-in');
    const [ana, ben, cai] = [await joinAs(code, 'Ana'), await joinAs(code, 'Ben'), await joinAs(code, 'Cai')];
    await host.getByRole('button', { name: 'Start game' }).click();

    const buzz = async (p: Page, how: 'tap' | 'space') => {
      const button = p.getByRole('button', { name: 'BUZZ' });
      await button.waitFor();
      if (how === 'tap') await button.click();
      else await p.keyboard.press('Space');
      await p.getByText('Your turn: pick an answer!').waitFor();
    };

    // Q1: Ana buzzes with the keyboard and is right (+10).
    await questionOpen(ana!, 0);
    await ana!.getByRole('button', { name: 'BUZZ' }).waitFor();
    await ana!.screenshot({ path: join(SHOTS, 'game-player-buzzer.png') });
    await expectAccessible(ana!, 'player buzzer');
    await buzz(ana!, 'space');
    let r = room(code);
    await answer(ana!, r.correct, r.type === 'multiple');
    await hostNext(host);

    // Q2: Ben is wrong and locked out; Cai is right (+10).
    await questionOpen(ben!, 1);
    await buzz(ben!, 'tap');
    r = room(code);
    await answer(ben!, r.wrong, r.type === 'multiple');
    await ben!.getByText('Locked out for this question').waitFor();
    await buzz(cai!, 'tap');
    await answer(cai!, r.correct, r.type === 'multiple');
    await hostNext(host);

    // Q3: Ana again (+10).
    await questionOpen(ana!, 2);
    await buzz(ana!, 'tap');
    r = room(code);
    await answer(ana!, r.correct, r.type === 'multiple');
    await hostNext(host);

    await host.getByRole('heading', { name: /^Final results/ }).waitFor();
    expect(await podiumPlaces(host)).toEqual(['Second place: Cai', 'First place: Ana', 'Third place: Ben']);
  }, 180_000);
});

describe('a room mock exam through the real UI', () => {
  it('host creates a 3-question exam room; a phone answers, flags, navigates, submits and reads the debrief', async () => {
    const host = await newPage({ width: 1920, height: 1080 });
    await host.goto(`${server.url}/host`);
    await host.getByLabel('Mode').selectOption({ label: 'Mock exam: one clock for the whole room' });
    expect(await host.getByLabel('Questions').inputValue()).toBe('60'); // the exam's default count
    await host.getByText('widely reported but not officially confirmed').first().waitFor();
    await host.getByLabel('Questions').fill('3');
    await host.getByLabel('Minutes (whole exam)').fill('20');
    await host.getByRole('button', { name: 'Create room' }).click();
    const code = (await host.locator('.room-code').textContent())!.trim();
    const ana = await joinAs(code, 'Ana');
    await host.getByRole('button', { name: 'Start game' }).click();

    await ana.getByText('Question 1 of 3').waitFor();
    await ana.getByRole('timer').waitFor();
    expect(await ana.getByRole('timer').textContent()).toMatch(/^(20:00|19:5\d)$/);
    await host.getByText('0 / 1 submitted').waitFor();
    const r = server.registry.get(code)!;
    const questions = r.state.questions;
    const choose = async (i: number) => {
      for (const c of questions[i]!.solution.answer) await ana.locator('ol.choices button').nth(c).click();
      await ana.getByRole('button', { name: new RegExp(`^Question ${i + 1}, answered`) }).waitFor();
    };

    // Q1 right, Next to Q2 and flag it unanswered, jump to Q3 through the grid and answer it right.
    await choose(0);
    await ana.getByRole('button', { name: 'Next' }).click();
    await ana.getByText('Question 2 of 3').waitFor();
    await ana.getByRole('button', { name: 'Flag' }).click();
    await ana.getByRole('button', { name: 'Question 2, flagged' }).waitFor();
    await ana.getByRole('button', { name: 'Question 3', exact: true }).click();
    await choose(2);
    await ana.getByRole('button', { name: 'Previous' }).click();
    await ana.getByText('Question 2 of 3').waitFor();
    await host.getByRole('row', { name: /Ana 2 \/ 3 Working/ }).waitFor(); // counts only, never choices
    expect(await axeSerious(ana)).toEqual([]);
    expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await ana.screenshot({ path: join(SHOTS, 'player-exam.png') });
    await expectAccessible(host, 'host exam progress');
    await host.screenshot({ path: join(SHOTS, 'host-exam.png') });
    // Nothing on the phone gives the answers away before the end.
    expect(await ana.locator('.verdict').count()).toBe(0);
    // One stray tap does not end the exam for the room: it asks first.
    await host.getByRole('button', { name: 'End the exam now' }).click();
    await host.getByRole('alert').filter({ hasText: 'End the exam for everyone now?' }).waitFor();
    await host.getByRole('button', { name: 'Keep going' }).click();
    await host.getByRole('button', { name: 'End the exam now' }).waitFor();
    expect(server.registry.get(code)!.state.phase).toBe('exam');

    await ana.getByRole('button', { name: 'Submit exam' }).click();
    await ana.getByText('Submit with 1 unanswered and 1 flagged?').waitFor();
    await ana.getByRole('button', { name: 'Yes, submit' }).click();

    // The only player submitted: the exam ends for the room; 2 of 3 is 67%, under the 75% mark.
    await ana.getByText('67% · Not yet').waitFor();
    await ana.getByText('pass mark 75% (widely reported, not officially confirmed)', { exact: false }).waitFor();
    expect(await ana.locator('article').count()).toBe(3);
    expect(await ana.locator('article').nth(1).textContent()).toContain('not answered · flagged');
    await expectAccessible(ana, 'player exam debrief');
    expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width); // no sideways scrolling
    await ana.screenshot({ path: join(SHOTS, 'player-exam-debrief.png'), fullPage: true });

    await host.getByRole('heading', { name: 'Results' }).waitFor();
    await host.getByRole('row', { name: /Ana 2 \/ 3 67% Not yet/ }).waitFor();
    await host.getByRole('heading', { name: 'Group accuracy per domain' }).waitFor();
    await expectAccessible(host, 'host exam results');
  }, 120_000);
});
