/**
 * `npm run bench [-- --quick] [-- --json FILE]`: the real server (memory store, then Redis) and a bare
 * Socket.IO baseline, driven by real socket.io-client bots in worker processes, in one run.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { loadBank } from '../questions/loader.js';
import { QuestionBank } from '../server/game/bank.js';
import { createReducer } from '../server/game/reducer.js';
import { createRoomState } from '../server/game/state.js';
import { viewFor } from '../server/game/view.js';
import { startRedis, stopRedis } from '../test/helpers/redis-server.js';
import { ProcessMonitor, Worker, startServerProcess, stopProcess } from './processes.js';
import { runTwoNodes } from './two-nodes.js';
import { ratio, summarize, type Summary } from './stats.js';
import type { BigResult, RoomsResult } from './worker.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonAt = argv.indexOf('--json');
const jsonFile = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
const option = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
/** `--targets memory` runs a subset (the summary needs the baseline); `--profile DIR` writes V8 CPU profiles of the server. */
const TARGETS = (option('--targets') ?? 'baseline,memory,redis').split(',') as Target[];
const profileDir = option('--profile');
/** `--only many,big,buzz,nodes` runs some scenarios (for profiling one at a time). */
const ONLY = new Set((option('--only') ?? 'many,big,buzz,nodes').split(','));
const SINGLE_NODE_SCENARIOS = ['many', 'big', 'buzz'];

const SIZE = quick
  ? { workers: 2, rooms: 30, players: 10, questions: 2, big: 200, buzzRooms: 20, buzzPlayers: 5, buzzQuestions: 1, nodeRooms: 4, nodePlayers: 4 }
  : { workers: 4, rooms: 500, players: 10, questions: 5, big: 2000, buzzRooms: 100, buzzPlayers: 10, buzzQuestions: 3, nodeRooms: 20, nodePlayers: 8 };
const BIG_LIMIT_SEC = 5;
const BIG_WINDOW_MS = 2_000;

type Target = 'baseline' | 'memory' | 'redis';
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A player view as the real server sends it, for the baseline to send the same bytes. */
async function viewTemplate(): Promise<string> {
  const bank = new QuestionBank(await loadBank());
  const reduce = createReducer(bank);
  let s = createRoomState({ code: 'ABCDEF', seed: 1, now: 0 });
  for (let i = 0; i < 10; i++) s = reduce(s, { type: 'join', playerId: `p${i}`, name: `P${i}` }, 0).state;
  s = reduce(s, { type: 'start', by: { role: 'host' } }, 0).state;
  return JSON.stringify(viewFor(s, 'player', 'p0', 0));
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

async function runRooms(workers: Worker[], url: string, mode: 'classic' | 'buzz', compensation: boolean, monitor: ProcessMonitor) {
  const rooms = mode === 'classic' ? SIZE.rooms : SIZE.buzzRooms;
  const players = mode === 'classic' ? SIZE.players : SIZE.buzzPlayers;
  const questions = mode === 'classic' ? SIZE.questions : SIZE.buzzQuestions;
  await Promise.all(split(rooms, workers.length).map((n, i) => workers[i]!.ask({ cmd: 'rooms', url, rooms: n, players, questions, mode, compensation })));
  log(`  ${rooms} rooms × ${players} players connected (${rooms * (players + 1)} sockets); playing ${questions} questions`);
  monitor.start();
  const t0 = performance.now();
  const parts = await Promise.all(workers.map((w) => w.ask<{ rooms: RoomsResult }>({ cmd: 'play' })));
  const seconds = (performance.now() - t0) / 1000;
  const usage = monitor.stop();
  const all = parts.map((p) => p.rooms);
  const errorCodes: Record<string, number> = {};
  for (const p of all) for (const [k, v] of Object.entries(p.errorCodes)) errorCodes[k] = (errorCodes[k] ?? 0) + v;
  const answers = all.reduce((s, p) => s + p.answers, 0);
  return {
    sockets: rooms * (players + 1),
    broadcast: summarize(all.flatMap((p) => p.broadcast)),
    ack: summarize(all.flatMap((p) => p.ack)),
    buzzWinner: mode === 'buzz' ? summarize(all.flatMap((p) => p.buzzWin)) : null,
    buzzWinnerClient: mode === 'buzz' ? summarize(all.flatMap((p) => p.buzzWinClient)) : null,
    answers,
    answersPerSecond: Math.round(answers / seconds),
    viewsPerSecond: Math.round(all.reduce((s, p) => s + p.views, 0) / seconds),
    errors: all.reduce((s, p) => s + p.errors, 0),
    errorCodes,
    seconds: Math.round(seconds * 10) / 10,
    ...usage,
  };
}

type HostView = { phase: string; reveal?: { results: { choices: number[] | null; elapsedMs: number | null }[] | null } | null; leaderboard: { score: number }[] };

async function runBigRoom(workers: Worker[], url: string, target: Target, monitor: ProcessMonitor) {
  const host: Socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  host.on('net:ping', (t: number, ack: (t: number) => void) => ack(t));
  let latest: HostView | null = null;
  const revealed = new Promise<HostView>((resolve) =>
    host.on('room:view', (v: HostView) => {
      latest = v;
      if (v.phase === 'reveal') resolve(v);
    }),
  );
  const created = (await host.timeout(10_000).emitWithAck('room:create', {
    protocol: 1,
    settings: { questionCount: 1, timeLimitSec: BIG_LIMIT_SEC, speedScoring: false, streakBonus: false, getReadySec: 0 },
  })) as { ok: boolean; code: string };
  await Promise.all(split(SIZE.big, workers.length).map((n, i) => workers[i]!.ask({ cmd: 'join', url, code: created.code, count: n, prefix: `W${i}P` })));
  log(`  ${SIZE.big} players joined one room; all answer within ${BIG_WINDOW_MS / 1000} s, 1 in 100 also sends a duplicate, 1 in 200 answers after the ${BIG_LIMIT_SEC} s deadline`);
  monitor.start();
  const answering = Promise.all(
    workers.map((w) => w.ask<{ big: BigResult }>({ cmd: 'answer-big', windowMs: BIG_WINDOW_MS, duplicateEvery: 100, lateEvery: target === 'baseline' ? 0 : 200, lateAtMs: BIG_LIMIT_SEC * 1000 + 500 })),
  );
  await host.timeout(10_000).emitWithAck('host:command', { command: 'start' });
  const reveal = await revealed;
  const parts = (await answering).map((p) => p.big);
  const usage = monitor.stop();
  await new Promise((r) => setTimeout(r, 300)); // let the last host view arrive
  const final = (latest ?? reveal) as HostView;
  host.disconnect();

  const botAccepted = parts.reduce((s, p) => s + p.accepted, 0);
  const unexpected: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.unexpected)) unexpected[k] = (unexpected[k] ?? 0) + v;
  const results = reveal.reveal?.results ?? null;
  const serverAccepted = results ? results.filter((r) => r.choices !== null).length : null;
  return {
    players: SIZE.big,
    broadcast: summarize(parts.flatMap((p) => p.broadcast)),
    ack: summarize(parts.flatMap((p) => p.ack)),
    botAccepted,
    serverAccepted,
    lost: serverAccepted === null ? null : Math.abs(botAccepted - serverAccepted),
    lateAccepted: results ? results.filter((r) => r.elapsedMs !== null && r.elapsedMs >= BIG_LIMIT_SEC * 1000).length + (unexpected.LATE_ACCEPTED ?? 0) : null,
    doubleCounted: target === 'baseline' ? null : final.leaderboard.filter((p) => p.score > 1000).length + (unexpected.DUPLICATE_ACCEPTED ?? 0),
    duplicatesRejected: parts.reduce((s, p) => s + p.duplicatesRejected, 0),
    lateRejected: parts.reduce((s, p) => s + p.lateRejected, 0),
    unexpected,
    ...usage,
  };
}

async function main() {
  log(`cca-quiz benchmark (${quick ? 'quick' : 'full'}) on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  log('building the server…');
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  const template = await viewTemplate();
  const redis = await startRedis();
  const workers = Array.from({ length: SIZE.workers }, () => new Worker());
  const report: Record<string, unknown> = {};
  // Logs at info, as a deployment would run (one line per room created, no per-event logging). All
  // bots come from one address, so the per-address abuse limits are lifted for the benchmark.
  const serverEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ROOM_CAP: '2000', CONNECTIONS_PER_IP_PER_MINUTE: '100000', JOINS_PER_IP_PER_MINUTE: '100000', JOINS_PER_ROOM_PER_MINUTE: '100000', MAX_OPEN_CONNECTIONS_PER_ADDRESS: '100000', RESUMES_PER_IP_PER_MINUTE: '100000', ROOMS_PER_IP_PER_MINUTE: '10000' };
  try {
    for (const target of SINGLE_NODE_SCENARIOS.some((s) => ONLY.has(s)) ? TARGETS : []) {
      log(`\n== ${target}`);
      const { child, url } =
        target === 'baseline'
          ? await startServerProcess(['--import', 'tsx', 'bench/baseline-server.ts'], { VIEW_TEMPLATE: template })
          : await startServerProcess([...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${target}.cpuprofile`] : []), 'dist/server/main.js'], {
              ...serverEnv,
              ...(target === 'redis' ? { REDIS_URL: redis.url } : {}),
            });
      const monitor = new ProcessMonitor(child.pid!);
      try {
        let manyRooms: Awaited<ReturnType<typeof runRooms>> | null = null;
        if (ONLY.has('many')) {
          log('many rooms (Classic):');
          manyRooms = await runRooms(workers, url, 'classic', false, monitor);
          log(`  broadcast p99 ${manyRooms.broadcast.p99} ms, ack p99 ${manyRooms.ack.p99} ms, ${manyRooms.answersPerSecond} answers/s, CPU ${manyRooms.cpuCores} cores, errors ${manyRooms.errors}`);
        }
        let bigRoom: Awaited<ReturnType<typeof runBigRoom>> | null = null;
        if (ONLY.has('big')) {
          log('big room:');
          bigRoom = await runBigRoom(workers, url, target, monitor);
          log(`  accepted ${bigRoom.botAccepted} (server ${bigRoom.serverAccepted ?? 'n/a'}), lost ${bigRoom.lost ?? 'n/a'}, late accepted ${bigRoom.lateAccepted ?? 'n/a'}, double ${bigRoom.doubleCounted ?? 'n/a'}, ack p99 ${bigRoom.ack.p99} ms`);
        }
        const buzz: Record<string, unknown> = {};
        for (const compensation of !ONLY.has('buzz') ? [] : target === 'baseline' ? [false] : [true, false]) {
          log(`buzz storm (compensation ${compensation ? 'on' : 'off'}):`);
          const storm = await runRooms(workers, url, 'buzz', compensation, monitor);
          log(`  first buzz arrival → winner sent: p50 ${storm.buzzWinner!.p50} ms, p99 ${storm.buzzWinner!.p99} ms (bot to bot p99 ${storm.buzzWinnerClient!.p99} ms), errors ${storm.errors}`);
          buzz[compensation ? 'compensationOn' : 'compensationOff'] = storm;
        }
        report[target] = { manyRooms, bigRoom, buzzStorm: buzz };
      } finally {
        await stopProcess(child);
      }
    }
    if (ONLY.has('nodes')) {
      log('\n== two nodes on one Redis');
      const nodes = await runTwoNodes({ redisUrl: redis.url, env: serverEnv, rooms: SIZE.nodeRooms, players: SIZE.nodePlayers, log });
      log(
        `  ack p99 local ${nodes.ack.local.p99} ms / forwarded ${nodes.ack.forwarded.p99} ms; view p99 local ${nodes.broadcast.local.p99} ms / through the other node ${nodes.broadcast.throughOtherNode.p99} ms`,
      );
      log(`  after the SIGKILL: first answer accepted p99 ${nodes.firstAnswerMs.p99} ms (lease ${nodes.leaseMs} ms); completed scores lost ${nodes.completedScoresLost}, double-counted ${nodes.doubleCounted}, errors ${nodes.errors}`);
      report.twoNodes = nodes;
    }
  } finally {
    for (const w of workers) w.close();
    await stopRedis(redis);
  }

  const base = (report.baseline ?? {}) as { manyRooms: { broadcast: Summary; ack: Summary }; bigRoom: { broadcast: Summary; ack: Summary } };
  log('\n== summary (p99 latency and ratio to the bare Socket.IO baseline in this run)');
  for (const target of (['memory', 'redis'] as const).filter((t) => report[t] && report.baseline && SINGLE_NODE_SCENARIOS.every((s) => ONLY.has(s)))) {
    const r = report[target] as { manyRooms: { broadcast: Summary; ack: Summary; cpuCores: number; peakRssMb: number; errors: number }; bigRoom: Record<string, unknown> & { ack: Summary }; buzzStorm: Record<string, { buzzWinner: Summary }> };
    const ratios = {
      manyRoomsBroadcastP99: ratio(r.manyRooms.broadcast.p99, base.manyRooms.broadcast.p99),
      manyRoomsAckP99: ratio(r.manyRooms.ack.p99, base.manyRooms.ack.p99),
      bigRoomAckP99: ratio(r.bigRoom.ack.p99, base.bigRoom.ack.p99),
    };
    (report[target] as Record<string, unknown>).ratios = ratios;
    log(
      `${target.padEnd(7)} many rooms: broadcast ${r.manyRooms.broadcast.p99} ms (${ratios.manyRoomsBroadcastP99}×), ack ${r.manyRooms.ack.p99} ms (${ratios.manyRoomsAckP99}×), CPU ${r.manyRooms.cpuCores} cores, RSS ${r.manyRooms.peakRssMb} MB | big room: lost ${r.bigRoom.lost}, late ${r.bigRoom.lateAccepted}, double ${r.bigRoom.doubleCounted} | buzz winner p99: on ${r.buzzStorm.compensationOn!.buzzWinner.p99} ms, off ${r.buzzStorm.compensationOff!.buzzWinner.p99} ms`,
    );
  }
  const out = { date: new Date().toISOString(), quick, machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, size: SIZE, results: report };
  if (jsonFile) {
    writeFileSync(jsonFile, JSON.stringify(out, null, 2));
    log(`\nJSON written to ${jsonFile}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
