import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, stopRedis, type RedisServer } from './redis-server.js';

/**
 * A private redis-server for the calling test file: started before its tests, stopped after (never
 * the machine's shared one). `client` is one ioredis connection to it, opened on first use.
 */
export function usePrivateRedis(): { readonly url: string; readonly client: Redis } {
  let server: RedisServer | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    client?.disconnect();
    await stopRedis(server);
  });
  const url = () => {
    if (!server) throw new Error('the private redis-server has not started');
    return server.url;
  };
  return {
    get url() {
      return url();
    },
    get client() {
      return (client ??= new Redis(url()));
    },
  };
}
