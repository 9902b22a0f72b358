/**
 * `npm run bench [-- --quick] [-- --json FILE]`: the real server (memory store, then Redis) and a bare
 * Socket.IO baseline, driven by real socket.io-client bots in worker processes, in one run. The
 * many-rooms scenario runs in interleaved rounds (baseline, memory, Redis, then again); the machine's
 * load is recorded per pass and a round that other work disturbed is marked.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { startRedis, stopRedis } from '../test/helpers/redis-server.js';
import { DISTURBED_FOREIGN_CORES, MachineMonitor } from './machine.js';
import { ProcessMonitor, Worker, startServerProcess, stopProcess } from './processes.js';
import { makeRound, summarizeRounds, type ManyRoomsPass, type Round } from './rounds.js';
import { runBigRoom, runRooms, type Size, type Target } from './scenarios.js';
import { runKeynote } from './keynote.js';
import { viewTemplates } from './view-templates.js';
import { runTwoNodes } from './two-nodes.js';
import { ratio } from './stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const jsonFile = option('--json');
/** `--targets memory` runs a subset (ratios need the baseline); `--profile DIR` writes V8 CPU profiles of the server. */
const TARGETS = (option('--targets') ?? 'baseline,memory,redis').split(',') as Target[];
const profileDir = option('--profile');
/** `--only many,big,buzz,keynote,nodes` runs some scenarios (for profiling one at a time). */
const ONLY = new Set((option('--only') ?? 'many,big,buzz,keynote,nodes').split(','));

/**
 * Sizes. Full: 3 rounds × 3 targets of many rooms (500 rooms × 10 players, 3 questions: 15,000 answers a
 * pass, 1-2 minutes with its set-up), the big room and buzz storm once per target in round 1, the keynote
 * (10,000 phones) once on each side, two nodes once: 4-16 minutes on a quiet 2-core machine, more
 * on a busy one.
 */
const SIZE: Size = quick
  ? { workers: 2, rooms: 30, players: 10, questions: 2, big: 200, buzzRooms: 20, buzzPlayers: 5, buzzQuestions: 1, nodeRooms: 4, nodePlayers: 4, keynote: 200, rounds: 2 }
  : { workers: 4, rooms: 500, players: 10, questions: 3, big: 2000, buzzRooms: 100, buzzPlayers: 10, buzzQuestions: 3, nodeRooms: 20, nodePlayers: 8, keynote: 10_000, rounds: 3 };
if (option('--rounds')) SIZE.rounds = Number(option('--rounds'));
if (option('--keynote')) SIZE.keynote = Number(option('--keynote'));

const log = (line: string) => process.stdout.write(`${line}\n`);

const fmt = (x: number | null | undefined, unit = '') => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);

async function main() {
  log(`cca-quiz benchmark (${quick ? 'quick' : 'full'}) on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  log('building the server…');
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  const template = await viewTemplates();
  const redis = await startRedis();
  const workers = Array.from({ length: SIZE.workers }, () => new Worker());
  const results: Record<string, Record<string, unknown>> = {};
  const rounds: Round[] = [];
  let serverPids: number[] = [];
  const machine = new MachineMonitor(() => [...workers.map((w) => w.pid), redis.pid() ?? 0, ...serverPids].filter((p) => p > 0));
  // Logs at info, as a deployment would run (one line per room created, no per-event logging). All
  // bots come from one address, so the per-address abuse limits are lifted for the benchmark; the
  // keynote needs a 10,000-seat room that 10,000 phones may join within a minute.
  const serverEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ROOM_CAP: '10000',
    CONNECTIONS_PER_IP_PER_MINUTE: '100000',
    JOINS_PER_IP_PER_MINUTE: '100000',
    JOINS_PER_ROOM_PER_MINUTE: '100000',
    MAX_OPEN_CONNECTIONS_PER_ADDRESS: '100000',
    RESUMES_PER_IP_PER_MINUTE: '100000',
    ROOMS_PER_IP_PER_MINUTE: '10000',
  };
  // One folder per process: the baseline runs under tsx, whose loader thread writes a profile of its own (the biggest file is the server's).
  const profile = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${name}`] : []);
  log(`file descriptors per process: ${spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim()} (the keynote needs about ${Math.ceil(SIZE.keynote / SIZE.workers) + 100} per bot worker and ${SIZE.keynote + 100} on the baseline)`);
  try {
    const singles = ['many', 'big', 'buzz'].some((s) => ONLY.has(s));
    for (let r = 1; singles && r <= SIZE.rounds; r++) {
      const passes: Record<string, ManyRoomsPass> = {};
      for (const target of TARGETS) {
        const firstRound = r === 1;
        if (!ONLY.has('many') && !firstRound) continue;
        log(`\n== round ${r}/${SIZE.rounds}: ${target}`);
        const { child, url } =
          target === 'baseline'
            ? await startServerProcess([...profile(`${target}-r${r}`), '--import', 'tsx', 'bench/baseline-server.ts'], { VIEW_TEMPLATE: template })
            : await startServerProcess([...profile(`${target}-r${r}`), 'dist/server/main.js'], { ...serverEnv, ...(target === 'redis' ? { REDIS_URL: redis.url } : {}) });
        serverPids = [child.pid!];
        const monitor = new ProcessMonitor(child.pid!);
        try {
          if (ONLY.has('many')) {
            log('many rooms (Classic):');
            const many = await runRooms(SIZE, workers, url, 'classic', false, monitor, log, machine);
            passes[target] = many;
            const l = many.load!;
            log(
              `  broadcast p99 ${many.broadcast.p99} ms, ack p99 ${many.ack.p99} ms, ${many.answersPerSecond} answers/s, CPU ${many.cpuCores} cores (${many.cpuSeconds} s), errors ${many.errors}; machine ${l.machineCores} cores busy, bench ${l.benchCores}, interrupts ${l.interruptCores}, other work ${l.foreignCores}, steal ${l.stealCores}, load ${l.loadStart}→${l.loadEnd}${l.disturbed ? ' (disturbed)' : ''}`,
            );
            if (firstRound) results[target] = { ...results[target], manyRooms: many };
          }
          if (!firstRound) continue;
          if (ONLY.has('big')) {
            log('big room:');
            const big = await runBigRoom(SIZE, workers, url, target, monitor, log);
            log(`  accepted ${big.botAccepted} (server ${big.serverAccepted ?? 'n/a'}), lost ${big.lost ?? 'n/a'}, late accepted ${big.lateAccepted ?? 'n/a'}, double ${big.doubleCounted ?? 'n/a'}, ack p99 ${big.ack.p99} ms`);
            results[target] = { ...results[target], bigRoom: big };
          }
          const buzz: Record<string, unknown> = {};
          for (const compensation of !ONLY.has('buzz') ? [] : target === 'baseline' ? [false] : [true, false]) {
            log(`buzz storm (compensation ${compensation ? 'on' : 'off'}):`);
            const storm = await runRooms(SIZE, workers, url, 'buzz', compensation, monitor, log);
            log(`  first buzz arrival → winner sent: p50 ${storm.buzzWinner!.p50} ms, p99 ${storm.buzzWinner!.p99} ms (bot to bot p99 ${storm.buzzWinnerClient!.p99} ms), errors ${storm.errors}`);
            buzz[compensation ? 'compensationOn' : 'compensationOff'] = storm;
          }
          if (ONLY.has('buzz')) results[target] = { ...results[target], buzzStorm: buzz };
        } finally {
          await stopProcess(child);
          serverPids = [];
        }
      }
      if (Object.keys(passes).length > 0) {
        const round = makeRound(r, passes);
        rounds.push(round);
        const line = Object.entries(round.ratios)
          .map(([t, q]) => `${t}: ack ${fmt(q.ackP99, '×')}, broadcast ${fmt(q.broadcastP99, '×')}, CPU/answer ${fmt(q.cpuPerAnswer, '×')}, CPU/view ${fmt(q.cpuPerView, '×')}`)
          .join(' | ');
        log(`round ${r}${round.disturbed ? ' (disturbed by other work)' : ''}: ${line}`);
      }
    }

    if (ONLY.has('keynote')) {
      const keynote: Record<string, unknown> = {};
      for (const side of ['baseline', 'cluster'] as const) {
        log(`\n== keynote: ${SIZE.keynote} phones in one room, ${side === 'baseline' ? 'bare Socket.IO (one process)' : 'two nodes on one Redis, host on node A'}`);
        machine.start();
        let k: Awaited<ReturnType<typeof runKeynote>>;
        try {
          k = await runKeynote({ target: side, players: SIZE.keynote, workers, redisUrl: redis.url, serverEnv, template, log, profile, onServers: (pids) => (serverPids = pids) });
        } catch (err) {
          // Reported, not hidden: the rest of the run still counts.
          log(`  keynote failed: ${(err as Error).message}`);
          keynote[side] = { error: (err as Error).message, load: machine.stop() };
          continue;
        } finally {
          serverPids = [];
        }
        const load = machine.stop();
        keynote[side] = { ...k, load };
        log(
          `  question view p99 ${k.broadcast.p99} ms, ack p99 ${k.ack.p99} ms (per server ${k.ackPerServer.map((a) => a.p99).join(" / ")}), acked > 3 s after opening ${k.ackedLaterThan3s}, reveal p99 ${k.reveal.p99} ms, leaderboard p99 ${k.leaderboard.p99} ms; lost ${fmt(k.lost)}, late ${fmt(k.lateAccepted)}, double ${fmt(k.doubleCounted)}; ${k.memoryPerPlayerKb} KB per player; CPU ${k.cpuSeconds} s${load.disturbed ? ' (disturbed)' : ''}`,
        );
      }
      const b = keynote.baseline as Awaited<ReturnType<typeof runKeynote>>;
      const c = keynote.cluster as Awaited<ReturnType<typeof runKeynote>>;
      if (b.ack && c.ack) {
        keynote.ratios = { ackP99: ratio(c.ack.p99, b.ack.p99), revealP99: ratio(c.reveal.p99, b.reveal.p99), memoryPerPlayer: ratio(c.memoryPerPlayerKb, b.memoryPerPlayerKb), cpuSeconds: ratio(c.cpuSeconds, b.cpuSeconds) };
      }
      results.keynote = keynote;
    }

    if (ONLY.has('nodes')) {
      log('\n== two nodes on one Redis');
      const nodes = await runTwoNodes({ redisUrl: redis.url, env: serverEnv, rooms: SIZE.nodeRooms, players: SIZE.nodePlayers, log });
      log(`  ack p99 local ${nodes.ack.local.p99} ms / forwarded ${nodes.ack.forwarded.p99} ms; view p99 local ${nodes.broadcast.local.p99} ms / through the other node ${nodes.broadcast.throughOtherNode.p99} ms`);
      log(`  after the SIGKILL: first answer accepted p99 ${nodes.firstAnswerMs.p99} ms (lease ${nodes.leaseMs} ms); completed scores lost ${nodes.completedScoresLost}, double-counted ${nodes.doubleCounted}, errors ${nodes.errors}`);
      results.twoNodes = nodes as unknown as Record<string, unknown>;
    }
  } finally {
    for (const w of workers) w.close();
    await stopRedis(redis);
  }

  const manyRooms = rounds.length > 0 ? summarizeRounds(rounds) : null;
  if (manyRooms) {
    log(`\n== summary: many rooms, median of ${rounds.length} interleaved rounds (disturbed: ${manyRooms.disturbedRounds.join(', ') || 'none'})`);
    for (const [t, f] of Object.entries(manyRooms.all.targets)) {
      const q = manyRooms.all.ratios[t];
      log(
        `${t.padEnd(8)} broadcast p99 ${fmt(f.broadcastP99, ' ms')}, ack p99 ${fmt(f.ackP99, ' ms')}, CPU ${fmt(f.cpuPer1000Answers, ' s')}/1,000 answers, ${fmt(f.cpuPer1000Views, ' s')}/1,000 views${q ? ` | ratios: ack ${fmt(q.ackP99, '×')}, broadcast ${fmt(q.broadcastP99, '×')}, CPU/answer ${fmt(q.cpuPerAnswer, '×')}, CPU/view ${fmt(q.cpuPerView, '×')}` : ''}`,
      );
    }
  }
  for (const t of ['memory', 'redis'].filter((t) => results[t]?.bigRoom)) {
    const big = results[t]!.bigRoom as { lost: number; lateAccepted: number; doubleCounted: number };
    const buzz = results[t]!.buzzStorm as Record<string, { buzzWinner: { p99: number } }> | undefined;
    log(`${t.padEnd(8)} big room: lost ${big.lost}, late ${big.lateAccepted}, double ${big.doubleCounted}${buzz?.compensationOn ? ` | buzz winner p99: on ${buzz.compensationOn.buzzWinner.p99} ms, off ${buzz.compensationOff!.buzzWinner.p99} ms` : ''}`);
  }
  const out = {
    date: new Date().toISOString(),
    quick,
    machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, disturbedAboveForeignCores: DISTURBED_FOREIGN_CORES },
    size: SIZE,
    manyRooms,
    rounds,
    results,
  };
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
