import type { Redis } from 'ioredis';
import { nanoid } from 'nanoid';
import type { Logger } from '../log.js';

const PREFIX = 'cca:';
const leaseKey = (code: string) => `${PREFIX}room:${code}:lease`;
const snapshotKey = (code: string) => `${PREFIX}room:${code}:snapshot`;
const nodeChannel = (nodeId: string) => `${PREFIX}node:${nodeId}`;
const NOTICE_CHANNEL = `${PREFIX}nodes`;

/** ARGV: node id, lease ms. Takes a room nobody owns (or that this node already owns). */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * ARGV: node id, lease ms. Extends the lease while this node holds it, and takes it back if it
 * lapsed while Redis was unreachable and nobody else took the room (0 = another node owns it).
 */
const RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** ARGV: node id. Drops the lease only if this node holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: lease, snapshot. ARGV: node id, data, ttl. A node that lost the lease can no longer overwrite the room. */
const FENCED_SNAPSHOT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`;

/** Messages between nodes. Requests get exactly one response on the sender's channel. */
type Wire =
  | { t: 'req'; id: string; from: string; body: unknown }
  | { t: 'res'; id: string; body: unknown }
  | { t: 'note'; from: string; body: unknown };

export class RequestTimeout extends Error {
  constructor(nodeId: string) {
    super(`node ${nodeId} did not answer`);
  }
}

export interface ClusterOptions {
  /** How long a room stays owned without renewal; a dead owner's rooms move after at most this long. */
  leaseMs: number;
  log: Logger;
  nodeId?: string;
}

/**
 * This node's place among the others on one Redis: room ownership leases (with fenced snapshot
 * writes) and request/response messages to a given node over Redis pub/sub.
 */
export class Cluster {
  readonly nodeId: string;
  readonly leaseMs: number;
  private pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private requestHandler: (from: string, body: unknown) => Promise<unknown> = async () => null;
  private noticeHandler: (from: string, body: unknown) => void = () => {};

  private constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
    private readonly opts: ClusterOptions,
  ) {
    this.nodeId = opts.nodeId ?? nanoid(10);
    this.leaseMs = opts.leaseMs;
  }

  /** `redis` is shared with the store; a duplicate connection listens (a subscriber can do nothing else). */
  static async join(redis: Redis, opts: ClusterOptions): Promise<Cluster> {
    const sub = redis.duplicate();
    const cluster = new Cluster(redis, sub, opts);
    sub.on('error', () => {}); // the command connection reports outages; ioredis resubscribes on its own
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => cluster.receive(message.toString()));
    await sub.subscribe(nodeChannel(cluster.nodeId), NOTICE_CHANNEL);
    return cluster;
  }

  // --- leases ---------------------------------------------------------------------------------

  /** Takes a room that nobody owns. */
  async acquire(code: string): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, leaseKey(code), this.nodeId, this.leaseMs)) === 1;
  }

  /** Renews the leases of the rooms this node runs; returns the codes it no longer owns. */
  async renew(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const code of codes) pipeline.eval(RENEW, 1, leaseKey(code), this.nodeId, this.leaseMs);
    const results = (await pipeline.exec()) ?? [];
    const lost: string[] = [];
    results.forEach(([err, renewed], i) => {
      if (!err && renewed === 0) lost.push(codes[i]!);
    });
    return lost;
  }

  async release(code: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, leaseKey(code), this.nodeId);
  }

  async owner(code: string): Promise<string | null> {
    return this.redis.get(leaseKey(code));
  }

  /** Writes the room's snapshot only while this node holds its lease. */
  async saveSnapshot(code: string, data: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(FENCED_SNAPSHOT, 2, leaseKey(code), snapshotKey(code), this.nodeId, data, ttlMs)) === 1;
  }

  // --- messages -------------------------------------------------------------------------------

  onRequest(handler: (from: string, body: unknown) => Promise<unknown>): void {
    this.requestHandler = handler;
  }

  onNotice(handler: (from: string, body: unknown) => void): void {
    this.noticeHandler = handler;
  }

  request(nodeId: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const id = nanoid(12);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeout(nodeId));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.publish(nodeChannel(nodeId), { t: 'req', id, from: this.nodeId, body }).catch((err: Error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      });
    });
  }

  /** One-way message to one node, or to every node when `nodeId` is null. */
  async notify(nodeId: string | null, body: unknown): Promise<void> {
    await this.publish(nodeId ? nodeChannel(nodeId) : NOTICE_CHANNEL, { t: 'note', from: this.nodeId, body });
  }

  private async publish(channel: string, msg: Wire): Promise<void> {
    await this.redis.publish(channel, JSON.stringify(msg));
  }

  private receive(raw: string): void {
    let msg: Wire;
    try {
      msg = JSON.parse(raw) as Wire;
    } catch {
      return;
    }
    if (msg.t === 'res') {
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.pending.delete(msg.id);
      waiting.resolve(msg.body);
    } else if (msg.t === 'req') {
      this.requestHandler(msg.from, msg.body)
        .then((body) => this.publish(nodeChannel(msg.from), { t: 'res', id: msg.id, body }))
        .catch((err: unknown) => this.opts.log.error({ err, from: msg.from }, 'cluster request failed'));
    } else if (msg.from !== this.nodeId) {
      this.noticeHandler(msg.from, msg.body);
    }
  }

  async close(): Promise<void> {
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('cluster closed'));
    }
    this.pending.clear();
    await this.sub.quit().catch(() => this.sub.disconnect());
  }
}
