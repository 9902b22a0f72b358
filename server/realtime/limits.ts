import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { fail } from '../../shared/protocol/errors.js';
import type { Metrics } from '../metrics.js';
import type { GameSocket } from './wrapper.js';

export interface JoinLimitOptions {
  connectionsPerIpPerMinute: number;
  joinsPerIpPerMinute: number;
  joinsPerRoomPerMinute: number;
  /** Proxies in front of the server whose X-Forwarded-For entries are trusted (0 = use the socket address). */
  trustProxyHops: number;
  /** Several nodes share the counts through Redis; memory counts stand in while Redis is down. */
  redis?: Redis;
  metrics?: Metrics;
}

/** The client address: the socket's peer, or the entry the outermost trusted proxy added. */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  return hops[hops.length - trustProxyHops] ?? hops[0] ?? peer;
}

function limiter(name: string, pointsPerMinute: number, redis: Redis | undefined): RateLimiterAbstract {
  const base = { keyPrefix: `cca:limit:${name}`, points: pointsPerMinute, duration: 60 };
  const memory = new RateLimiterMemory(base);
  return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory, rejectIfRedisNotReady: true }) : memory;
}

/**
 * Abuse limits on the way into rooms: new connections and join attempts per client address, and
 * joins per room. A meetup behind one NAT is many honest players on one address, so the per-address
 * limits are generous; a flood from one address hits them long before the room's own limit.
 */
export class JoinLimits {
  private readonly connections: RateLimiterAbstract;
  private readonly joinsByIp: RateLimiterAbstract;
  private readonly joinsByRoom: RateLimiterAbstract;

  constructor(private readonly opts: JoinLimitOptions) {
    this.connections = limiter('conn', opts.connectionsPerIpPerMinute, opts.redis);
    this.joinsByIp = limiter('join-ip', opts.joinsPerIpPerMinute, opts.redis);
    this.joinsByRoom = limiter('join-room', opts.joinsPerRoomPerMinute, opts.redis);
  }

  async connection(req: IncomingMessage): Promise<boolean> {
    return this.take(this.connections, clientAddress(req, this.opts.trustProxyHops), 'connections');
  }

  /** Null when the join may go ahead; otherwise the ack to send. */
  async join(socket: GameSocket, code: string) {
    if (!(await this.take(this.joinsByIp, clientAddress(socket.request, this.opts.trustProxyHops), 'joins_per_ip'))) {
      return fail('RATE_LIMITED', 'Too many join attempts from your network: wait a minute and try again');
    }
    if (!(await this.take(this.joinsByRoom, code, 'joins_per_room'))) {
      return fail('RATE_LIMITED', 'This room is taking too many joins right now: try again in a moment');
    }
    return null;
  }

  private async take(limit: RateLimiterAbstract, key: string, name: string): Promise<boolean> {
    try {
      await limit.consume(key);
      return true;
    } catch (err) {
      if (err instanceof Error) throw err; // the store failed and had no stand-in
      this.opts.metrics?.joinsLimited.inc({ limit: name });
      return false;
    }
  }
}
