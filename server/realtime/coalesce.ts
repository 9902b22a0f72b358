import type { Clock } from '../clock.js';

/**
 * Runs a task at most once per `delayMs` for routine changes (later requests fold into the pending
 * run), or at once when asked, cancelling the pending run.
 */
export class CoalescedTask {
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly task: () => void,
  ) {}

  request(immediately: boolean): void {
    if (immediately || this.delayMs <= 0) {
      this.cancel();
      this.task();
      return;
    }
    if (this.timer !== null) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.task();
    }, this.delayMs);
  }

  cancel(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }
}
