import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

/**
 * The HTTP limits, with their defaults: a venue of 300 phones behind one NAT address looks its room up, makes
 * practice profiles and joins without a single refusal, while a scanner of room codes and a profile flood from
 * one address are cut off. Redis-backed when there is Redis (shared by every node).
 */

const redis = usePrivateRedis();
const bank = makeBank(3);
const PHONES = 300;

const get = (server: TestServer, path: string, headers: Record<string, string> = {}) => fetch(`${server.url}/api${path}`, { headers }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
const post = (server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

/** Runs `n` calls, `width` at a time, in order of index. */
async function inWaves<T>(n: number, width: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += width) out.push(...(await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => call(i + j)))));
  return out;
}

function limits(kind: StoreKind) {
  describe(`HTTP limits (${kind} store)`, () => {
    let server: TestServer;
    let table: Table | undefined;
    const phones: Bot[] = [];
    beforeAll(async () => {
      // HTTP limits at their defaults; the socket connection budget is raised for the host's own socket (those limits have their own tests).
      server = await startTestServer({ bank, store: await makeStore(kind, kind === 'redis' ? redis.url : undefined), env: { CONNECTIONS_PER_IP_PER_MINUTE: '1000' } });
    });
    afterAll(async () => {
      for (const p of phones) p.close();
      closeTable(table);
      await server.close();
    });

    it(`${PHONES} phones behind one address look up one room, make profiles and join: none is limited`, async () => {
      table = await setTable(server.url, []);
      const code = table.code;
      const results = await inWaves(PHONES, 25, async (i) => {
        // A phone types the code (half of them with a typo first), looks the room up, makes a profile, joins.
        const typo = i % 2 === 0 ? (await get(server, `/rooms/${code.slice(0, 5)}${code[5] === 'A' ? 'B' : 'A'}`)).status : 404;
        const lookup = await get(server, `/rooms/${code.toLowerCase()}`);
        const again = await get(server, `/rooms/${code}/leaderboard`);
        const profile = await post(server, '/profiles', { nickname: `Phone ${i}` });
        const bot = await Bot.connect(server.url);
        phones.push(bot);
        const joined = await bot.call('room:join', { protocol: PROTOCOL_VERSION, code, nickname: `Phone ${i}`, profileToken: profile.json.token });
        return [typo, lookup.status, again.status, profile.status, joined.ok ? 'joined' : joined.error.code];
      });
      const tally = new Map<string, number>();
      for (const r of results) tally.set(r.join(' '), (tally.get(r.join(' ')) ?? 0) + 1);
      expect(Object.fromEntries(tally)).toEqual({ '404 200 200 201 joined': PHONES });
      expect((await get(server, `/rooms/${code}`)).json.playerCount).toBe(PHONES);
    });

    it('a scanner guessing room codes from one address is cut off after its failed guesses, even for a real code', async () => {
      const scanner = { 'x-forwarded-for': '203.0.113.9' };
      // TRUST_PROXY_HOPS is 0 here: the forwarded address is ignored, so the venue's earlier misses count too.
      const statuses = await inWaves(250, 25, async (i) => (await get(server, `/rooms/${`ZZZ${String(i).padStart(3, '2')}`.replace(/[01]/g, '2')}`, scanner)).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(300 - PHONES / 2);
      const real = await get(server, `/rooms/${table!.code}`);
      expect([real.status, real.json.error?.code]).toEqual([429, 'RATE_LIMITED']);
    });

    if (kind === 'redis') {
      it('keeps its counts in Redis, so every node sees them', async () => {
        const keys = await redis.client.keys('cca:limit:http-*');
        expect(keys.some((k) => k.startsWith('cca:limit:http-room:'))).toBe(true);
        expect(keys.some((k) => k.startsWith('cca:limit:http-room-miss:'))).toBe(true);
        expect(keys.some((k) => k.startsWith('cca:limit:http-profile:'))).toBe(true);
      });
    }
  });

  describe(`profile creation limit (${kind} store)`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ bank, store: await makeStore(kind, kind === 'redis' ? redis.url : undefined), env: { TRUST_PROXY_HOPS: '1' } });
    });
    afterAll(() => server.close());

    it('refuses a flood of profiles from one address after the venue-sized budget; other addresses go on', async () => {
      const flood = { 'x-forwarded-for': '198.51.100.7' };
      const statuses = await inWaves(PHONES + 20, 40, async (i) => (await post(server, '/profiles', { nickname: `Bot ${i}` }, flood)).status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(PHONES);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20);
      const other = await post(server, '/profiles', { nickname: 'Elsewhere' }, { 'x-forwarded-for': '198.51.100.8' });
      expect(other.status).toBe(201);
      const refused = await post(server, '/profiles', { nickname: 'One more' }, flood);
      expect([refused.status, refused.json.error.code]).toEqual([429, 'RATE_LIMITED']);
    });

    it('trusts X-Forwarded-For only through TRUST_PROXY_HOPS: with one hop, the last entry is the client', async () => {
      // A client cannot pick its address by prepending one: the proxy's own entry (the last) is what counts.
      const spoofed = await post(server, '/profiles', { nickname: 'Spoof' }, { 'x-forwarded-for': '10.9.9.9, 198.51.100.7' });
      expect(spoofed.status).toBe(429);
    });
  });
}

describe('room lookup budget', () => {
  it('cuts off a script hammering one real code at ROOM_LOOKUPS_PER_IP_PER_MINUTE', async () => {
    const server = await startTestServer({ bank, store: await makeStore('memory'), env: { ROOM_LOOKUPS_PER_IP_PER_MINUTE: '40' } });
    const table = await setTable(server.url, []);
    try {
      const statuses = await inWaves(50, 10, async () => (await get(server, `/rooms/${table.code}`)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(40);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    } finally {
      closeTable(table);
      await server.close();
    }
  });
});

limits('memory');
limits('redis');
