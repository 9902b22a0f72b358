import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MemoryStore } from '../../server/storage/memory.js';
import { axeSerious, buildClient, launchChromium } from '../helpers/browser.js';
import { Pages, expectNoSidewaysScroll, type Viewport } from '../helpers/pages.js';
import { storedQuestion } from '../helpers/fixture-bank.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHOTS = join('test-results', 'screenshots');
let browser: Browser;
let server: TestServer;
const pages = new Pages(() => browser);

beforeAll(async () => {
  buildClient();
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  server = await startTestServer({ bank: makeBank(3), store: new MemoryStore() });
}, 120_000);
afterEach(() => {
  expect(pages.takeCspViolations()).toEqual([]);
});
afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

const page = (viewport: Viewport, phone = false): Promise<Page> => pages.open(viewport, { phone });

/** Questions of a study lead's own deck: no `verified` block (uploads may leave it out). */
function ownQuestion(id: string, over: Record<string, unknown> = {}) {
  const { verified: _v, ...q } = storedQuestion(id, { prompt: `Our own question ${id}: which statement about eBPF maps is right?`, ...over });
  return q;
}

const deckFile = (name: string, questions: unknown[]) => ({ name, mimeType: 'text/yaml', buffer: Buffer.from(stringify(questions)) });

describe('decks the group chooses', () => {
  it('an uploaded deck with an error is refused with its field named; a valid one is played, marked not reviewed', async () => {
    const host = await page({ width: 1280, height: 800 });
    await host.goto(`${server.url}/host`);
    await host.getByLabel('Questions').fill('2');
    await host.getByRole('button', { name: 'Create room' }).click();
    const code = (await host.locator('.room-code').textContent())!.trim();

    await host.getByRole('button', { name: 'Settings' }).click();
    const dialog = host.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('deck-current').textContent()).toContain('random draw');

    // The topics list comes from the bank.
    await dialog.getByLabel('Bank topics').check();
    await dialog.getByLabel('testing').waitFor();
    expect(await axeSerious(host), 'axe on the topics picker').toEqual([]);

    // A deck with a bad field: refused, question and field named, nothing changed.
    await dialog.getByLabel('Upload a deck (YAML)').check();
    await dialog.getByText('at most 200 KB and 100 questions').waitFor();
    await dialog.getByLabel('Deck file (.yaml)').setInputFiles(deckFile('bad.yaml', [ownQuestion('our-q-01'), ownQuestion('our-q-02', { difficulty: 9 })]));
    await dialog.getByRole('button', { name: 'Use this deck' }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('our-q-02: difficulty').waitFor();
    expect(await alert.textContent()).toContain('The deck has 1 problem');
    expect(await dialog.getByTestId('deck-current').textContent()).toContain('random draw');
    expect(await axeSerious(host), 'axe on the upload controls with errors').toEqual([]);
    await host.screenshot({ path: join(SHOTS, 'deck-upload-error.png') });
    await host.setViewportSize({ width: 320, height: 640 });
    // The settings dialog over the lobby (the projector lobby itself is not a 320 px screen).
    const box = await host.evaluate(() => {
      const d = document.querySelector('dialog')!;
      return { right: d.getBoundingClientRect().right, scroll: d.scrollWidth, client: d.clientWidth, viewport: document.documentElement.clientWidth };
    });
    expect(box.right, 'dialog inside a 320 px viewport').toBeLessThanOrEqual(box.viewport);
    expect(box.scroll, 'no sideways scrolling in the deck picker at 320 px').toBeLessThanOrEqual(box.client);
    await host.setViewportSize({ width: 1280, height: 800 });

    // A valid deck replaces it.
    await dialog.getByLabel('Deck file (.yaml)').setInputFiles(deckFile('good.yaml', [ownQuestion('our-q-01'), ownQuestion('our-q-02')]));
    await dialog.getByRole('button', { name: 'Use this deck' }).click();
    await dialog.getByRole('status').getByText('your uploaded deck: 2 questions, not reviewed').waitFor();
    await expect.poll(() => dialog.getByTestId('deck-current').textContent()).toContain('uploaded deck');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const phone = await page({ width: 320, height: 640 }, true);
    await phone.goto(`${server.url}/join/${code}`);
    await phone.getByLabel(/nickname/i).fill('Ana');
    await phone.getByRole('button', { name: 'Join game' }).click();
    await phone.getByText("You're in, Ana!").waitFor();
    await host.getByRole('button', { name: 'Start game ▶' }).click();

    await phone.getByText('Our own question our-q-01').waitFor();
    await phone.getByTestId('unreviewed-badge').getByText('Not reviewed').waitFor();
    await host.getByTestId('unreviewed-badge').getByText('Not reviewed').waitFor();
    await expectNoSidewaysScroll(phone, 'the phone question with the badge');
    expect(await axeSerious(phone), 'axe on the phone question').toEqual([]);
    await phone.screenshot({ path: join(SHOTS, 'deck-phone-unreviewed.png') });
    await phone.getByRole('button', { name: /Maps hold state/ }).click();
    // The only player answered: the question closes and the reveal shows the deck's own explanation.
    await host.getByText('Maps are key/value stores', { exact: false }).first().waitFor();
  }, 90_000);
});
