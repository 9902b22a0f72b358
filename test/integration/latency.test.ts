import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketData } from '../../server/realtime/wrapper.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('server-measured latency', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(2), store: new MemoryStore(), pingIntervalMs: 50 });
  });
  afterAll(() => server.close());

  it('times the first ping and then every heartbeat, with no client clock involved', async () => {
    const bot = await Bot.connect(server.url);
    const data = () => server.io.sockets.sockets.get(bot.socket.id!)!.data as SocketData;
    await expect.poll(() => data().latency.sampleCount, { timeout: 3_000, interval: 10 }).toBeGreaterThanOrEqual(3);
    expect(data().latency.oneWayMs()).toBeGreaterThanOrEqual(0);
    expect(data().latency.oneWayMs()).toBeLessThan(100);
    bot.close();
  });
});
