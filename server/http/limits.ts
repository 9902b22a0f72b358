import type { RequestHandler, Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { sendRefusal } from './route.js';

export interface HttpLimitOptions {
  roomLookupsPerIpPerMinute: number;
  roomMissesPerIpPerMinute: number;
  profilesPerIpPerMinute: number;
  /** Several nodes share the counts through Redis; memory counts stand in while Redis is down. */
  redis?: Redis;
}

/** The client address as Express sees it: `trust proxy` is set from TRUST_PROXY_HOPS and nothing else. */
export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function limiter(name: string, pointsPerMinute: number, redis: Redis | undefined): RateLimiterAbstract {
  const base = { keyPrefix: `cca:limit:${name}`, points: pointsPerMinute, duration: 60 };
  const memory = new RateLimiterMemory(base);
  return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory, rejectIfRedisNotReady: true }) : memory;
}

/** True when the key had points left; a store failure without a stand-in throws (the error handler answers 503/500). */
export async function within(limit: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limit.consume(key);
    return true;
  } catch (err) {
    if (err instanceof Error) throw err;
    return false;
  }
}

/**
 * Per-address budgets for the HTTP routes a scanner or a script would hammer. A venue is hundreds of honest
 * phones behind one NAT address: each looks its room up once or twice, so the lookup budget is a few per phone
 * of a full room, while failed guesses (the scanning signal) have a budget of their own.
 */
export class HttpLimits {
  private readonly lookups: RateLimiterAbstract;
  private readonly misses: RateLimiterAbstract;
  private readonly profiles: RateLimiterAbstract;

  constructor(private readonly opts: HttpLimitOptions) {
    this.lookups = limiter('http-room', opts.roomLookupsPerIpPerMinute, opts.redis);
    this.misses = limiter('http-room-miss', opts.roomMissesPerIpPerMinute, opts.redis);
    this.profiles = limiter('http-profile', opts.profilesPerIpPerMinute, opts.redis);
  }

  /** Room lookups: refused while the address is over its lookup budget or has used up its failed guesses. */
  readonly roomLookup: RequestHandler = async (req, res, next) => {
    try {
      const ip = clientIp(req);
      const misses = await this.misses.get(ip);
      if (misses !== null && misses.consumedPoints >= this.opts.roomMissesPerIpPerMinute) return sendRefusal(res, 'RATE_LIMITED', 'Too many wrong room codes from your network: wait a minute and try again');
      if (!(await within(this.lookups, ip))) return sendRefusal(res, 'RATE_LIMITED', 'Too many room lookups from your network: wait a minute and try again');
      next();
    } catch (err) {
      next(err);
    }
  };

  /** Counts a lookup that found no room against the address. */
  async missed(req: Request): Promise<void> {
    await within(this.misses, clientIp(req));
  }

  readonly profileCreation: RequestHandler = async (req, res, next) => {
    try {
      if (await within(this.profiles, clientIp(req))) return next();
      sendRefusal(res, 'RATE_LIMITED', 'Too many new profiles from your network: wait a minute and try again');
    } catch (err) {
      next(err);
    }
  };
}
