import { fail } from '../../shared/protocol/errors.js';
import type { RoomSettingsPatch } from '../../shared/settings.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { CreateResult, RoomRegistry } from '../realtime/registry.js';
import { executeCall, type CallResult, type RoomCall } from '../realtime/room-calls.js';
import type { Member, Room, RoomSnapshot } from '../realtime/room.js';
import type { SnapshotStore } from '../storage/types.js';
import type { Cluster } from './cluster.js';

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
 * How nodes talk: Socket.IO's server-side emits through the Redis adapter (no protocol of our own).
 * A request reaches every other node; each answers, and only the owner's answer is a result.
 */
export interface NodeLink {
  ask(request: RoomRequest): Promise<unknown[]>;
  tell(notice: Notice): void;
}

export interface DirectoryOptions {
  registry: RoomRegistry;
  /** Null on a single node with the in-memory store. */
  cluster: Cluster | null;
  /** Set by the gateway once Socket.IO runs (with the Redis adapter when there is a cluster). */
  link?: NodeLink;
  snapshots: SnapshotStore;
  log: Logger;
  metrics: Metrics;
  /** How long a call waits for a room to move to a live node before giving up. */
  moveWaitMs?: number;
}

/** The node's own sockets, per room it does not run itself. */
export type LocalBindings = () => Map<string, Member[]>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Finds the node that runs a room and runs calls there: in this process when it owns the room,
 * over Redis otherwise. Takes over rooms whose owner's lease lapsed, renews this node's leases and
 * hands rooms over on shutdown.
 */
export class RoomDirectory {
  readonly nodeId: string;
  private readonly knownOwner = new Map<string, string>();
  private readonly takeovers = new Map<string, Promise<Room | null>>();
  private timers: NodeJS.Timeout[] = [];
  private localBindings: LocalBindings = () => new Map();
  private unbind: (socketId: string, kicked: boolean) => void = () => {};
  private reattach: (room: Room) => void = () => {};
  /** Shutting down: never take a room over. */
  private closing = false;

  private link: NodeLink | null;

  constructor(private readonly opts: DirectoryOptions) {
    this.nodeId = opts.cluster?.nodeId ?? 'local';
    this.link = opts.link ?? null;
  }

  get clustered(): boolean {
    return this.opts.cluster !== null;
  }

  /** The gateway tells the directory about its sockets and how to reach the other nodes. */
  connectSockets(hooks: { bindings: LocalBindings; unbind: (socketId: string, kicked: boolean) => void; reattach: (room: Room) => void; link: NodeLink }): void {
    this.localBindings = hooks.bindings;
    this.unbind = hooks.unbind;
    this.reattach = hooks.reattach;
    this.link = hooks.link;
  }

  /** A new room owned by this node; with several nodes its code is claimed through the lease first. */
  async open(patch: RoomSettingsPatch): Promise<CreateResult> {
    const { registry, cluster } = this.opts;
    if (!cluster) return registry.create(patch);
    for (let i = 0; i < 20; i++) {
      const code = registry.freshCode();
      if (!(await cluster.acquire(code))) continue;
      if (await this.opts.snapshots.loadSnapshot(code)) {
        await cluster.release(code); // a lapsed room that may still be resumed
        continue;
      }
      const created = registry.create(patch, code);
      if (!created.ok) await cluster.release(code);
      return created;
    }
    return { ok: false, message: 'could not find a free room code' };
  }

  /** Runs a call on the room's owner. Synchronous when this node owns the room. */
  call(code: string, call: RoomCall): CallResult | Promise<CallResult> {
    const room = this.opts.registry.get(code);
    if (room) return executeCall(room, call);
    if (!this.opts.cluster) return fail('ROOM_NOT_FOUND', `There is no room ${code}: check the code on the big screen`);
    if (this.closing) return fail('ROOM_UNAVAILABLE', 'This server is restarting: reconnecting will continue the game');
    return this.remoteCall(this.opts.cluster, code, call);
  }

  private async remoteCall(cluster: Cluster, code: string, call: RoomCall): Promise<CallResult> {
    const giveUpAt = Date.now() + (this.opts.moveWaitMs ?? cluster.leaseMs + 4_000);
    for (;;) {
      const local = this.opts.registry.get(code);
      if (local) return executeCall(local, call);
      let owner: string | null;
      try {
        owner = await cluster.owner(code);
      } catch {
        return fail('STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly');
      }
      if (owner === null || owner === this.nodeId) {
        const room = await this.takeOver(code).catch(() => undefined);
        if (room === undefined) return fail('STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly');
        if (room) return executeCall(room, call);
        if ((await cluster.owner(code).catch(() => null)) === null) return fail('ROOM_NOT_FOUND', `There is no room ${code}: check the code on the big screen`);
      } else if (this.link) {
        // A silent owner (likely gone) gives no answer: its lease lapses soon and the room can move here.
        const answers = (await this.link.ask({ code, to: owner, call })) as RoomAnswer[];
        const answer = answers.find((a): a is CallResult => typeof a === 'object' && a !== null && !('moved' in a));
        if (answer) {
          this.knownOwner.set(code, owner);
          return answer;
        }
      }
      if (Date.now() > giveUpAt) return fail('ROOM_UNAVAILABLE', 'The room is moving to another server: try again in a moment');
      await sleep(200);
    }
  }

  /** Another node asks for a room; only the node it believes is the owner looks. */
  answer(req: RoomRequest): RoomAnswer {
    const room = req.to === this.nodeId ? this.opts.registry.get(req.code) : undefined;
    return room ? executeCall(room, req.call) : MOVED;
  }

  /** Runs a room whose owner is gone, from its last snapshot. One attempt per room at a time. */
  takeOver(code: string): Promise<Room | null> {
    let running = this.takeovers.get(code);
    if (!running) {
      running = this.restoreFromSnapshot(code).finally(() => this.takeovers.delete(code));
      this.takeovers.set(code, running);
    }
    return running;
  }

  private async restoreFromSnapshot(code: string): Promise<Room | null> {
    const cluster = this.opts.cluster!;
    const existing = this.opts.registry.get(code);
    if (existing) return existing;
    if (this.closing || !(await cluster.acquire(code))) return null;
    // Read after the lease is ours: the previous owner can no longer write a newer snapshot.
    const data = await this.opts.snapshots.loadSnapshot(code);
    if (!data) {
      await cluster.release(code);
      return null;
    }
    const room = this.opts.registry.adopt(JSON.parse(data) as RoomSnapshot);
    this.knownOwner.delete(code);
    this.opts.metrics.takeovers.inc();
    this.opts.log.warn({ room: code, phase: room.state.phase, node: this.nodeId }, 'room taken over from its snapshot');
    this.reattach(room);
    return room;
  }

  /** The lease went to another node (this one was cut off from Redis too long): stop running the room here. */
  lost(room: Room): void {
    if (this.opts.registry.get(room.code) !== room) return;
    this.opts.registry.remove(room.code);
    room.abandon();
    this.knownOwner.delete(room.code);
    this.opts.log.warn({ room: room.code }, 'room lease lost to another node; its sockets follow the new owner');
  }

  /** A room closed for good. */
  closed(code: string): void {
    void this.opts.cluster?.release(code).catch(() => {});
  }

  // --- background duties ---------------------------------------------------------------------

  start(): void {
    const cluster = this.opts.cluster;
    if (!cluster) return;
    const every = (ms: number, fn: () => Promise<void>) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        fn()
          .catch((err: unknown) => this.opts.log.debug({ err }, 'cluster duty failed'))
          .finally(() => (busy = false));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(50, Math.floor(cluster.leaseMs / 4)), () => this.renewLeases(cluster));
    every(1_000, () => this.followOwners(cluster));
  }

  private async renewLeases(cluster: Cluster): Promise<void> {
    const lost = await cluster.renew(this.opts.registry.codes());
    for (const code of lost) {
      const room = this.opts.registry.get(code);
      if (room) this.lost(room);
    }
  }

  /** Rooms this node has sockets in but does not run: take over a lapsed one, re-attach when the owner changed. */
  private async followOwners(cluster: Cluster, only?: string): Promise<void> {
    for (const [code, members] of this.localBindings()) {
      if (only && code !== only) continue;
      if (this.opts.registry.get(code)) continue;
      const owner = await cluster.owner(code);
      if (owner === null) {
        await this.takeOver(code);
        continue;
      }
      if (this.knownOwner.get(code) === owner) continue;
      this.knownOwner.set(code, owner);
      for (const member of members) void this.call(code, { op: 'attach', member });
    }
  }

  /** A notice from another node. */
  heard(notice: Notice): void {
    if (notice.kind === 'unbound' && notice.nodeId === this.nodeId) this.unbind(notice.socketId, notice.kicked);
    if (notice.kind === 'handover' && this.opts.cluster) {
      void this.followOwners(this.opts.cluster, notice.code).catch(() => {});
    }
  }

  /** Tells the node a socket is on that the room let it go (kicked, room closed). */
  unboundRemote(member: Member, kicked: boolean): void {
    this.link?.tell({ kind: 'unbound', nodeId: member.nodeId, socketId: member.socketId, kicked });
  }

  /**
   * Shutdown: every room this node runs is checkpointed to Redis, its lease released and the other
   * nodes told, so the room moves as soon as a player reconnects elsewhere (no lease wait).
   */
  async handOver(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    this.stop();
    const cluster = this.opts.cluster;
    if (!cluster) return;
    const rooms = this.opts.registry.all();
    await Promise.all(
      rooms.map(async (room) => {
        this.opts.registry.remove(room.code);
        await Promise.race([room.checkpoint(), sleep(timeoutMs)]);
        room.abandon();
        await cluster.release(room.code).catch(() => {});
        this.link?.tell({ kind: 'handover', code: room.code });
      }),
    );
    if (rooms.length) this.opts.log.info({ rooms: rooms.length }, 'rooms handed over');
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
