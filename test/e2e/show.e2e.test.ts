import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../questions/loader.js';
import { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium, watchCsp } from '../helpers/browser.js';
import { readQr } from '../helpers/qr.js';
import { closeTable, setTable, startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
let bank: QuestionBank;
let browser: Browser;
const servers: TestServer[] = [];
const contexts: BrowserContext[] = [];
const csp: string[][] = [];

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  // Real single-choice questions (the README's screenshots come from here), one of them with YAML.
  const single = (await loadBank()).filter((q) => q.type === 'single' && q.choices.length === 4);
  bank = new QuestionBank([...single.filter((q) => q.prompt.includes('```yaml')).slice(0, 2), ...single.filter((q) => !q.prompt.includes('```')).slice(0, 6)]);
  browser = await launchChromium();
}, 120_000);
afterEach(() => {
  expect(csp.flat()).toEqual([]);
  csp.length = 0;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  for (const s of servers) await s.close();
});

async function serve(opts: Parameters<typeof startTestServer>[0] = { store: new MemoryStore() }): Promise<TestServer> {
  const s = await startTestServer({ bank, ...opts });
  servers.push(s);
  return s;
}

/** A page whose sounds, oscillators and vibrations are recorded for the test. */
async function page(viewport: { width: number; height: number }, on: Browser = browser, phone = false): Promise<Page> {
  const context = await on.newContext({ viewport, reducedMotion: 'reduce', ...(phone ? { hasTouch: true, isMobile: true } : {}) });
  contexts.push(context);
  await context.addInitScript(() => {
    const w = window as unknown as { cues: { cue: string; audible: boolean }[]; oscillators: number; vibrations: unknown[] };
    w.cues = [];
    w.oscillators = 0;
    w.vibrations = [];
    document.addEventListener('cca:cue', (e) => w.cues.push((e as CustomEvent).detail));
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      w.oscillators++;
      return create.call(this);
    };
    Object.defineProperty(navigator, 'vibrate', { value: (p: unknown) => (w.vibrations.push(p), true) });
  });
  const p = await context.newPage();
  p.setDefaultTimeout(15_000);
  csp.push(watchCsp(p));
  return p;
}

const recorded = (p: Page) =>
  p.evaluate(() => {
    const w = window as unknown as { cues: { cue: string; audible: boolean }[]; oscillators: number; vibrations: unknown[] };
    return { cues: w.cues, oscillators: w.oscillators, vibrations: w.vibrations };
  });
const cues = (p: Page) => p.evaluate(() => (window as unknown as { cues: { cue: string; audible: boolean }[] }).cues);

/** Each game screen: no serious accessibility problem, one heading, no sideways scrolling. */
async function screenOk(p: Page, where: string) {
  expect(await axeSerious(p), `axe on ${where}`).toEqual([]);
  expect(await p.locator('h1').count(), `h1 on ${where}`).toBeGreaterThan(0);
  const widths = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(widths[0], `sideways scrolling on ${where}`).toBeLessThanOrEqual(widths[1]!);
}

async function createRoom(host: Page, url: string, fill: (host: Page) => Promise<void> = async () => {}) {
  await host.goto(`${url}/host`);
  await host.getByLabel('Questions').fill('2');
  await host.getByLabel('Questions').press('Tab');
  await fill(host);
  await host.getByRole('button', { name: 'Create room' }).click();
  const code = (await host.locator('.room-code').textContent())!.trim();
  return code;
}

async function joinAs(url: string, code: string, name: string, viewport = { width: 360, height: 640 }): Promise<Page> {
  const p = await page(viewport, browser, true);
  await p.goto(`${url}/join/${code}`);
  await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('nickname'); // focus waits on the name
  await p.keyboard.type(name);
  await p.getByRole('button', { name: 'Join game' }).click();
  await p.getByText(`You're in, ${name}!`).waitFor();
  return p;
}

describe('the join link phones can reach', () => {
  it('shows PUBLIC_URL in the text and the QR code', async () => {
    const server = await serve({ store: new MemoryStore(), env: { PUBLIC_URL: 'https://quiz.example.org' } });
    const host = await page({ width: 1920, height: 1080 });
    const code = await createRoom(host, server.url);
    const want = `https://quiz.example.org/join/${code}`;
    expect(await host.getByTestId('join-url').textContent()).toBe(`quiz.example.org/join/${code}`);
    expect(await readQr(host.locator('.qr img'))).toBe(want);
    expect(await host.getByText('Phones cannot open this address').count()).toBe(0);
    // A reload keeps the same link: it comes with the host's view.
    await host.reload();
    await host.getByTestId('join-url').waitFor();
    expect(await readQr(host.locator('.qr img'))).toBe(want);
  });

  it('on localhost it warns and offers the LAN addresses, whose link the QR then carries', async () => {
    const server = await serve({
      store: new MemoryStore(),
      env: { HOST: '0.0.0.0' },
      networkInterfaces: () => ({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }], eth0: [{ address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null }] }),
    });
    const port = new URL(server.url).port;
    const host = await page({ width: 1280, height: 720 });
    const code = await createRoom(host, server.url);
    await host.getByRole('alert').filter({ hasText: 'Phones cannot open this address' }).waitFor();
    await host.getByRole('button', { name: `192.168.1.20:${port}/join/${code}` }).click();
    expect(await readQr(host.locator('.qr img'))).toBe(`http://192.168.1.20:${port}/join/${code}`);
    await screenOk(host, 'host lobby with the LAN warning');
  });

  it('a host on a LAN name gets that name on the QR, and a phone that scans it joins the room', async () => {
    const server = await serve();
    const port = new URL(server.url).port;
    // The venue's name for this laptop, resolved to the loopback server: no traffic leaves the machine.
    const lan = await launchChromium(['--host-resolver-rules=MAP quiz-night.lan 127.0.0.1']);
    try {
      const host = await page({ width: 1920, height: 1080 }, lan);
      const code = await createRoom(host, `http://quiz-night.lan:${port}`);
      const scanned = await readQr(host.locator('.qr img'));
      expect(scanned).toBe(`http://quiz-night.lan:${port}/join/${code}`);
      expect(await host.getByText('Phones cannot open this address').count()).toBe(0);
      const phone = await page({ width: 360, height: 640 }, lan, true);
      await phone.goto(scanned!);
      await phone.getByLabel('Your nickname').fill('Scan');
      await phone.getByRole('button', { name: 'Join game' }).click();
      await phone.getByText("You're in, Scan!").waitFor();
      await host.locator('.players li', { hasText: 'Scan' }).waitFor();
    } finally {
      await lan.close();
    }
  });
});

describe('a quiz night on the show screens', () => {
  it('lobby to podium: cues for each moment, mute silences them, reveal labels match, a tie shares first place', async () => {
    // A venue set-up: PUBLIC_URL names the laptop's Wi-Fi address (the phones below use the test's own URL).
    const server = await serve({ store: new MemoryStore(), env: { PUBLIC_URL: 'http://192.168.1.20:3000' } });
    const host = await page({ width: 1920, height: 1080 });
    await host.goto(`${server.url}/host`);
    await screenOk(host, 'host settings step');
    const code = await createRoom(host, server.url, async (h) => {
      await h.getByLabel('Timer (seconds)').fill('8');
      await h.getByLabel('Timer (seconds)').press('Tab');
      await h.getByLabel('Speed scoring (off = accuracy only)').uncheck();
      await h.getByLabel('Streak bonus').uncheck();
    });
    const ana = await joinAs(server.url, code, 'Ana');
    const ben = await joinAs(server.url, code, 'Benedikt-Alexander Smith', { width: 320, height: 568 });
    const cai = await joinAs(server.url, code, 'Cai');
    await host.locator('.count').filter({ hasText: '3 players' }).waitFor();
    await screenOk(host, 'host lobby');
    await screenOk(ben, 'phone lobby at 320 px');
    await host.screenshot({ path: join(SHOTS, 'host-lobby.png') });
    expect((await cues(host)).map((c) => c.cue)).toEqual(expect.arrayContaining(['lobby', 'join']));

    await host.getByRole('button', { name: /Start game/ }).click();
    await host.getByText('Get ready…').waitFor();
    await ana.getByText('Get ready…').waitFor();
    await screenOk(host, 'host get ready');
    await screenOk(ana, 'phone get ready');
    // Q1: Ana and Ben right, Cai wrong.
    await host.locator('ol.choices').waitFor();
    await ana.locator('ol.choices button').first().waitFor();
    await screenOk(host, 'host question');
    await screenOk(ben, 'phone question at 320 px');
    await host.screenshot({ path: join(SHOTS, 'host-question.png') });
    await ben.screenshot({ path: join(SHOTS, 'player-question-320.png') });
    const r = server.registry.get(code)!;
    const right = r.state.questions[0]!.solution.answer[0]!;
    const wrong = [0, 1, 2, 3].find((i) => i !== right)!;
    await ana.locator('ol.choices button').nth(right).click();
    await ana.getByText('Answer locked in ✓').waitFor();
    await screenOk(ana, 'phone answered');
    await ben.locator('ol.choices button').nth(right).click();
    await cai.locator('ol.choices button').nth(wrong).click();
    await host.getByRole('heading', { name: /^Answer · Question 1/ }).waitFor();
    await screenOk(host, 'host reveal');
    await host.screenshot({ path: join(SHOTS, 'host-reveal.png') });
    // The distribution bars carry each choice's shape and number.
    const choiceLabels = await host.locator('ol.choices button').evaluateAll((bs) => bs.map((b) => `${b.querySelector('.shape')!.textContent} ${b.querySelector('.key')!.textContent}`));
    const barLabels = await host.locator('[aria-label="Answer distribution"] .label').evaluateAll((ls) => ls.map((l) => l.textContent!.replace('✓', '').trim()));
    expect(barLabels).toEqual(choiceLabels);
    expect(await host.locator('[aria-label="Answer distribution"] li.right .label').textContent()).toContain(`${right + 1}`);
    await ana.getByText('✓ Correct!').waitFor();
    await cai.getByText('✗ Not this time').waitFor();
    await screenOk(cai, 'phone reveal');
    expect((await cues(host)).map((c) => c.cue)).toEqual(expect.arrayContaining(['ready', 'question', 'reveal']));
    expect((await cues(host)).every((c) => c.audible)).toBe(true);
    expect((await recorded(host)).oscillators).toBeGreaterThan(0);
    // Phones are silent unless asked, yet vibrate on the result.
    expect((await cues(ana)).map((c) => [c.cue, c.audible])).toContainEqual(['right', false]);
    expect((await recorded(cai)).vibrations.length).toBeGreaterThan(0);
    expect((await recorded(ana)).oscillators).toBe(0);

    await host.getByRole('button', { name: /Leaderboard/ }).click();
    await host.getByRole('heading', { name: /^Leaderboard/ }).waitFor();
    await screenOk(host, 'host leaderboard');
    await screenOk(ben, 'phone leaderboard at 320 px');
    await host.screenshot({ path: join(SHOTS, 'host-leaderboard.png') });

    // The host mutes: every later cue is still called, but none makes a sound.
    await host.getByRole('button', { name: 'Sound on' }).click();
    await host.getByRole('button', { name: 'Sound off' }).waitFor();
    const before = (await recorded(host)).oscillators;
    const cuesBefore = (await cues(host)).length;
    await host.getByRole('button', { name: /Next/ }).click();
    // Q2: nobody answers; the clock runs out with last-seconds ticks.
    await host.locator('ol.choices').waitFor();
    await host.getByRole('heading', { name: /^Answer · Question 2/ }).waitFor({ timeout: 20_000 });
    await host.getByRole('button', { name: /Leaderboard/ }).click();
    await host.getByRole('button', { name: /Next/ }).click();
    await host.getByRole('heading', { name: /^Final results/ }).waitFor();
    await host.locator('.podium [data-place="1"][data-shown="true"]').waitFor();
    await screenOk(host, 'host podium');
    await host.screenshot({ path: join(SHOTS, 'podium.png') });
    const later = (await cues(host)).slice(cuesBefore);
    expect(later.map((c) => c.cue)).toEqual(expect.arrayContaining(['ready', 'question', 'tick', 'reveal', 'fanfare']));
    expect(later.filter((c) => c.cue === 'tick').length).toBeGreaterThanOrEqual(4);
    expect(later.every((c) => !c.audible)).toBe(true);
    expect((await recorded(host)).oscillators).toBe(before);

    // Ana and Ben tie for first and share it; Cai is third, and no one is second.
    const places = (await host.locator('.podium [data-place] .visually-hidden').allTextContents()).map((t) => t.trim());
    expect(places).toEqual(['First place (tie): Ana, Benedikt-Alexander Smith', 'Third place: Cai']);
    await ben.getByText('You finished 1st').waitFor();
    await screenOk(ben, 'phone final results at 320 px');
    await ben.screenshot({ path: join(SHOTS, 'player-final-320.png'), fullPage: true });
  }, 180_000);

  it('Buzz-in: the buzz, the wrong and the right answer each have their cue; the winning phone vibrates', async () => {
    const server = await serve();
    const host = await page({ width: 1280, height: 720 });
    const code = await createRoom(host, server.url, async (h) => {
      await h.getByLabel('Mode').selectOption({ label: 'Buzz-in: first to buzz answers' });
      await h.getByLabel('Words per second (0 = all at once)').fill('0');
      await h.getByLabel('Words per second (0 = all at once)').press('Tab');
    });
    const ana = await joinAs(server.url, code, 'Ana');
    const ben = await joinAs(server.url, code, 'Ben');
    await host.getByRole('button', { name: /Start game/ }).click();
    const r = () => server.registry.get(code)!.state;
    await ana.getByRole('button', { name: 'BUZZ' }).waitFor();
    await screenOk(ana, 'phone buzzer');
    expect(await ana.getByText('Or press Space').count()).toBe(0); // a touch phone: no keyboard hint
    await ana.screenshot({ path: join(SHOTS, 'player-buzzer.png') });
    const right = r().questions[0]!.solution.answer[0]!;
    const wrong = [0, 1, 2, 3].find((i) => i !== right)!;
    await ana.getByRole('button', { name: 'BUZZ' }).click();
    await ana.getByText('Your turn: pick an answer!').waitFor();
    await ana.locator('ol.choices button').nth(wrong).click();
    await ana.getByText('Locked out for this question').waitFor();
    await ben.getByRole('button', { name: 'BUZZ' }).click();
    await ben.getByText('Your turn: pick an answer!').waitFor();
    await ben.locator('ol.choices button').nth(right).click();
    await host.getByRole('heading', { name: /^Answer · Question 1/ }).waitFor();
    expect((await cues(host)).map((c) => c.cue)).toEqual(expect.arrayContaining(['buzz', 'wrong', 'right']));
    expect((await recorded(ben)).vibrations.length).toBeGreaterThanOrEqual(2); // the won buzz and the result
  }, 120_000);
});

describe('no page scrolls sideways on a 320 px phone', () => {
  it('home, join, host set-up, practice, stats, exam, leaderboards, not found', async () => {
    const server = await serve();
    const p = await page({ width: 320, height: 568 }, browser, true);
    for (const path of ['/', '/join/K7WQ3M', '/host', '/practice', '/stats', '/exam', '/leaderboards', '/nowhere']) {
      await p.goto(`${server.url}${path}`);
      await p.waitForFunction(() => document.body.dataset.ready || document.querySelector('h1'));
      await p.locator('h1').first().waitFor();
      const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(scroll, `${path} scrolls sideways`).toBeLessThanOrEqual(client!);
    }
    // A host on a phone: the lobby and its settings dialog fit too.
    await createRoom(p, server.url);
    await screenOk(p, 'host lobby at 320 px');
    await p.getByRole('button', { name: /Settings/ }).click();
    await p.getByRole('dialog').waitFor();
    const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll, 'the settings dialog scrolls sideways').toBeLessThanOrEqual(client!);
  });
  it('stats and leaderboards with real data: long names wrap, bars keep their width', async () => {
    const server = await startTestServer({ store: new MemoryStore() }); // the real bank: practice draws from every domain
    servers.push(server);
    const long = 'Maximiliana-Alexandrowna'; // 24 characters, the longest nickname allowed
    const created = (await (await fetch(`${server.url}/api/profiles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname: long }) })).json()) as { token: string; profile: { name: string } };
    const api = (path: string, body: unknown) =>
      fetch(`${server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` }, body: JSON.stringify(body) }).then((r) => r.json());
    for (let i = 0; i < 12; i++) {
      const next = (await api('/practice/next', { domains: [], offset: 'normal' })) as { question: { id: string } };
      await api('/practice/answer', { questionId: next.question.id, choices: [i % 2] });
    }
    // A room game puts the long name on the weekly board too.
    const table = await setTable(server.url, [long], { questionCount: 1, timeLimitSec: 30 });
    await table.host.call('host:command', { command: 'start' });
    const gq = server.registry.get(table.code)!.state.questions[0]!;
    await table.players[0]!.bot.call('player:answer', { questionId: gq.question.id, choices: gq.solution.answer });
    await table.host.call('host:command', { command: 'end' });
    closeTable(table);
    const p = await page({ width: 320, height: 568 }, browser, true);
    await p.addInitScript(([token, name]) => localStorage.setItem('cca-quiz:profile', JSON.stringify({ token, name })), [created.token, created.profile.name]);
    for (const path of ['/stats', '/leaderboards']) {
      await p.goto(`${server.url}${path}`);
      if (path === '/stats') await p.locator('.track').first().waitFor();
      else await p.getByText(long).first().waitFor();
      await screenOk(p, `${path} with data at 320 px`);
      const tracks = await p.locator('.track').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().width));
      for (const w of tracks) expect(w, `a bar on ${path} is squeezed`).toBeGreaterThan(120);
      await p.screenshot({ path: join(SHOTS, `phone${path.replace('/', '-')}-320.png`), fullPage: true });
    }
  });

  it('the nickname field stops at 24 characters', async () => {
    const server = await serve();
    const host = await page({ width: 1280, height: 720 });
    const code = await createRoom(host, server.url);
    const p = await page({ width: 320, height: 568 }, browser, true);
    await p.goto(`${server.url}/join/${code}`);
    await p.getByLabel('Your nickname').pressSequentially('abcdefghijklmnopqrstuvwxyz0123');
    expect(await p.getByLabel('Your nickname').inputValue()).toBe('abcdefghijklmnopqrstuvwx');
  });
});
