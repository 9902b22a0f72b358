import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBank } from '../helpers/questions.js';
import { startRedis, stopRedis, type RedisServer } from '../helpers/redis-server.js';
import { closeTable, makeStore, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

describe('/metrics and security headers', () => {
  let redis: RedisServer | undefined;
  let server: TestServer;
  let table: Table | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    server = await startTestServer({ bank: makeBank(4), store: await makeStore('redis', redis.url) });
  });
  afterAll(async () => {
    closeTable(table);
    await server.close();
    await server.store.close();
    await stopRedis(redis);
  });

  const metric = (text: string, line: RegExp) => {
    const found = text.split('\n').find((l) => line.test(l));
    return found ? Number(found.split(' ').at(-1)) : null;
  };

  it('counts sockets, rooms by phase, events, acks by code, handler and Redis latency', async () => {
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 2 });
    await table.host.call('host:command', { command: 'start' });
    await table.players[0]!.bot.call('player:answer', { questionId: 'nope', choices: [0] });
    await table.players[0]!.bot.raw('player:answer', { questionId: 42 });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(metric(text, /^cca_connected_sockets /)).toBe(3);
    expect(metric(text, /^cca_rooms\{phase="question"\} /)).toBe(1);
    expect(metric(text, /^cca_events_total\{event="room:join"\} /)).toBe(2);
    expect(metric(text, /^cca_acks_total\{event="room:join",code="ok"\} /)).toBe(2);
    expect(metric(text, /^cca_acks_total\{event="player:answer",code="STALE_QUESTION"\} /)).toBe(1);
    expect(metric(text, /^cca_acks_total\{event="player:answer",code="BAD_REQUEST"\} /)).toBe(1);
    expect(metric(text, /^cca_handler_duration_seconds_count\{event="room:create"\} /)).toBe(1);
    expect(metric(text, /^cca_redis_command_duration_seconds_count\{command="evalsha"\} /) ?? metric(text, /^cca_redis_command_duration_seconds_count\{command="eval"\} /)).toBeGreaterThan(0);
    expect(text).toContain('cca_room_takeovers_total 0');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('sends a Content Security Policy and the usual security headers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
