/**
 * The real server in its own process for the fuzz test, driven over IPC:
 *   node --expose-gc --import tsx test/helpers/harness-server.ts ['{"ENV":"overrides"}']
 * Its own process so a crash shows as an exit and its heap is measured apart from the test's bots.
 * Messages (each reply echoes the request's `id`):
 *   { type: 'url' }         → { url }                (also sent unasked once listening, id 0)
 *   { type: 'heap' }        → { heapUsed, sockets }  after forced full GCs
 *   { type: 'invariants' }  → { violations, rooms, players, questions, ... } over every room
 *   { type: 'expire' }      → { roomsLeft }          clock moved past ROOM_IDLE_MINUTES, then a sweep
 *   { type: 'stop' }        → { stopped: true }      then the process exits
 */
import { startApp, type RunningApp } from '../../server/app.js';
import type { Clock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import type { RoomState } from '../../server/game/state.js';

/** The system clock plus an offset the test moves forward (idle expiry without waiting 30 minutes). */
class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  setTimer(fn: () => void, delayMs: number): unknown {
    return setTimeout(fn, Math.max(0, delayMs));
  }
  clearTimer(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}

export interface RoomCheck {
  code: string;
  phase: string;
  players: number;
  /** Closed questions (results recorded). */
  questions: number;
  /** Closed questions with at least one answer or buzz attempt. */
  answeredQuestions: number;
  scoreEvents: number;
}

export interface InvariantReport {
  violations: string[];
  rooms: number;
  players: number;
  questions: number;
  answeredQuestions: number;
  scoreEvents: number;
  perRoom: RoomCheck[];
}

export type HarnessRequest = { id: number; type: 'url' | 'heap' | 'invariants' | 'expire' | 'stop' };

/**
 * "Scored events" are `RoomState.scoreLog` entries: applyScores (server/game/rounds.ts) adds each
 * event's points to the player and appends it to the log in one step; voidRound (skip/end mid
 * question) takes them off both. So for every player still seated: score = Σ their log points.
 * "One answer per player per question": per question at most one base event (correct, power or
 * neg) and one streak bonus per player; each question closes once (one result); a result's points
 * per player equal that player's log points for the question; an open Buzz-in round has at most
 * one attempt per player (a wrong buzz locks them out).
 */
export function checkRoom(state: RoomState, violations: string[]): RoomCheck {
  const at = (msg: string) => violations.push(`${state.code}: ${msg}`);
  const logSum = new Map<string, number>();
  const logByQuestion = new Map<string, number>();
  const baseEvents = new Map<string, number>();
  const streakEvents = new Map<string, number>();
  for (const e of state.scoreLog) {
    const key = `${e.playerId}|${e.questionId}`;
    logSum.set(e.playerId, (logSum.get(e.playerId) ?? 0) + e.points);
    logByQuestion.set(key, (logByQuestion.get(key) ?? 0) + e.points);
    const counts = e.reason === 'streak' ? streakEvents : baseEvents;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!Number.isFinite(e.points)) at(`non-finite points in ${JSON.stringify(e)}`);
  }
  for (const [key, n] of baseEvents) if (n > 1) at(`${n} scored answers for ${key}`);
  for (const [key, n] of streakEvents) if (n > 1) at(`${n} streak bonuses for ${key}`);
  for (const [key] of streakEvents) if (!baseEvents.has(key)) at(`streak bonus without a correct answer for ${key}`);

  for (const p of Object.values(state.players)) {
    const sum = logSum.get(p.id) ?? 0;
    if (p.score !== sum) at(`player ${p.id} (${p.name}) score ${p.score} != sum of scored events ${sum}`);
  }
  const order = new Set(state.playerOrder);
  if (order.size !== state.playerOrder.length) at('duplicate ids in playerOrder');
  for (const id of Object.keys(state.players)) if (!order.has(id)) at(`player ${id} missing from playerOrder`);

  const closed = new Set<string>();
  let answeredQuestions = 0;
  for (const r of state.results) {
    if (closed.has(r.questionId)) at(`question ${r.questionId} closed twice`);
    closed.add(r.questionId);
    const entries = Object.entries(r.perPlayer);
    if (entries.length > 0) answeredQuestions++;
    for (const [playerId, pr] of entries) {
      const logged = logByQuestion.get(`${playerId}|${r.questionId}`) ?? 0;
      if (pr.points !== logged) at(`result of ${r.questionId} gives ${playerId} ${pr.points} points, log has ${logged}`);
    }
    const counted = entries.filter(([, pr]) => pr.choices !== null).reduce((n, [, pr]) => n + pr.choices!.length, 0);
    const distributed = r.distribution.reduce((a, b) => a + b, 0);
    if (counted !== distributed) at(`question ${r.questionId}: distribution counts ${distributed} choices, answers hold ${counted}`);
  }
  const attempts = state.round?.buzz?.attempts ?? [];
  const attempted = new Set<string>();
  for (const a of attempts) {
    if (attempted.has(a.playerId)) at(`two buzz attempts by ${a.playerId} on question ${state.round!.index}`);
    attempted.add(a.playerId);
  }
  return {
    code: state.code,
    phase: state.phase,
    players: Object.keys(state.players).length,
    questions: state.results.length,
    answeredQuestions,
    scoreEvents: state.scoreLog.length,
  };
}

function invariants(app: RunningApp): InvariantReport {
  const violations: string[] = [];
  const perRoom = app.registry.all().map((room) => checkRoom(room.state, violations));
  // `__proto__` / `constructor` keys in payloads must never reach the shared prototype.
  const polluted = Object.keys(Object.prototype);
  if (polluted.length) violations.push(`Object.prototype polluted: ${polluted.join(', ')}`);
  return {
    violations,
    rooms: perRoom.length,
    players: perRoom.reduce((n, r) => n + r.players, 0),
    questions: perRoom.reduce((n, r) => n + r.questions, 0),
    answeredQuestions: perRoom.reduce((n, r) => n + r.answeredQuestions, 0),
    scoreEvents: perRoom.reduce((n, r) => n + r.scoreEvents, 0),
    perRoom,
  };
}

async function heap(app: RunningApp): Promise<{ heapUsed: number; sockets: number }> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Several passes with turns of the event loop between, so finalizers and closed handles let go.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { heapUsed: process.memoryUsage().heapUsed, sockets: app.io.engine.clientsCount };
}

async function main(): Promise<void> {
  const overrides = process.argv[2] ? (JSON.parse(process.argv[2]) as Record<string, string>) : {};
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Every fuzz client shares 127.0.0.1: the per-address limits would otherwise be the whole story.
    CONNECTIONS_PER_IP_PER_MINUTE: '100000',
    JOINS_PER_IP_PER_MINUTE: '100000',
    JOINS_PER_ROOM_PER_MINUTE: '100000',
    MAX_OPEN_CONNECTIONS_PER_ADDRESS: '100000',
    RESUMES_PER_IP_PER_MINUTE: '100000',
    ROOMS_PER_IP_PER_MINUTE: '10000',
    // High enough that the fuzz reaches validation and the rules, not just RATE_LIMITED (and that a
    // client bursting while the others wait is not cut off as a flood; other tests cover that).
    EVENTS_PER_SOCKET_PER_SECOND: '2000',
    ROOM_CAP: '300',
    ...overrides,
  });
  const clock = new OffsetClock();
  const app = await startApp({ config, clock });
  const send = (msg: object) => process.send?.(msg);

  process.on('message', (raw) => {
    const req = raw as HarnessRequest;
    const reply = (body: object) => send({ id: req.id, ...body });
    const fail = (err: unknown) => reply({ error: err instanceof Error ? err.stack ?? err.message : String(err) });
    try {
      switch (req.type) {
        case 'url':
          return reply({ url: app.url });
        case 'heap':
          return void heap(app).then(reply, fail);
        case 'invariants':
          return reply(invariants(app));
        case 'expire':
          clock.offsetMs += (config.ROOM_IDLE_MINUTES + 1) * 60_000;
          app.registry.sweep();
          return reply({ roomsLeft: app.registry.size });
        case 'stop':
          return void app.close().then(() => {
            reply({ stopped: true });
            process.disconnect?.();
            setTimeout(() => process.exit(0), 50).unref();
          }, fail);
        default:
          return reply({ error: `unknown request ${JSON.stringify(req)}` });
      }
    } catch (err) {
      fail(err);
    }
  });
  // The parent going away (test killed) must not leave a server running.
  process.on('disconnect', () => process.exit(0));
  send({ id: 0, url: app.url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
