/** The single-node scenarios (many rooms, buzz storm, big room), each against one server process. */
import { io, type Socket } from 'socket.io-client';
import type { MachineMonitor } from './machine.js';
import type { ProcessMonitor, Worker } from './processes.js';
import { summarize } from './stats.js';
import type { BigResult, RoomsResult } from './worker.js';

export type Target = 'baseline' | 'memory' | 'redis';
export const BIG_LIMIT_SEC = 5;
export const BIG_WINDOW_MS = 2_000;

export interface Size {
  workers: number;
  rooms: number;
  players: number;
  questions: number;
  big: number;
  buzzRooms: number;
  buzzPlayers: number;
  buzzQuestions: number;
  nodeRooms: number;
  nodePlayers: number;
  keynote: number;
  rounds: number;
}

export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

export async function runRooms(SIZE: Size, workers: Worker[], url: string, mode: 'classic' | 'buzz', compensation: boolean, monitor: ProcessMonitor, log: (line: string) => void, machine?: MachineMonitor) {
  const rooms = mode === 'classic' ? SIZE.rooms : SIZE.buzzRooms;
  const players = mode === 'classic' ? SIZE.players : SIZE.buzzPlayers;
  const questions = mode === 'classic' ? SIZE.questions : SIZE.buzzQuestions;
  await Promise.all(split(rooms, workers.length).map((n, i) => workers[i]!.ask({ cmd: 'rooms', url, rooms: n, players, questions, mode, compensation })));
  log(`  ${rooms} rooms × ${players} players connected (${rooms * (players + 1)} sockets); playing ${questions} questions`);
  machine?.start();
  monitor.start();
  const t0 = performance.now();
  const parts = await Promise.all(workers.map((w) => w.ask<{ rooms: RoomsResult }>({ cmd: 'play' })));
  const seconds = (performance.now() - t0) / 1000;
  const usage = monitor.stop();
  const load = machine?.stop() ?? null;
  const all = parts.map((p) => p.rooms);
  const errorCodes: Record<string, number> = {};
  for (const p of all) for (const [k, v] of Object.entries(p.errorCodes)) errorCodes[k] = (errorCodes[k] ?? 0) + v;
  const answers = all.reduce((s, p) => s + p.answers, 0);
  const views = all.reduce((s, p) => s + p.views, 0);
  return {
    sockets: rooms * (players + 1),
    broadcast: summarize(all.flatMap((p) => p.broadcast)),
    ack: summarize(all.flatMap((p) => p.ack)),
    buzzWinner: mode === 'buzz' ? summarize(all.flatMap((p) => p.buzzWin)) : null,
    buzzWinnerClient: mode === 'buzz' ? summarize(all.flatMap((p) => p.buzzWinClient)) : null,
    answers,
    answersPerSecond: Math.round(answers / seconds),
    views,
    viewsPerSecond: Math.round(views / seconds),
    errors: all.reduce((s, p) => s + p.errors, 0),
    errorCodes,
    seconds: Math.round(seconds * 10) / 10,
    ...usage,
    load,
  };
}

export type HostView = { phase: string; reveal?: { results: { choices: number[] | null; elapsedMs: number | null }[] | null } | null; leaderboard: { score: number }[] };

/** A host socket that created a Classic room; `revealed` resolves with the first reveal, `latest()` is the newest host view. */
export async function openHostRoom(url: string, settings: Record<string, unknown>, timeoutMs: number) {
  const host: Socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  host.on('net:ping', (t: number, ack: (t: number) => void) => ack(t));
  let latest: HostView | null = null;
  const revealed = new Promise<HostView>((resolve) =>
    host.on('room:view', (v: HostView) => {
      latest = v;
      if (v.phase === 'reveal') resolve(v);
    }),
  );
  const created = (await host.timeout(timeoutMs).emitWithAck('room:create', { protocol: 1, settings })) as { ok: boolean; code: string };
  if (!created.ok) throw new Error(`room:create failed: ${JSON.stringify(created)}`);
  return { host, code: created.code, revealed, latest: () => latest };
}

/**
 * What the bots saw against what the server recorded, for a room where everyone answers once.
 * `bare`: the baseline, whose reveal is a copy of the real server's bytes (its results are not this
 * room's) and which has no deadline or duplicate rule to check.
 */
export function tallyAnswers(parts: BigResult[], reveal: HostView, final: HostView, limitSec: number, bare: boolean) {
  const botAccepted = parts.reduce((s, p) => s + p.accepted, 0);
  const unexpected: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.unexpected)) unexpected[k] = (unexpected[k] ?? 0) + v;
  const results = bare ? null : (reveal.reveal?.results ?? null);
  const serverAccepted = results ? results.filter((r) => r.choices !== null).length : null;
  return {
    botAccepted,
    serverAccepted,
    lost: serverAccepted === null ? null : Math.abs(botAccepted - serverAccepted),
    lateAccepted: results ? results.filter((r) => r.elapsedMs !== null && r.elapsedMs >= limitSec * 1000).length + (unexpected.LATE_ACCEPTED ?? 0) : null,
    doubleCounted: bare ? null : final.leaderboard.filter((p) => p.score > 1000).length + (unexpected.DUPLICATE_ACCEPTED ?? 0),
    duplicatesRejected: parts.reduce((s, p) => s + p.duplicatesRejected, 0),
    lateRejected: parts.reduce((s, p) => s + p.lateRejected, 0),
    unexpected,
  };
}

export async function runBigRoom(SIZE: Size, workers: Worker[], url: string, target: Target, monitor: ProcessMonitor, log: (line: string) => void) {
  const room = await openHostRoom(url, { questionCount: 1, timeLimitSec: BIG_LIMIT_SEC, speedScoring: false, streakBonus: false, getReadySec: 0 }, 10_000);
  await Promise.all(split(SIZE.big, workers.length).map((n, i) => workers[i]!.ask({ cmd: 'join', urls: [url], code: room.code, count: n, prefix: `W${i}P` })));
  log(`  ${SIZE.big} players joined one room; all answer within ${BIG_WINDOW_MS / 1000} s, 1 in 100 also sends a duplicate, 1 in 200 answers after the ${BIG_LIMIT_SEC} s deadline`);
  monitor.start();
  const answering = Promise.all(
    workers.map((w) => w.ask<{ big: BigResult }>({ cmd: 'answer-big', windowMs: BIG_WINDOW_MS, duplicateEvery: 100, lateEvery: target === 'baseline' ? 0 : 200, lateAtMs: BIG_LIMIT_SEC * 1000 + 500 })),
  );
  await room.host.timeout(10_000).emitWithAck('host:command', { command: 'start' });
  const reveal = await room.revealed;
  const parts = (await answering).map((p) => p.big);
  const usage = monitor.stop();
  await new Promise((r) => setTimeout(r, 300)); // let the last host view arrive
  const final = room.latest() ?? reveal;
  room.host.disconnect();
  return {
    players: SIZE.big,
    broadcast: summarize(parts.flatMap((p) => p.broadcast)),
    ack: summarize(parts.flatMap((p) => p.ack)),
    ...tallyAnswers(parts, reveal, final, BIG_LIMIT_SEC, target === 'baseline'),
    ...usage,
  };
}

