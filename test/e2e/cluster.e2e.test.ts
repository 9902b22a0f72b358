import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient, launchChromium, watchCsp } from '../helpers/browser.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';

const PHONE = { width: 360, height: 640 };

// The web client against two server processes on one Redis: the projector is served by node A
// (which owns the room), the phone by node B, so every tap and every view crosses between nodes.
describe('the web client with a room spread over two nodes', () => {
  let redis: RedisServer | undefined;
  const nodes: ServerProcess[] = [];
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    buildClient();
    redis = await startRedis();
    for (const id of ['e2e-a', 'e2e-b']) nodes.push(await spawnServer({ REDIS_URL: redis.url, NODE_ID: id }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    for (const n of nodes) await n.stop();
    await stopRedis(redis);
  });

  async function page(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    return { page: p, csp: watchCsp(p) };
  }

  it('a phone on node B joins, answers and sees the reveal of a room run by node A', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const { page: host, csp: hostCsp } = await page({ width: 1920, height: 1080 });
    await host.goto(`${a.url}/host`);
    await host.getByLabel('Questions').fill('1');
    await host.getByLabel('Questions').press('Tab');
    await host.getByRole('button', { name: 'Create room' }).click();
    const code = (await host.locator('.room-code').textContent())!.trim();

    // The join page on node B looks the room up (forwarded to A) and the join goes to A.
    const { page: phone, csp: phoneCsp } = await page(PHONE);
    await phone.goto(`${b.url}/join/${code}`);
    await phone.getByLabel('Your nickname').fill('Bea');
    await phone.getByRole('button', { name: 'Join game' }).click();
    await phone.getByText("You're in, Bea!").waitFor();
    await host.getByText('Bea').first().waitFor(); // the host's lobby on node A hears of it

    await host.getByRole('button', { name: 'Start game' }).click();
    await phone.getByText('Question 1 of 1').waitFor(); // the question view crossed through the adapter
    await phone.locator('ol.choices button').first().click();
    if (await phone.getByRole('button', { name: 'Confirm answer' }).isVisible()) await phone.getByRole('button', { name: 'Confirm answer' }).click();

    // The only player answered: the question closes on A and both screens show the reveal.
    await host.getByRole('button', { name: 'Leaderboard' }).waitFor();
    const verdict = (await phone.locator('h1.verdict').textContent())!.trim();
    expect(verdict).toMatch(/^(✓ Correct! \+\d+|✗ Not this time)/);
    expect(hostCsp).toEqual([]);
    expect(phoneCsp).toEqual([]);
  }, 120_000);
});
