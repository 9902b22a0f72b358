import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../server/storage/redis.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { makeStore, startTestServer, type TestServer } from '../helpers/server.js';

// Behind the Gateway/Ingress, requests of one client may reach either replica. Socket.IO's
// long-polling keeps its session in the process that made it, so it would need sticky routing;
// a WebSocket is one TCP connection and stays on one replica by nature. These tests pin down both
// halves: polling does not survive a change of replica, and the shipped client never polls.

/** The options the real client passes to io(), read from its source. */
function clientOptions(): Partial<ManagerOptions & SocketOptions> {
  const src = readFileSync(join(import.meta.dirname, '..', '..', 'client', 'src', 'lib', 'game-client.svelte.ts'), 'utf8');
  const calls = [...src.matchAll(/\bio\((\{[^)]*\})\)/g)];
  expect(calls.length, 'one io({...}) call in game-client.svelte.ts').toBe(1);
  return new Function(`return (${calls[0]![1]});`)() as Partial<ManagerOptions & SocketOptions>;
}

describe('long-polling is tied to one replica', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  const bots: Bot[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestServer({ bank: makeBank(2), store: await makeStore('redis', redis.url), env: { NODE_ID: 'pod-a' } });
    b = await startTestServer({ bank: makeBank(2), store: await RedisStore.connect(redis.url), env: { NODE_ID: 'pod-b' } });
  });
  afterAll(async () => {
    for (const bot of bots) bot.close();
    for (const s of [a, b]) {
      await s?.close();
      await s?.store.close();
    }
    await stopRedis(redis);
  });

  it('a polling session opened on one replica is unknown to the other', async () => {
    const open = await fetch(`${a.url}/socket.io/?EIO=4&transport=polling`);
    expect(open.status).toBe(200);
    const sid = (JSON.parse((await open.text()).slice(1)) as { sid: string; upgrades: string[] }).sid;
    // Its next request, routed to the other replica: refused.
    const elsewhere = await fetch(`${b.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    // The same request on the replica that holds the session goes on.
    const same = await fetch(`${a.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    expect(same.status).toBe(200);
    expect(await (await fetch(`${a.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text()).toMatch(/^40\{"sid":/);
  });

  it('WebSocket clients need no stickiness: a room made on one replica is joined through the other', async () => {
    const host = await Bot.connect(a.url, { transports: ['websocket'] });
    const player = await Bot.connect(b.url, { transports: ['websocket'] });
    bots.push(host, player);
    const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { questionCount: 1, getReadySec: 0 } });
    if (!created.ok) throw new Error(created.error.message);
    expect(await player.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: 'Remote' })).toMatchObject({ ok: true });
    await host.view((v) => v.leaderboard.some((p) => p.name === 'Remote'));
  });
});

describe('the shipped client speaks WebSocket only', () => {
  let stub: Server;
  let url: string;
  const seen = { upgrades: 0, polling: 0 };

  beforeAll(async () => {
    // Stands for a network path that refuses WebSockets: upgrades are cut, polling requests counted.
    stub = createServer((req, res) => {
      if (req.url?.includes('transport=polling')) seen.polling++;
      res.writeHead(404).end();
    });
    stub.on('upgrade', (_req, socket) => {
      seen.upgrades++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => stub.close(resolve));
  });

  const tryConnect = (opts: Partial<ManagerOptions & SocketOptions>) =>
    new Promise<void>((resolve) => {
      const socket = io(url, { ...opts, forceNew: true, reconnectionAttempts: 2, reconnectionDelay: 20, reconnectionDelayMax: 20, timeout: 2_000 });
      socket.io.on('reconnect_failed', () => {
        socket.close();
        resolve();
      });
    });

  it('with its own options, a refused WebSocket is retried as a WebSocket, never as long-polling', async () => {
    const opts = clientOptions();
    expect(opts.transports?.[0]).toBe('websocket');
    expect(opts.tryAllTransports ?? false).toBe(false);
    seen.upgrades = 0;
    seen.polling = 0;
    await tryConnect(opts);
    expect(seen.upgrades).toBe(3); // the first try and two reconnections
    expect(seen.polling).toBe(0);
  });

  it('the stub does see polling when a client falls back (the check is not vacuous)', async () => {
    seen.upgrades = 0;
    seen.polling = 0;
    await tryConnect({ ...clientOptions(), tryAllTransports: true });
    expect(seen.polling).toBeGreaterThan(0);
  });
});
