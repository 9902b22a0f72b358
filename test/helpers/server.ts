import { startApp, type RunningApp } from '../../server/app.js';
import { ManualClock, systemClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import type { Logger } from '../../server/log.js';
import type { InterfaceList } from '../../server/realtime/join-links.js';
import type { QuestionBank } from '../../server/game/bank.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { RedisStore } from '../../server/storage/redis.js';
import type { Store } from '../../server/storage/types.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import type { RoomSettingsPatch } from '../../shared/settings.js';
import { Bot } from './bot.js';

export type StoreKind = 'memory' | 'redis';

export async function makeStore(kind: StoreKind, redisUrl?: string): Promise<Store> {
  if (kind === 'memory') return new MemoryStore();
  const store = await RedisStore.connect(redisUrl!);
  await store.redis.flushdb();
  return store;
}

export interface TestServer extends RunningApp {
  clock: ManualClock | null;
}

/** The real server on 127.0.0.1, port 0. A ManualClock makes answer times exact. */
export async function startTestServer(opts: {
  bank?: QuestionBank;
  store: Store;
  manualClock?: boolean;
  env?: Record<string, string>;
  pingIntervalMs?: number;
  networkInterfaces?: InterfaceList;
  /** A logger to read what the server logged (default: silent). */
  log?: Logger;
}): Promise<TestServer> {
  const clock = opts.manualClock ? new ManualClock(1_700_000_000_000) : null;
  // Test files create many rooms from 127.0.0.1; the room-creation limit's own tests pass the real default.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ROOMS_PER_IP_PER_MINUTE: '10000', ...opts.env });
  const app = await startApp({
    config,
    store: opts.store,
    ...(opts.bank ? { bank: opts.bank } : {}),
    // Rooms on the manual clock; leases on real time (a room clock jump is not a partition here).
    ...(clock ? { clock, clusterClock: systemClock } : {}),
    broadcastThrottleMs: 0,
    ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
    ...(opts.networkInterfaces ? { networkInterfaces: opts.networkInterfaces } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return Object.assign(app, { clock });
}

export interface Table {
  host: Bot;
  code: string;
  hostToken: string;
  players: { bot: Bot; playerId: string; sessionToken: string }[];
}

/** A host creates a room and `names` join it, each on their own socket (no "get ready" count unless asked). */
export async function setTable(url: string, names: string[], settings: RoomSettingsPatch = {}): Promise<Table> {
  const host = await Bot.connect(url);
  const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { getReadySec: 0, ...settings } });
  if (!created.ok) throw new Error(created.error.message);
  const players = [];
  for (const nickname of names) {
    const bot = await Bot.connect(url);
    const joined = await bot.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname });
    if (!joined.ok) throw new Error(joined.error.message);
    players.push({ bot, playerId: joined.playerId, sessionToken: joined.sessionToken });
  }
  return { host, code: created.code, hostToken: created.hostToken, players };
}

export function closeTable(t: Table | undefined): void {
  if (!t) return;
  t.host.close();
  for (const p of t.players) p.bot.close();
}
