/**
 * The "two nodes" target: rooms whose players are spread over two server processes on one Redis
 * play normally (acks and views through the other node measured against local ones); then the node
 * that owns every room is SIGKILLed in the middle of a question, everyone on it reconnects to the
 * other node, and the run measures how soon each room plays on and checks that no completed score
 * was lost or counted twice.
 */
import { Redis } from 'ioredis';
import type { GameExport } from '../shared/protocol/export.js';
import type { RoomView } from '../shared/protocol/views.js';
import { nextQuestion, reattachHost, resumeSeat, seatTable, type ClusterTable } from '../test/helpers/cluster-table.js';
import { startServerProcess, stopProcess } from './processes.js';
import { summarize, type Summary } from './stats.js';

export interface TwoNodesResult {
  rooms: number;
  playersPerRoom: number;
  leaseMs: number;
  ack: { local: Summary; forwarded: Summary };
  broadcast: { local: Summary; throughOtherNode: Summary };
  /** SIGKILL of the owner → the host is back on the other node / the first answer is accepted there. */
  resumeMs: Summary;
  firstAnswerMs: Summary;
  completedScoresLost: number;
  doubleCounted: number;
  errors: number;
}

const now = () => Date.now();

/** Per player: points from the exported answers must add up to the score, and Redis's weekly points must equal it. */
function checkScores(exported: GameExport, weekly: Map<string, number>, before: Map<string, number>): { lost: number; double: number } {
  let lost = 0;
  let double = 0;
  for (const p of exported.players) {
    const answers = exported.answers.filter((a) => a.playerId === p.id);
    const q1 = answers.find((a) => a.questionIndex === 0)?.points ?? 0;
    if (q1 !== before.get(p.name)) lost++;
    const sum = answers.reduce((t, a) => t + a.points, 0);
    if (sum !== p.score || new Set(answers.map((a) => a.questionIndex)).size !== answers.length) double++;
    if ((weekly.get(p.name) ?? 0) !== p.score) double++;
  }
  return { lost, double };
}

export async function runTwoNodes(opts: {
  redisUrl: string;
  env: Record<string, string>;
  rooms: number;
  players: number;
  log: (line: string) => void;
}): Promise<TwoNodesResult> {
  const redis = new Redis(opts.redisUrl);
  await redis.flushall(); // the weekly points checked below are this scenario's alone
  redis.disconnect();
  const leaseMs = 4_000; // the default a deployment gets
  const env = { ...opts.env, REDIS_URL: opts.redisUrl, ROOM_LEASE_MS: String(leaseMs) };
  const a = await startServerProcess(['dist/server/main.js'], { ...env, NODE_ID: 'bench-a' });
  const b = await startServerProcess(['dist/server/main.js'], { ...env, NODE_ID: 'bench-b' });
  const ack = { local: [] as number[], forwarded: [] as number[] };
  const broadcast = { local: [] as number[], throughOtherNode: [] as number[] };
  let errors = 0;
  const tables: ClusterTable[] = [];
  try {
    for (let r = 0; r < opts.rooms; r++) {
      const seats = Array.from({ length: opts.players }, (_, i): [string, string] => [`R${r}P${i}`, i % 2 === 0 ? a.url : b.url]);
      tables.push(await seatTable(a.url, seats, { mode: 'classic', questionCount: 3, timeLimitSec: 60, speedScoring: false, streakBonus: false }));
    }
    opts.log(`  ${opts.rooms} rooms × ${opts.players} players, hosts and half the players on node A (the owner), half on node B`);
    for (const t of tables) {
      for (const s of t.seats) {
        s.bot.socket.on('room:view', (v: RoomView) => (s.url === a.url ? broadcast.local : broadcast.throughOtherNode).push(now() - v.serverTime));
      }
    }

    /** Everyone in `seats` answers; acks are timed by the node the player is on. */
    const answer = async (t: ClusterTable, view: RoomView, seats = t.seats) => {
      await Promise.all(
        seats.map(async (s, i) => {
          const sent = now();
          const r = await s.bot.call('player:answer', { questionId: view.question!.id, choices: [i % 2] });
          if (!r.ok) errors++;
          (s.url === a.url ? ack.local : ack.forwarded).push(now() - sent);
        }),
      );
    };

    // Question 1, played normally across both nodes.
    await Promise.all(tables.map((t) => t.host.call('host:command', { command: 'start' })));
    await Promise.all(tables.map(async (t) => answer(t, await t.host.view((v) => v.phase === 'question'))));
    const before = new Map<string, number>();
    await Promise.all(
      tables.map(async (t) => {
        const reveal = await t.host.view((v) => v.phase === 'reveal');
        for (const row of reveal.reveal!.results ?? []) before.set(t.seats.find((s) => s.playerId === row.playerId)!.name, row.points);
      }),
    );

    // Question 2: half the players answer, then node A dies without a word.
    const q2 = await Promise.all(tables.map((t) => nextQuestion(t, 1)));
    await Promise.all(tables.map((t, i) => answer(t, q2[i]!, t.seats.filter((s) => s.url === b.url))));
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = now();
    a.child.kill('SIGKILL');
    const resumeMs: number[] = [];
    const firstAnswerMs: number[] = [];
    await Promise.all(
      tables.map(async (t, i) => {
        await reattachHost(t, b.url);
        resumeMs.push(now() - killedAt);
        const moved = t.seats.filter((s) => s.url === a.url);
        await Promise.all(moved.map((s) => resumeSeat(t, s, b.url)));
        await answer(t, q2[i]!, moved.slice(0, 1));
        firstAnswerMs.push(now() - killedAt);
        await answer(t, q2[i]!, moved.slice(1));
      }),
    );
    opts.log(`  node A SIGKILLed mid-question: hosts back on node B after p50 ${summarize(resumeMs).p50} ms, max ${summarize(resumeMs).max} ms`);

    // Question 3 on node B alone, then the checks.
    const q3 = await Promise.all(tables.map((t) => nextQuestion(t, 2)));
    await Promise.all(tables.map((t, i) => answer(t, q3[i]!)));
    const exports = await Promise.all(
      tables.map(async (t) => {
        await t.host.view((v) => v.phase === 'reveal' && v.question?.index === 2);
        await t.host.call('host:command', { command: 'end' });
        const r = await t.host.call('host:export', {});
        if (!r.ok) throw new Error(r.error.message);
        return r.export;
      }),
    );
    await new Promise((r) => setTimeout(r, 500)); // the last recordings reach Redis
    const weeklyRes = (await (await fetch(`${b.url}/api/leaderboards/weekly?limit=200`)).json()) as { entries: { name: string; points: number }[] };
    const weekly = new Map(weeklyRes.entries.map((e) => [e.name, e.points]));
    let lost = 0;
    let double = 0;
    for (const e of exports) {
      const c = checkScores(e, weekly, before);
      lost += c.lost;
      double += c.double;
    }
    return {
      rooms: opts.rooms,
      playersPerRoom: opts.players,
      leaseMs,
      ack: { local: summarize(ack.local), forwarded: summarize(ack.forwarded) },
      broadcast: { local: summarize(broadcast.local), throughOtherNode: summarize(broadcast.throughOtherNode) },
      resumeMs: summarize(resumeMs),
      firstAnswerMs: summarize(firstAnswerMs),
      completedScoresLost: lost,
      doubleCounted: double,
      errors,
    };
  } finally {
    for (const t of tables) {
      t.host.close();
      for (const s of t.seats) s.bot.close();
    }
    await stopProcess(a.child);
    await stopProcess(b.child);
  }
}
