import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// The Kubernetes policies let Prometheus reach the metrics port and nothing else: that only means
// something if /metrics lives on a port of its own and the game port no longer shows it.
describe('METRICS_PORT', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(2), store: new MemoryStore(), env: { METRICS_PORT: '0' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves /metrics on its own port and hides it on the game port', async () => {
    expect(server.metricsPort).toBeGreaterThan(0);
    expect(server.metricsPort).not.toBe(server.port);
    const scrape = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    expect(await scrape.text()).toMatch(/^cca_connected_sockets 0$/m);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics?x=1`)).status).toBe(404);
    // Probes and the game stay on the game port; nothing but /metrics on the metrics port.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${server.metricsPort}/healthz`)).status).toBe(404);
  });

  it('is optional and checked like every other setting', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow('Invalid configuration: METRICS_PORT must be a whole number 0-65535 (got "nine")');
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT must be 0-65535');
  });

  it('without it, /metrics stays on the game port', async () => {
    const plain = await startTestServer({ bank: makeBank(2), store: new MemoryStore() });
    try {
      expect(plain.metricsPort).toBeUndefined();
      expect((await fetch(`${plain.url}/metrics`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
