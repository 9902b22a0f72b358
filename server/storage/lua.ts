import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

type Arg = string | number;
type Runner = (...args: Arg[]) => Promise<unknown>;

/**
 * A Lua script run by its SHA (EVALSHA, through ioredis's defineCommand): its body travels once per
 * connection instead of with every call, and Redis does not hash it again each time. After a Redis
 * restart ioredis sends the body again (NOSCRIPT is retried, and a script that was not there never ran).
 */
export class LuaScript {
  private readonly command: string;

  /** `keys`: how many of the arguments are keys; `'counted'`: the first argument says (scripts with one key per player). */
  constructor(
    private readonly lua: string,
    private readonly keys: number | 'counted',
  ) {
    this.command = `ccaLua${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`;
  }

  /** Defines the command on the client once. */
  defineOn(redis: Redis): this {
    if (!(this.command in redis)) redis.defineCommand(this.command, this.keys === 'counted' ? { lua: this.lua } : { numberOfKeys: this.keys, lua: this.lua });
    return this;
  }

  /** Runs the script now on this client. */
  run(redis: Redis, ...args: Arg[]): Promise<unknown> {
    this.defineOn(redis);
    return (redis as unknown as Record<string, Runner>)[this.command]!(...args);
  }
}

/** Rooms per run of a script that handles many (log appends, lease renewals): Redis serves nobody else while a script runs. */
export const ROOMS_PER_SCRIPT_RUN = 200;

/** `items` in runs of `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
