/**
 * The keynote room: one Classic room of N phones. On the real server it is two nodes on one Redis,
 * the host and half the phones on node A (which owns the room), half on node B (whose calls are
 * forwarded); on the baseline the same sockets on one bare Socket.IO process. Everyone answers within
 * the window, 1 in 100 also sends a duplicate, 1 in 200 answers after the deadline (not on the baseline,
 * which has none); then the reveal and the leaderboard. Memory per player = growth of the servers'
 * RSS from before the first socket to after the last join, ÷ the sockets.
 */
import type { Socket } from 'socket.io-client';
import { Redis } from 'ioredis';
import { ProcessMonitor, startServerProcess, stopProcess, type Worker } from './processes.js';
import { openHostRoom, split, tallyAnswers } from './scenarios.js';
import { summarize } from './stats.js';
import type { BigResult } from './worker.js';

export const KEYNOTE_LIMIT_SEC = 6;
/** Every on-time phone answers within this long of the question's opening (at once if its view came later); each must be acked within 3 s of the opening. */
export const KEYNOTE_WINDOW_MS = 2_500;
export const KEYNOTE_ACK_DEADLINE_MS = 3_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settledRss(monitors: ProcessMonitor[]): Promise<number> {
  await sleep(1_000);
  return monitors.reduce((s, m) => s + m.rssMb(), 0);
}

/** A node's V8 heap and RSS as its /metrics reports them, in MB. */
async function heapOf(url: string): Promise<Record<string, number> | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const mb = (name: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line ? Math.round(Number(line.split(' ')[1]) / 2 ** 20) : -1;
    };
    return { rss: mb('process_resident_memory_bytes'), heapUsed: mb('nodejs_heap_size_used_bytes'), heapTotal: mb('nodejs_heap_size_total_bytes'), external: mb('nodejs_external_memory_bytes') };
  } catch {
    return null;
  }
}

export async function runKeynote(opts: {
  target: 'baseline' | 'cluster';
  players: number;
  workers: Worker[];
  redisUrl: string;
  serverEnv: Record<string, string>;
  template: string;
  log: (line: string) => void;
  onServers?: (pids: number[]) => void;
  /** Node flags for a server process (bench --profile: V8 CPU profiles). */
  profile?: (name: string) => string[];
}) {
  const { players, workers, log } = opts;
  const servers =
    opts.target === 'baseline'
      ? [await startServerProcess([...(opts.profile?.('keynote-baseline') ?? []), '--import', 'tsx', 'bench/baseline-server.ts'], { VIEW_TEMPLATE: opts.template })]
      : await (async () => {
          const redis = new Redis(opts.redisUrl);
          await redis.flushall(); // this room's weekly points and logs alone
          redis.disconnect();
          const env = { ...opts.serverEnv, REDIS_URL: opts.redisUrl };
          const node = (id: string) => startServerProcess([...(opts.profile?.(`keynote-${id}`) ?? []), 'dist/server/main.js'], { ...env, NODE_ID: `keynote-${id}` });
          return [await node('a'), await node('b')];
        })();
  opts.onServers?.(servers.map((s) => s.child.pid!));
  const monitors = servers.map((s) => new ProcessMonitor(s.child.pid!));
  let host: Socket | null = null;
  try {
    const rssBefore = await settledRss(monitors);
    const room = await openHostRoom(servers[0]!.url, { questionCount: 2, timeLimitSec: KEYNOTE_LIMIT_SEC, speedScoring: false, streakBonus: false, getReadySec: 0 }, 20_000);
    host = room.host;
    const t0 = performance.now();
    const urls = servers.map((s) => s.url);
    await Promise.all(split(players, workers.length).map((n, i) => workers[i]!.ask({ cmd: 'join', urls, code: room.code, count: n, prefix: `K${i}P` })));
    const joinSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const rssJoined = await settledRss(monitors);
    const heapJoined = opts.target === 'baseline' ? null : await Promise.all(servers.map((srv) => heapOf(srv.url)));
    log(`  ${players} phones joined one room in ${joinSeconds} s over ${servers.length} server process(es); answering within ${KEYNOTE_WINDOW_MS / 1000} s of the opening`);

    for (const m of monitors) m.start();
    const lateEvery = opts.target === 'baseline' ? 0 : 200;
    const answering = Promise.all(
      workers.map((w) => w.ask<{ big: BigResult }>({ cmd: 'answer-big', windowMs: KEYNOTE_WINDOW_MS, duplicateEvery: 100, lateEvery, lateAtMs: KEYNOTE_LIMIT_SEC * 1000 + 500, watch: true })),
    );
    await host.timeout(20_000).emitWithAck('host:command', { command: 'start' });
    const reveal = await Promise.race([room.revealed, sleep(120_000).then(() => Promise.reject(new Error('the host saw no reveal within 120 s')))]);
    // The late answers arrive after the deadline; then the host moves on to the leaderboard.
    if (lateEvery > 0) await sleep(1_000);
    await host.timeout(20_000).emitWithAck('host:command', { command: 'next' });
    const parts = (await answering).map((p) => p.big);
    const usage = monitors.map((m) => m.stop());
    await sleep(300);
    const final = room.latest() ?? reveal;

    const ackFromOpen = parts.flatMap((p) => p.ackFromOpen);
    const cpuSeconds = Math.round(usage.reduce((s, u) => s + u.cpuSeconds, 0) * 100) / 100;
    const rssGrowthMb = Math.round((rssJoined - rssBefore) * 10) / 10;
    return {
      target: opts.target,
      players,
      nodes: servers.length,
      joinSeconds,
      broadcast: summarize(parts.flatMap((p) => p.broadcast)),
      ack: summarize(parts.flatMap((p) => p.ack)),
      /** Per server process: on the cluster node A (owns the room, host there) and node B (forwards to A). */
      ackPerServer: servers.map((_, i) => summarize(parts.flatMap((p) => p.ackByServer[i] ?? []))),
      ackFromOpen: summarize(ackFromOpen),
      ackedLaterThan3s: ackFromOpen.filter((ms) => ms > KEYNOTE_ACK_DEADLINE_MS).length,
      reveal: summarize(parts.flatMap((p) => p.reveal)),
      leaderboard: summarize(parts.flatMap((p) => p.leaderboard)),
      ...tallyAnswers(parts, reveal, final, KEYNOTE_LIMIT_SEC, opts.target === 'baseline'),
      cpuSeconds,
      cpuCoresPerNode: usage.map((u) => u.cpuCores),
      peakRssMbPerNode: usage.map((u) => u.peakRssMb),
      rssBeforeMb: Math.round(rssBefore),
      rssJoinedMb: Math.round(rssJoined),
      memoryPerPlayerKb: Math.round(((rssGrowthMb * 1024) / players) * 10) / 10,
      /** Where the real server's memory is after the joins, per node (from its /metrics). */
      heapJoined,
    };
  } finally {
    host?.disconnect();
    for (const s of servers) await stopProcess(s.child);
  }
}
