import { fail } from '../../shared/protocol/errors.js';
import type { RoomSettingsPatch } from '../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { CreateResult, RoomRegistry } from '../realtime/registry.js';
import { executeCall, type CallResult, type RoomCall } from '../realtime/room-calls.js';
import { ReplayError, type Member, type Room } from '../realtime/room.js';
import { NodeJournal, RoomJournal } from './journal.js';
import type { Fence, Lease, LeaseStore } from './leases.js';
import type { RoomLogStore } from './room-log.js';
import { decodeLog, decodeSnapshot } from './snapshot-schema.js';

/** What one node asks the others: a call for a room that node `to` owns. */
export interface RoomRequest {
  code: string;
  to: string;
  call: RoomCall;
}

/** The answer of a node that does not run the room (any more): ask again. */
export const MOVED = { moved: true } as const;
export type RoomAnswer = CallResult | typeof MOVED;

export type Notice = { kind: 'handover'; code: string } | { kind: 'unbound'; nodeId: string; socketId: string; kicked: boolean };

/**
 * How nodes talk: Socket.IO's server-side emits through its adapter (no protocol of our own).
 * A request reaches every other node; each answers, and only the owner's answer is a result.
 */
export interface NodeLink {
  /** Answers from the nodes that replied within `timeoutMs`. */
  ask(request: RoomRequest, timeoutMs: number): Promise<unknown[]>;
  tell(notice: Notice): void;
}

/** Rooms shared by several nodes: leases, each room's write-ahead log, and how long to trust a lease. */
export interface Coordination {
  nodeId: string;
  leases: LeaseStore;
  log: RoomLogStore;
  /** A silent owner's rooms move after at most this long. */
  leaseMs: number;
  /** Taken off every lease this node holds: how far nodes' clocks may disagree (and renewals be late). */
  clockDriftMs: number;
  /** How long a room's log and snapshot are kept after its last write. */
  logTtlMs: number;
}

export interface DirectoryOptions {
  registry: RoomRegistry;
  /** Null on a single node with the in-memory store. */
  coordination: Coordination | null;
  clock: Clock;
  /** Set by the gateway once Socket.IO runs (with the cluster adapter when there is a coordination). */
  link?: NodeLink;
  log: Logger;
  metrics: Metrics;
  /** How long a forwarded call waits for a room to move to a live node before giving up (default: two leases). */
  moveWaitMs?: number;
}

/** The node's own sockets, per room it does not run itself. */
export type LocalBindings = () => Map<string, Member[]>;

const ROOM_NOT_FOUND = (code: string) => fail('ROOM_NOT_FOUND', `There is no room ${code}: check the code on the big screen`);
const STORE_UNAVAILABLE = () => fail('STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly');
const MOVING = () => fail('ROOM_UNAVAILABLE', 'The room is moving to another server: try again in a moment');

/**
 * Finds the node that runs a room and runs calls there: in this process when it owns the room,
 * through the other nodes otherwise. Takes over rooms whose owner's lease lapsed (snapshot + log),
 * renews this node's leases and hands rooms over on shutdown. Every wait runs on the injected clock.
 */
export class RoomDirectory {
  readonly nodeId: string;
  readonly journal: NodeJournal | null;
  private readonly knownOwner = new Map<string, string>();
  private readonly takeovers = new Map<string, Promise<Room | null>>();
  private timers: unknown[] = [];
  private localBindings: LocalBindings = () => new Map();
  private unbind: (socketId: string, kicked: boolean) => void = () => {};
  private reattach: (room: Room) => void = () => {};
  /** Shutting down: never take a room over. */
  private closing = false;
  private link: NodeLink | null;

  constructor(private readonly opts: DirectoryOptions) {
    const c = opts.coordination;
    this.nodeId = c?.nodeId ?? 'local';
    this.link = opts.link ?? null;
    this.journal = c ? new NodeJournal({ log: c.log, clock: opts.clock, ttlMs: c.logTtlMs, onFailed: (code, why) => this.logFailed(code, why) }) : null;
  }

  get clustered(): boolean {
    return this.opts.coordination !== null;
  }

  private now(): number {
    return this.opts.clock.now();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.opts.clock.setTimer(resolve, ms));
  }

  /** The gateway tells the directory about its sockets and how to reach the other nodes. */
  connectSockets(hooks: { bindings: LocalBindings; unbind: (socketId: string, kicked: boolean) => void; reattach: (room: Room) => void; link: NodeLink }): void {
    this.localBindings = hooks.bindings;
    this.unbind = hooks.unbind;
    this.reattach = hooks.reattach;
    this.link = hooks.link;
  }

  /** A lease is trusted until its renewal's send time + lease − drift: Redis may have stamped it later, never earlier. */
  private journalFor(code: string, lease: Lease, sentAt: number, seq: number): RoomJournal {
    const c = this.opts.coordination!;
    return new RoomJournal(this.journal!, code, { nodeId: this.nodeId, epoch: lease.epoch }, { seq, validUntil: sentAt + c.leaseMs - c.clockDriftMs });
  }

  /** A new room owned by this node; with a coordination its code is leased and its first snapshot stored before anyone hears of it. */
  async open(patch: RoomSettingsPatch): Promise<CreateResult> {
    const { registry, coordination: c } = this.opts;
    if (!c) return registry.create(patch);
    for (let i = 0; i < 20; i++) {
      const code = registry.freshCode();
      const sentAt = this.now();
      const lease = await c.leases.acquire(code, this.nodeId, sentAt, c.leaseMs);
      if (!lease) continue;
      const fence: Fence = { nodeId: this.nodeId, epoch: lease.epoch };
      const stored = await c.log.load(code);
      if (stored.snapshot !== null || stored.entries.length > 0) {
        await c.leases.release(code, fence); // a lapsed room that may still be resumed
        continue;
      }
      const created = registry.create(patch, code, this.journalFor(code, lease, sentAt, 0));
      if (!created.ok) {
        await c.leases.release(code, fence);
        return created;
      }
      // Nobody has heard of the room yet: if it cannot be stored, it never existed (also when Redis drops now).
      const forget = () => {
        registry.remove(code);
        created.room.abandon();
      };
      const saved = await c.log.saveSnapshot(code, fence, this.now(), 0, JSON.stringify(created.room.snapshot()), c.logTtlMs).catch((err: unknown) => {
        forget();
        throw err;
      });
      if (!saved.ok) {
        forget();
        return { ok: false, message: 'the new room could not be stored: try again' };
      }
      return created;
    }
    return { ok: false, message: 'could not find a free room code' };
  }

  /** Runs a call on the room's owner: here when this node runs the room, else forwarded. */
  call(code: string, call: RoomCall): CallResult | Promise<CallResult> {
    const room = this.opts.registry.get(code);
    if (room) return executeCall(room, call);
    const c = this.opts.coordination;
    if (!c) return ROOM_NOT_FOUND(code);
    if (this.closing) return fail('ROOM_UNAVAILABLE', 'This server is restarting: reconnecting will continue the game');
    return this.remoteCall(c, code, call);
  }

  /**
   * A room another node runs, or nobody: ask its owner, waiting for an answer no longer than its
   * lease has left; a lapsed lease means the owner is gone, and this node takes the room over.
   */
  private async remoteCall(c: Coordination, code: string, call: RoomCall): Promise<CallResult> {
    const giveUpAt = this.now() + (this.opts.moveWaitMs ?? 2 * c.leaseMs);
    for (;;) {
      const local = this.opts.registry.get(code);
      if (local) return executeCall(local, call);
      let lease: Lease | null;
      try {
        lease = await c.leases.read(code);
      } catch {
        return STORE_UNAVAILABLE();
      }
      const now = this.now();
      if (!lease || lease.expiresAt <= now || lease.holder === this.nodeId) {
        const room = await this.takeOver(code).catch(() => undefined);
        if (room === undefined) return STORE_UNAVAILABLE();
        if (room) return executeCall(room, call);
        if (!lease) return ROOM_NOT_FOUND(code);
      } else if (this.link) {
        const answers = (await this.link.ask({ code, to: lease.holder, call }, Math.max(50, lease.expiresAt - now + c.clockDriftMs))) as RoomAnswer[];
        const answer = answers.find((a): a is CallResult => typeof a === 'object' && a !== null && !('moved' in a));
        if (answer) {
          this.knownOwner.set(code, lease.holder);
          return answer;
        }
      }
      const after = this.now();
      if (after > giveUpAt) return MOVING();
      // Try again when the owner's lease runs out (it may be renewed meanwhile), or soon.
      await this.wait(Math.max(10, Math.min(200, (lease?.expiresAt ?? after) - after + 1)));
    }
  }

  /** Another node asks for a room; only the node it believes is the owner looks. */
  answer(req: RoomRequest): RoomAnswer | Promise<RoomAnswer> {
    const room = req.to === this.nodeId ? this.opts.registry.get(req.code) : undefined;
    return room ? executeCall(room, req.call) : MOVED;
  }

  /** Runs a room whose owner is gone, from its snapshot and log. One attempt per room at a time. */
  takeOver(code: string): Promise<Room | null> {
    let running = this.takeovers.get(code);
    if (!running) {
      running = this.restore(code).finally(() => this.takeovers.delete(code));
      this.takeovers.set(code, running);
    }
    return running;
  }

  private async restore(code: string): Promise<Room | null> {
    const c = this.opts.coordination!;
    const existing = this.opts.registry.get(code);
    if (existing) return existing;
    if (this.closing) return null;
    const sentAt = this.now();
    const lease = await c.leases.acquire(code, this.nodeId, sentAt, c.leaseMs);
    if (!lease) return null;
    const fence: Fence = { nodeId: this.nodeId, epoch: lease.epoch };
    // Read after the lease is ours at a new epoch: no earlier holder can append any more.
    const stored = await c.log.load(code);
    if (stored.snapshot === null) {
      await c.leases.release(code, fence);
      return null;
    }
    const decoded = decodeSnapshot(stored.snapshot);
    if (!decoded.ok) {
      this.opts.metrics.roomLogProblems.inc({ kind: 'snapshot-refused' });
      this.opts.log.error({ room: code, reason: decoded.reason }, 'room snapshot refused: the room is closed instead of half-loaded');
      await c.log.drop(code, fence, this.now());
      await c.leases.release(code, fence);
      return null;
    }
    const { snapshot } = decoded;
    const log = decodeLog(stored.entries, stored.first, snapshot.seq);
    if (log.duplicates > 0) this.opts.metrics.roomLogProblems.inc({ kind: 'duplicate-entry' }, log.duplicates);
    let { entries } = log;
    let broken = log.brokenAt;
    let room: Room;
    for (;;) {
      try {
        room = this.opts.registry.adopt(snapshot, entries, this.journalFor(code, lease, sentAt, entries.at(-1)?.seq ?? snapshot.seq));
        break;
      } catch (err) {
        if (!(err instanceof ReplayError)) throw err;
        broken = { seq: err.seq, reason: err.message };
        entries = entries.filter((e) => e.seq < err.seq);
      }
    }
    if (broken) {
      this.opts.metrics.roomLogProblems.inc({ kind: 'broken-entry' });
      this.opts.log.error({ room: code, seq: broken.seq, reason: broken.reason }, 'room log broken: restored up to the last good entry');
      // The good prefix becomes the room's history: snapshot it and drop the rest.
      await c.log.saveSnapshot(code, fence, this.now(), room.journal!.seq, JSON.stringify(room.snapshot()), c.logTtlMs, { discardRest: true });
    }
    if (decoded.migratedFrom !== null) this.opts.log.info({ room: code, from: decoded.migratedFrom }, 'room snapshot migrated');
    this.knownOwner.delete(code);
    this.opts.metrics.takeovers.inc();
    this.opts.log.warn({ room: code, phase: room.state.phase, node: this.nodeId, replayed: entries.length, epoch: lease.epoch }, 'room taken over from its snapshot and log');
    this.reattach(room);
    return room;
  }

  /** This node may no longer run the room from memory (lease lost, or a log write refused or unconfirmed). */
  private drop(room: Room, why: string): void {
    if (this.opts.registry.get(room.code) !== room) return;
    this.opts.registry.remove(room.code);
    room.abandon();
    this.knownOwner.delete(room.code);
    this.opts.metrics.roomLogProblems.inc({ kind: 'room-dropped' });
    this.opts.log.warn({ room: room.code, why }, 'room stopped on this node; it continues from its log');
  }

  /** A room's log write failed: see `drop`. */
  logFailed(code: string, why: string): void {
    const room = this.opts.registry.get(code);
    if (room) this.drop(room, why);
  }

  /** A room's journal reported trouble (snapshot refused, write not confirmed within the lease). */
  roomFailed(room: Room, why: string): void {
    this.drop(room, why);
  }

  /** A room closed for good: its log and lease go. */
  closed(room: Room): void {
    const c = this.opts.coordination;
    const fence = room.journal?.fence;
    if (!c || !fence) return;
    void (async () => {
      await room.flushed();
      await c.log.drop(room.code, fence, this.now());
      await c.leases.release(room.code, fence);
    })().catch(() => {});
  }

  // --- background duties ---------------------------------------------------------------------

  start(): void {
    const c = this.opts.coordination;
    if (!c) return;
    const every = (ms: number, fn: () => Promise<void>) => {
      const tick = () => {
        fn()
          .catch((err: unknown) => this.opts.log.debug({ err }, 'cluster duty failed'))
          .finally(() => {
            if (this.timers.length > 0) schedule();
          });
      };
      const slot = this.timers.length;
      const schedule = () => (this.timers[slot] = this.opts.clock.setTimer(tick, ms));
      schedule();
    };
    every(Math.max(50, Math.floor(c.leaseMs / 4)), () => this.renewLeases(c));
    every(1_000, () => this.followOwners(c));
  }

  /** One round trip for all of this node's leases; each renewed lease is trusted from the time it was sent. */
  private async renewLeases(c: Coordination): Promise<void> {
    const rooms = this.opts.registry.all().filter((r) => r.journal);
    if (rooms.length === 0) return;
    const sentAt = this.now();
    const renewed = await c.leases.renew(
      rooms.map((r) => ({ code: r.code, epoch: r.journal!.fence.epoch })),
      this.nodeId,
      sentAt,
      c.leaseMs,
    );
    rooms.forEach((room, i) => {
      if (renewed[i]) room.journal!.validUntil = Math.max(room.journal!.validUntil, sentAt + c.leaseMs - c.clockDriftMs);
      else this.drop(room, 'lease taken by another node');
    });
  }

  /** Rooms this node has sockets in but does not run: take over a lapsed one, re-attach when the owner changed. */
  private async followOwners(c: Coordination, only?: string): Promise<void> {
    for (const [code, members] of this.localBindings()) {
      if (only && code !== only) continue;
      if (this.opts.registry.get(code)) continue;
      const lease = await c.leases.read(code);
      if (!lease || lease.expiresAt <= this.now()) {
        await this.takeOver(code);
        continue;
      }
      if (this.knownOwner.get(code) === lease.holder) continue;
      this.knownOwner.set(code, lease.holder);
      for (const member of members) void this.call(code, { op: 'attach', member });
    }
  }

  /** A notice from another node. */
  heard(notice: Notice): void {
    if (notice.kind === 'unbound' && notice.nodeId === this.nodeId) this.unbind(notice.socketId, notice.kicked);
    if (notice.kind === 'handover' && this.opts.coordination) {
      void this.followOwners(this.opts.coordination, notice.code).catch(() => {});
    }
  }

  /** Tells the node a socket is on that the room let it go (kicked, room closed). */
  unboundRemote(member: Member, kicked: boolean): void {
    this.link?.tell({ kind: 'unbound', nodeId: member.nodeId, socketId: member.socketId, kicked });
  }

  /**
   * Shutdown: every room this node runs is snapshotted, its lease released and the other nodes
   * told, so the room moves as soon as a player reconnects elsewhere (no lease wait).
   */
  async handOver(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    this.stop();
    const c = this.opts.coordination;
    if (!c) return;
    const rooms = this.opts.registry.all();
    await Promise.all(
      rooms.map(async (room) => {
        this.opts.registry.remove(room.code);
        await Promise.race([room.checkpoint(), this.wait(timeoutMs)]);
        room.abandon();
        if (room.journal) await c.leases.release(room.code, room.journal.fence).catch(() => {});
        this.link?.tell({ kind: 'handover', code: room.code });
      }),
    );
    if (rooms.length) this.opts.log.info({ rooms: rooms.length }, 'rooms handed over');
  }

  stop(): void {
    const timers = this.timers;
    this.timers = [];
    for (const t of timers) this.opts.clock.clearTimer(t);
  }
}
