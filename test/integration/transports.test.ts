import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../server/storage/memory.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Clients that speak HTTP long-polling (other clients built from the protocol; the web client starts
// with WebSocket, see test/deploy/transports.test.ts). Those requests share the port with Express
// and must reach Socket.IO alone.
describe('long-polling clients', () => {
  let server: TestServer;
  const bots: Bot[] = [];

  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(4), store: new MemoryStore() });
  });
  afterAll(async () => {
    for (const b of bots) b.close();
    await server.close();
  });

  it('host and player on long-polling play a question; the HTTP routes still answer', async () => {
    const host = await Bot.connect(server.url, { transports: ['polling'] });
    const player = await Bot.connect(server.url, { transports: ['polling'] });
    bots.push(host, player);
    const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { questionCount: 1, getReadySec: 0 } });
    if (!created.ok) throw new Error(created.error.message);
    const joined = await player.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: 'Pol' });
    expect(joined.ok).toBe(true);
    await host.call('host:command', { command: 'start' });
    const q = await player.view((v) => v.phase === 'question');
    expect(await player.call('player:answer', { questionId: q.question!.id, choices: [0] })).toMatchObject({ ok: true });
    await host.view((v) => v.phase === 'reveal');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(player.socket.io.engine.transport.name).toBe('polling');
  });
});
