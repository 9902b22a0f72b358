import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../storage/types.js';

/** A store write that keeps failing (Redis down) is retried this long before it is given up. */
const RETRY_FOR_MS = 15 * 60_000;

/**
 * A room's store writes, in order and off the action path; a failure is never thrown at players.
 * With Redis they are retried until Redis is back (every write is idempotent, so a retry never
 * counts twice). A write that follows a log entry runs only once that entry is durable.
 */
export class StoreWrites {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { clock: Clock; log: Logger; store: Store; room: string; stopped: () => boolean }) {}

  queue(what: string, op: () => Promise<unknown>, logged: Promise<boolean> | null): void {
    this.chain = this.chain.then(async () => {
      if (logged && !(await logged)) return;
      await this.withRetries(what, op);
    });
  }

  flushed(): Promise<void> {
    return this.chain;
  }

  private async withRetries(what: string, op: () => Promise<unknown>): Promise<void> {
    const { clock, log, store, room } = this.deps;
    const started = clock.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await op();
        if (attempt > 0) log.info({ room, attempts: attempt + 1 }, `store write landed: ${what}`);
        return;
      } catch (err) {
        const giveUp = !store.persistent || this.deps.stopped() || clock.now() - started > RETRY_FOR_MS;
        if (giveUp || attempt === 0) log.error({ err, room }, `store write failed${giveUp ? '' : ', retrying'}: ${what}`);
        if (giveUp) return;
        await new Promise<void>((resolve) => clock.setTimer(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  }
}
