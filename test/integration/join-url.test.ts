import type { NetworkInterfaceInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { makeStore, startTestServer, type TestServer } from '../helpers/server.js';

const P = PROTOCOL_VERSION;
const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
/** A laptop on venue Wi-Fi: loopback, a LAN IPv4, a link-local and a global IPv6. */
const laptop = () => ({
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  wlan0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1c2b:3aff:fe4d:5e6f', 'IPv6'), nic('2001:db8::20', 'IPv6')],
});

let server: TestServer | undefined;
const bots: Bot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) b.close();
  await server?.close();
  server = undefined;
});

async function start(env: Record<string, string> = {}) {
  server = await startTestServer({ bank: makeBank(4), store: await makeStore('memory'), env, networkInterfaces: laptop });
  return server;
}

async function host(url: string, headers?: Record<string, string>) {
  const bot = await Bot.connect(url, headers ? { headers } : {});
  bots.push(bot);
  const created = await bot.call('room:create', { protocol: P });
  if (!created.ok) throw new Error(created.error.message);
  return { bot, created };
}

describe('join URL', () => {
  it('is PUBLIC_URL when configured, in the ack and in the host view, and survives a host reload', async () => {
    const s = await start({ PUBLIC_URL: 'https://quiz.example.org/' });
    const { created } = await host(s.url);
    const url = `https://quiz.example.org/join/${created.code}`;
    expect(created.joinUrl).toBe(url);
    expect(created.view.join).toMatchObject({ url, loopbackOnly: false, source: 'public-url' });

    // A reload: a new socket attaches with the host token and gets the same link.
    const again = await Bot.connect(s.url);
    bots.push(again);
    const attached = await again.call('host:attach', { protocol: P, code: created.code, hostToken: created.hostToken });
    expect(attached.ok && attached.view.join?.url).toBe(url);
    // Players never get it.
    const phone = await Bot.connect(s.url);
    bots.push(phone);
    const joined = await phone.call('room:join', { protocol: P, code: created.code, nickname: 'Ana' });
    expect(joined.ok && joined.view.join).toBeNull();
  });

  it('is the address the host used otherwise (a laptop opened at its LAN address)', async () => {
    const s = await start();
    const { created } = await host(s.url, { host: `192.168.1.20:${s.port}` });
    const url = `http://192.168.1.20:${s.port}/join/${created.code}`;
    expect(created.joinUrl).toBe(url);
    expect(created.view.join).toMatchObject({ url, loopbackOnly: false, source: 'host-address' });
  });

  it('on localhost: flagged loopback-only, with the LAN addresses phones can reach', async () => {
    const s = await start({ HOST: '0.0.0.0' });
    const { created } = await host(`http://127.0.0.1:${s.port}`);
    const path = `/join/${created.code}`;
    expect(created.view.join).toEqual({
      url: `http://127.0.0.1:${s.port}${path}`,
      lanUrls: [`http://192.168.1.20:${s.port}${path}`, `http://[2001:db8::20]:${s.port}${path}`],
      loopbackOnly: true,
      source: 'host-address',
    });
    const named = await host(`http://localhost:${s.port}`);
    expect(named.created.view.join?.loopbackOnly).toBe(true);
  });

  it('a server bound to one address offers only that one', async () => {
    const s = await start();
    const { created } = await host(s.url);
    expect(created.view.join).toMatchObject({ loopbackOnly: true, lanUrls: [] });
  });

  it('honours X-Forwarded-Host/-Proto only behind a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-host': 'quiz.example.org', 'x-forwarded-proto': 'https' };
    let s = await start();
    expect((await host(s.url, forwarded)).created.joinUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/join/`));
    await s.close();
    s = await start({ TRUST_PROXY_HOPS: '1' });
    expect((await host(s.url, forwarded)).created.joinUrl).toMatch(/^https:\/\/quiz\.example\.org\/join\/[A-Z0-9]{6}$/);
  });

  it('follows the Origin of the page the host is on (e.g. the Vite dev server or a listed client origin)', async () => {
    const s = await start({ ALLOWED_ORIGINS: 'http://192.168.1.20:5173' });
    const { created } = await host(s.url, { origin: 'http://192.168.1.20:5173' });
    expect(created.joinUrl).toBe(`http://192.168.1.20:5173/join/${created.code}`);
  });

  it('ignores a malformed Host header', async () => {
    const s = await start();
    const { created } = await host(s.url, { host: 'evil.example/path?x=1' });
    expect(created.joinUrl).toBe(`http://localhost:${s.port}/join/${created.code}`);
  });
});
