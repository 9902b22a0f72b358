import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { makeStore, startTestServer, type TestServer } from '../helpers/server.js';
import type { RedisStore } from '../../server/storage/redis.js';

/**
 * One client (one address behind a trusted proxy) floods connections and joins; the Redis-backed
 * per-address limits stop it while honest players, each on their own address, join and play the
 * same room. Addresses are documentation ranges carried in X-Forwarded-For; all traffic is local.
 */

const P = PROTOCOL_VERSION;
const LIMITS = { connections: 40, joinsPerIp: 30, joinsPerRoom: 200 };
const FLOOD_CONNECTIONS = 300;
const FLOOD_JOINS = 100;
const HONEST = 20;
const FLOODER_IP = '203.0.113.66';
const JOIN_LIMIT_MESSAGE = 'Too many join attempts from your network: wait a minute and try again';

const bank = makeBank(6);
const xff = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

/** The value of one labelled counter in Prometheus text, 0 when absent. */
function counter(metrics: string, name: string, labels: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('flood from one address (Redis-backed limits)', () => {
  let redis: RedisServer | undefined;
  let server: TestServer;
  const bots: Bot[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    server = await startTestServer({
      bank,
      store: await makeStore('redis', redis.url),
      env: {
        TRUST_PROXY_HOPS: '1',
        CONNECTIONS_PER_IP_PER_MINUTE: String(LIMITS.connections),
        JOINS_PER_IP_PER_MINUTE: String(LIMITS.joinsPerIp),
        JOINS_PER_ROOM_PER_MINUTE: String(LIMITS.joinsPerRoom),
        ROOM_CAP: '300',
      },
    });
  });

  afterAll(async () => {
    for (const b of bots) b.close();
    await server?.close();
    await server?.store.close();
    await stopRedis(redis);
  });

  it('limits the flooder and lets 20 honest players in the same room join and answer', async () => {
    const host = await Bot.connect(server.url, xff('198.51.100.200'));
    bots.push(host);
    const created = await host.call('room:create', { protocol: P, settings: { questionCount: 2, timeLimitSec: 30, getReadySec: 0 } });
    if (!created.ok) throw new Error(created.error.message);
    const code = created.code;

    // Connection flood and honest connections at the same time: only the flooder's address is limited.
    const [floodConnects, honestConnects] = await Promise.all([
      Promise.allSettled(Array.from({ length: FLOOD_CONNECTIONS }, () => Bot.connect(server.url, xff(FLOODER_IP)))),
      Promise.allSettled(Array.from({ length: HONEST }, (_, i) => Bot.connect(server.url, xff(`198.51.100.${i + 1}`)))),
    ]);
    const flooders = floodConnects.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refusedConnects = floodConnects.filter((r) => r.status === 'rejected');
    const honest = honestConnects.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    bots.push(...flooders, ...honest);
    console.log(`flood: ${flooders.length} of ${FLOOD_CONNECTIONS} connections accepted, ${refusedConnects.length} refused`);
    expect(flooders.length).toBeLessThanOrEqual(LIMITS.connections);
    expect(flooders.length).toBeGreaterThan(0);
    expect(flooders.length + refusedConnects.length).toBe(FLOOD_CONNECTIONS);
    // Refused at the handshake: the client sees connect_error, not a dropped session.
    for (const r of refusedConnects) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(honest).toHaveLength(HONEST);

    // Join flood over the accepted sockets (distinct nicknames), racing the honest joins.
    const [floodAcks, honestAcks] = await Promise.all([
      Promise.all(
        Array.from({ length: FLOOD_JOINS }, (_, i) => flooders[i % flooders.length]!.call('room:join', { protocol: P, code, nickname: `spam${i}` })),
      ),
      Promise.all(honest.map((b, i) => b.call('room:join', { protocol: P, code, nickname: `Player ${i + 1}` }))),
    ]);
    const floodOk = floodAcks.filter((a) => a.ok).length;
    const floodLimited = floodAcks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    console.log(`flood: ${floodOk} of ${FLOOD_JOINS} joins accepted, ${floodLimited.length} RATE_LIMITED`);
    expect(floodOk).toBeLessThanOrEqual(LIMITS.joinsPerIp);
    expect(floodOk + floodLimited.length).toBe(FLOOD_JOINS);
    for (const a of floodLimited) if (!a.ok) expect(a.error.message).toBe(JOIN_LIMIT_MESSAGE);
    expect(honestAcks.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(Array(HONEST).fill('ok'));

    // The game runs for the honest players: start, everyone answers the first question.
    const started = await host.call('host:command', { command: 'start' });
    expect(started.ok).toBe(true);
    const views = await Promise.all(honest.map((b) => b.view((v) => v.phase === 'question' && v.question?.index === 0)));
    const questionId = views[0]!.question!.id;
    const answers = await Promise.all(honest.map((b, i) => b.call('player:answer', { questionId, choices: [i % 2] })));
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(Array(HONEST).fill('ok'));
    const room = server.registry.get(code)!;
    expect(Object.keys(room.state.round!.answers)).toHaveLength(HONEST);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const connLimited = counter(metrics, 'cca_joins_limited_total', 'limit="connections"');
    const joinLimited = counter(metrics, 'cca_joins_limited_total', 'limit="joins_per_ip"');
    console.log(`metrics: cca_joins_limited_total connections=${connLimited} joins_per_ip=${joinLimited}`);
    expect(connLimited).toBe(refusedConnects.length);
    expect(joinLimited).toBe(floodLimited.length);
    expect(connLimited).toBeGreaterThan(0);
    expect(joinLimited).toBeGreaterThan(0);
    expect(counter(metrics, 'cca_joins_limited_total', 'limit="joins_per_room"')).toBe(0);

    // The counts live in Redis (shared by every node), not only in this process.
    const redisClient = (server.store as RedisStore).redis;
    expect(Number(await redisClient.get(`cca:limit:conn:${FLOODER_IP}`))).toBe(FLOOD_CONNECTIONS);
    expect(Number(await redisClient.get(`cca:limit:join-ip:${FLOODER_IP}`))).toBe(FLOOD_JOINS);
  });
});
