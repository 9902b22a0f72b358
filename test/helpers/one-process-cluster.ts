import pino from 'pino';
import { ManualClock } from '../../server/clock.js';
import { RoomDirectory, type NodeLink, type RoomAnswer } from '../../server/cluster/directory.js';
import { MemoryLeases, type LeaseStore } from '../../server/cluster/leases.js';
import { MemoryRoomLog, type RoomLogStore } from '../../server/cluster/room-log.js';
import type { QuestionBank } from '../../server/game/bank.js';
import { createReducer } from '../../server/game/reducer.js';
import { Metrics } from '../../server/metrics.js';
import { RoomRegistry } from '../../server/realtime/registry.js';
import { executeCall, type CallResult, type RoomCall } from '../../server/realtime/room-calls.js';
import type { Member } from '../../server/realtime/room.js';
import { MemoryStore } from '../../server/storage/memory.js';

const log = pino({ level: 'silent' });

/** Lets promise chains and setImmediate batches (the room log's flush) run to the end. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

type Pending = { run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * One node's view of the shared coordination store: while cut, its calls queue (as ioredis queues
 * commands while disconnected) and run in order when the link heals; a crashed node's never run.
 */
class NodeWire {
  cut = false;
  crashed = false;
  private queue: Pending[] = [];

  call<T>(run: () => Promise<T>): Promise<T> {
    if (this.crashed) return new Promise<T>(() => {});
    if (!this.cut) return run();
    return new Promise<T>((resolve, reject) => this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject }));
  }

  async heal(): Promise<void> {
    this.cut = false;
    const queued = this.queue;
    this.queue = [];
    for (const p of queued) await p.run().then(p.resolve, p.reject);
  }

  wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (t, key) => {
        const value = Reflect.get(t, key) as unknown;
        return typeof value === 'function' ? (...args: unknown[]) => this.call(() => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args)) : value;
      },
    });
  }
}

export interface Phone {
  socketId: string;
  node: TestNode;
  code: string | null;
  role: 'host' | 'player' | null;
  playerId: string | null;
}

export class TestNode {
  readonly registry: RoomRegistry;
  readonly directory: RoomDirectory;
  readonly wire = new NodeWire();
  readonly phones = new Map<string, Phone>();
  readonly metrics = new Metrics();
  private socketCount = 0;

  constructor(
    readonly id: string,
    private readonly cluster: OneProcessCluster,
  ) {
    const { clock, store } = cluster;
    const leases: LeaseStore = this.wire.wrap(cluster.leases);
    const roomLog: RoomLogStore = this.wire.wrap(cluster.log);
    let directory!: RoomDirectory;
    this.registry = new RoomRegistry({
      reduce: createReducer(cluster.bank),
      clock,
      store,
      log,
      outbox: { emit: (socketId, event, ...args) => cluster.emitted.push({ socketId, event, payload: args[0] }), unbound: () => {} },
      roomCap: 300,
      idleMs: 3_600_000,
      defaultBuzzCapMs: 250,
      broadcastThrottleMs: 0,
      onClosed: (room) => directory.closed(room),
      saveSnapshot: async (code, fence, seq, data) => (await roomLog.saveSnapshot(code, fence, clock.now(), seq, data, 3_600_000)).ok,
      onLogFailed: (room, why) => directory.roomFailed(room, why),
    });
    directory = new RoomDirectory({
      registry: this.registry,
      coordination: { nodeId: id, leases, log: roomLog, leaseMs: cluster.leaseMs, clockDriftMs: cluster.driftMs, logTtlMs: 3_600_000 },
      clock,
      log,
      metrics: this.metrics,
    });
    this.directory = directory;
    directory.connectSockets({
      bindings: () => {
        const byRoom = new Map<string, Member[]>();
        for (const p of this.phones.values()) if (p.code && p.role) byRoom.set(p.code, [...(byRoom.get(p.code) ?? []), this.member(p)]);
        return byRoom;
      },
      unbind: (socketId) => {
        const p = this.phones.get(socketId);
        if (p) Object.assign(p, { code: null, role: null, playerId: null });
      },
      reattach: (room) => {
        for (const p of this.phones.values()) if (p.code === room.code && p.role) void executeCall(room, { op: 'attach', member: this.member(p) });
      },
      link: this.link(),
    });
    directory.start();
  }

  member(p: Phone): Member {
    return { socketId: p.socketId, nodeId: this.id, role: p.role!, playerId: p.playerId };
  }

  /** Calls between nodes: answered at once by a reachable owner, else silence until the timeout. */
  private link(): NodeLink {
    const cluster = this.cluster;
    return {
      ask: async (request, timeoutMs) => {
        const target = cluster.nodes.get(request.to);
        if (!this.wire.cut && !this.wire.crashed && target && !target.wire.cut && !target.wire.crashed) {
          const answer: RoomAnswer = await target.directory.answer(request);
          if (!('moved' in answer)) return [answer];
          return [];
        }
        await new Promise<void>((resolve) => cluster.clock.setTimer(resolve, timeoutMs));
        return [];
      },
      tell: (notice) => {
        if (this.wire.cut || this.wire.crashed) return;
        for (const node of cluster.nodes.values()) if (node !== this && !node.wire.cut && !node.wire.crashed) node.directory.heard(notice);
      },
    };
  }

  phone(): Phone {
    const p: Phone = { socketId: `${this.id}-s${++this.socketCount}`, node: this, code: null, role: null, playerId: null };
    this.phones.set(p.socketId, p);
    return p;
  }

  /** What the gateway does with a call's answer: bind the socket on success. */
  async run(p: Phone, code: string, call: RoomCall, bindAs?: 'host' | 'player'): Promise<CallResult> {
    const result = await this.directory.call(code, call);
    if (result.ok && bindAs) Object.assign(p, { code, role: bindAs, playerId: 'playerId' in result ? result.playerId : null });
    return result;
  }

  crash(): void {
    this.wire.crashed = true;
    this.directory.stop();
    for (const room of this.registry.all()) room.abandon();
  }
}

/** Several nodes in this process sharing in-memory leases, room logs and a store, on one manual clock. */
export class OneProcessCluster {
  readonly clock = new ManualClock(Date.UTC(2026, 11, 1, 19, 0, 0));
  readonly leases = new MemoryLeases();
  readonly log = new MemoryRoomLog(this.leases);
  readonly store = new MemoryStore(this.clock);
  readonly nodes = new Map<string, TestNode>();
  readonly emitted: { socketId: string; event: string; payload: unknown }[] = [];

  constructor(
    readonly bank: QuestionBank,
    readonly leaseMs = 2_000,
    readonly driftMs = 250,
  ) {}

  node(id: string): TestNode {
    const n = new TestNode(id, this);
    this.nodes.set(id, n);
    return n;
  }

  /** Moves time in small steps, letting every promise and log flush run in between. */
  async advance(ms: number, stepMs = 50): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) {
      this.clock.advance(Math.min(stepMs, left));
      await settle();
    }
  }

  /** Advances time until `done` resolves (a call waiting on leases), at most `maxMs`. */
  async until<T>(done: Promise<T>, maxMs = 20_000, stepMs = 50): Promise<T> {
    let finished = false;
    let value!: T;
    void done.then((v) => {
      finished = true;
      value = v;
    });
    await settle();
    for (let t = 0; !finished && t < maxMs; t += stepMs) {
      this.clock.advance(stepMs);
      await settle();
    }
    if (!finished) throw new Error(`still waiting after ${maxMs} ms of cluster time`);
    return value;
  }

  stop(): void {
    for (const n of this.nodes.values()) n.directory.stop();
  }
}
