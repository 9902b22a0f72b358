import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { buildClient, launchChromium } from '../helpers/browser.js';
import { makeQuestion } from '../helpers/questions.js';
import { closeTable, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

// A phone on venue Wi-Fi: its connection really drops (a TCP proxy between Chromium and the server
// destroys the sockets and refuses new ones), not an offline flag that leaves the WebSocket open.
let browser: Browser;
let server: TestServer;
const tables: Table[] = [];

beforeAll(async () => {
  buildClient();
  const bank = new QuestionBank(Array.from({ length: 6 }, (_, i) => makeQuestion({ id: `wifi-q-${i}`, type: 'single' })));
  server = await startTestServer({ bank, store: new MemoryStore() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  tables.forEach(closeTable);
  await browser?.close();
  await server?.close();
});

/** Ana's phone goes through the proxy; Ben and Cai are bots on direct connections. */
async function game(timeLimitSec: number) {
  const table = await setTable(server.url, ['Ben', 'Cai'], { questionCount: 2, timeLimitSec, speedScoring: false, streakBonus: false });
  tables.push(table);
  const proxy = await TcpProxy.start(Number(new URL(server.url).port));
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true })).newPage();
  phone.setDefaultTimeout(15_000);
  await phone.goto(`${proxy.url}/join/${table.code}`);
  await phone.getByLabel('Your nickname').fill('Ana');
  await phone.getByRole('button', { name: 'Join game' }).click();
  await phone.getByText("You're in, Ana!").waitFor();
  // Every state the answer status passes through, however briefly it shows.
  await phone.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { deliveryStates: string[] }).deliveryStates = seen;
    new MutationObserver(() => {
      const state = document.querySelector('.delivery')?.getAttribute('data-state');
      if (state && seen[seen.length - 1] !== state) seen.push(state);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
  expect((await table.host.call('host:command', { command: 'start' })).ok).toBe(true);
  await phone.locator('ol.choices button').first().waitFor();
  const room = () => server.registry.get(table.code)!;
  const ana = () => Object.values(room().state.players).find((p) => p.name === 'Ana')!;
  const gq = room().state.questions[room().state.round!.index]!;
  const right = gq.solution.answer[0]!;
  const wrong = [0, 1, 2, 3].find((i) => i !== right)!;
  // The two bots answer first: only Ana's answer is missing.
  for (const p of table.players) expect((await p.bot.call('player:answer', { questionId: gq.question.id, choices: [wrong] })).ok).toBe(true);
  return { table, proxy, phone, room, ana, questionId: gq.question.id, right };
}

const states = (phone: Page) => phone.evaluate(() => (window as unknown as { deliveryStates: string[] }).deliveryStates);

describe('a phone whose Wi-Fi drops around its tap', () => {
  it('cut for about 1.5 s: the question waits for it, the tap is sent after the resume and counts once', async () => {
    const { table, proxy, phone, room, ana, questionId, right } = await game(60);
    proxy.cut();
    await phone.getByText('Reconnecting…').waitFor();
    await expect.poll(() => ana().connected).toBe(false);
    // Everyone else has answered, yet the dropped phone is within its grace: the question stays open.
    expect(room().state.phase).toBe('question');
    await phone.locator('ol.choices button').nth(right).click();
    await phone.getByText(/Sending…/).waitFor();
    // The cut itself is the scenario: the Wi-Fi stays away for a moment before it comes back.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(room().state.phase).toBe('question');
    proxy.restore();
    // The phone resumes its seat, sends the waiting answer, and the question closes with it.
    await phone.getByText('✓ Correct!').waitFor({ timeout: 20_000 });
    await phone.getByText('Answer locked in ✓').waitFor();
    expect(await states(phone)).toEqual(expect.arrayContaining(['sending', 'locked']));
    expect((await states(phone)).indexOf('locked')).toBeGreaterThan((await states(phone)).indexOf('sending'));
    expect((await table.host.call('host:command', { command: 'end' })).ok).toBe(true);
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    const mine = exported.export.answers.filter((a) => a.name === 'Ana' && a.questionId === questionId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.correct).toBe(true);
    expect(room().state.players[ana().id]!.score).toBe(1000);
    await proxy.close();
  }, 90_000);

  it('cut past the deadline: the phone says plainly it was too late, and nothing counts', async () => {
    const { table, proxy, phone, room, ana, questionId, right } = await game(5);
    proxy.cut();
    await phone.getByText('Reconnecting…').waitFor();
    await phone.locator('ol.choices button').nth(right).click();
    await phone.getByText(/Sending…/).waitFor();
    // The deadline passes while the phone is away.
    await expect.poll(() => room().state.phase, { timeout: 15_000 }).toBe('reveal');
    proxy.restore();
    await phone.getByText('Too late: the question closed').waitFor({ timeout: 20_000 });
    expect(await states(phone)).toContain('sending');
    expect((await table.host.call('host:command', { command: 'end' })).ok).toBe(true);
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    const mine = exported.export.answers.filter((a) => a.name === 'Ana' && a.questionId === questionId);
    expect(mine.every((a) => a.choices === null && !a.correct)).toBe(true);
    expect(room().state.players[ana().id]!.score).toBe(0);
    await proxy.close();
  }, 90_000);
});
