/**
 * A socket's event budget: `points` events per fixed window of `windowMs`, counted on the socket
 * itself. Every client event passes here, so it is synchronous and allocation-free: no promise, no
 * map keyed by socket id, no timer per socket (what a general limiter library costs per event). The
 * per-address limits (connections, joins, rooms), shared across nodes, use rate-limiter-flexible.
 */
export class EventBudget {
  private windowStart = -Infinity;
  private used = 0;

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
  ) {}

  /** Takes one event's point; false when this window's points are spent. */
  take(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.points) return false;
    this.used++;
    return true;
  }
}
