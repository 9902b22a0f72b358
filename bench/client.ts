/**
 * `npm run bench:client`: how fast the join page becomes usable on a slow phone.
 * Chromium with Lighthouse's slow-4G DevTools throttling (562.5 ms RTT, 1.47 Mbit/s down, 675 kbit/s up)
 * and a 4× CPU slowdown; a cold cache on every run. "Interactive" = the nickname form is on screen and
 * wired up (the page marks itself ready after mounting and loading the room's public info).
 */
import { join } from 'node:path';
import { startApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { MemoryStore } from '../server/storage/memory.js';
import { PROTOCOL_VERSION } from '../shared/protocol/version.js';
import { Bot } from '../test/helpers/bot.js';
import { buildClient, launchChromium } from '../test/helpers/browser.js';
import { routeSize } from './bundle-size.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

buildClient();
const size = routeSize(join('dist', 'client'), 'src/pages/Play.svelte');
const app = await startApp({ config: loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), store: new MemoryStore() });
const host = await Bot.connect(app.url);
const created = await host.call('room:create', { protocol: PROTOCOL_VERSION });
if (!created.ok) throw new Error(created.error.message);
const browser = await launchChromium();

const times: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${app.url}/join/${created.code}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.body.dataset.ready === 'join', undefined, { timeout: 60_000 });
    await page.getByLabel('Your nickname').fill('Bench');
    // Time from navigation start to the ready mark, measured by the page's own clock.
    const ms = await page.evaluate(() => performance.getEntriesByName('cca-ready')[0]?.startTime ?? performance.now());
    times.push(ms);
    process.stdout.write(`run ${i + 1}/${RUNS}: ${(ms / 1000).toFixed(2)} s\n`);
    await context.close();
  }
} finally {
  await browser.close();
  host.close();
  await app.close();
}

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`\njoin page interactive (slow 4G, CPU 4x, cold cache), ${RUNS} runs: median ${(median / 1000).toFixed(2)} s, max ${(times.at(-1)! / 1000).toFixed(2)} s (target < 2 s)`);
console.log(`player route JavaScript: ${(size.js / 1024).toFixed(1)} KB gzipped (target < 100 KB), CSS ${(size.css / 1024).toFixed(1)} KB, ${size.files.length} files`);
console.log(`machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
