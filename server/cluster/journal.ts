import type { Clock } from '../clock.js';
import type { Fence } from './leases.js';
import type { AppendResult, RoomLogStore } from './room-log.js';
import type { LogEntry } from './snapshot-schema.js';

interface Batch {
  fence: Fence;
  firstSeq: number;
  entries: string[];
  done: Promise<boolean>;
  settle: (durable: boolean) => void;
}

export interface NodeJournalOptions {
  log: RoomLogStore;
  clock: Clock;
  /** Log entries live as long as a snapshot of an idle room. */
  ttlMs: number;
  /** A room's append was refused or failed: the room must not go on from its in-memory state. */
  onFailed: (code: string, why: string) => void;
}

/**
 * The node's writer of room logs, with group commit: entries recorded during one event-loop turn,
 * for every room, go to the store in one round trip, and while that write is out the next entries
 * gather for the one after it (one write in flight). A quiet node writes each turn at once; a busy
 * one sends fewer, bigger writes instead of one per answer. Each room's batch is durable or
 * refused as a whole. `writeSoon` sends what is pending beside a write already out: the store
 * applies writes in the order they were sent.
 */
export class NodeJournal {
  private batches = new Map<string, Batch>();
  private scheduled = false;
  private soon = false;
  private writesOut = 0;

  constructor(private readonly opts: NodeJournalOptions) {}

  /** The clock leases are judged by (the cluster's: see AppOptions.clusterClock). */
  get clock(): Clock {
    return this.opts.clock;
  }

  /** Queues one room's entry; the promise says whether its batch became durable. */
  append(code: string, fence: Fence, seq: number, text: string): Promise<boolean> {
    let batch = this.batches.get(code);
    if (!batch || batch.fence.epoch !== fence.epoch) {
      let settle!: (durable: boolean) => void;
      const done = new Promise<boolean>((resolve) => (settle = resolve));
      batch = { fence, firstSeq: seq, entries: [], done, settle };
      this.batches.set(code, batch);
    }
    batch.entries.push(text);
    this.schedule();
    return batch.done;
  }

  /**
   * What is pending goes out once the current callback is done, even with a write out: for a
   * change every screen waits for (a buzz won, a question opening or closing). At the end of a
   * busy turn its entry would wait for every socket the turn reads, and its reply for the next turn's.
   */
  writeSoon(): void {
    if (this.soon || this.batches.size === 0) return;
    this.soon = true;
    queueMicrotask(() => {
      this.soon = false;
      void this.flush();
    });
  }

  /** A flush at the end of this turn, unless a write is out: then its completion flushes. */
  private schedule(): void {
    if (this.scheduled || this.writesOut > 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batches = [...this.batches];
    this.batches.clear();
    if (batches.length === 0) return;
    this.writesOut++;
    try {
      await this.write(batches);
    } finally {
      this.writesOut--;
      if (this.batches.size > 0) this.schedule();
    }
  }

  private async write(batches: [string, Batch][]): Promise<void> {
    let results: AppendResult[];
    try {
      results = await this.opts.log.appendMany(
        batches.map(([code, b]) => ({ code, fence: b.fence, firstSeq: b.firstSeq, entries: b.entries })),
        this.opts.clock.now(),
        this.opts.ttlMs,
      );
    } catch (err) {
      for (const [code, b] of batches) {
        b.settle(false);
        this.opts.onFailed(code, `log write failed: ${(err as Error).message}`);
      }
      return;
    }
    batches.forEach(([code, b], i) => {
      const r = results[i]!;
      b.settle(r.ok);
      if (!r.ok) this.opts.onFailed(code, r.reason === 'fenced' ? 'lease lost: log write fenced' : 'log out of sequence');
    });
  }
}

/** A room's side of the log: numbers its entries and knows how long its lease is proven valid. */
export class RoomJournal {
  /** The last sequence number handed out (entries up to it are recorded, maybe not durable yet). */
  seq: number;
  /** Proven end of the lease: last renewal's send time + lease − drift margin (set by the directory). */
  validUntil: number;
  private latest: Promise<boolean> | null = null;
  private latestSeq = 0;
  private durableSeq: number;

  constructor(
    private readonly node: NodeJournal,
    private readonly code: string,
    public fence: Fence,
    opts: { seq: number; validUntil: number },
  ) {
    this.seq = opts.seq;
    this.durableSeq = opts.seq;
    this.validUntil = opts.validUntil;
  }

  /** The lease is provably this node's now: only then may the room accept anything. */
  leaseValid(): boolean {
    return this.node.clock.now() < this.validUntil;
  }

  /** The clock leases are judged by. */
  get clock(): Clock {
    return this.node.clock;
  }

  record(entry: Omit<LogEntry, 'seq' | 'epoch'>): void {
    const seq = ++this.seq;
    const text = JSON.stringify({ seq, epoch: this.fence.epoch, ...entry });
    const done = this.node.append(this.code, this.fence, seq, text);
    this.latest = done;
    this.latestSeq = seq;
    void done.then((ok) => {
      if (ok && seq > this.durableSeq) this.durableSeq = seq;
    });
  }

  /** Sends this node's pending entries now rather than at the end of the turn (see NodeJournal.writeSoon). */
  writeSoon(): void {
    this.node.writeSoon();
  }

  /** Everything recorded so far is durable (true) or will never be (false); null: nothing pending. */
  pending(): Promise<boolean> | null {
    return this.latest && this.latestSeq > this.durableSeq ? this.latest : null;
  }

  /**
   * Waits for `pending`, but no longer than the lease is proven valid: a write not confirmed by then
   * counts as failed (`onExpired` runs); it may still land, and a replay finds it.
   */
  confirmedWithinLease(pending: Promise<boolean>, onExpired: () => void): Promise<boolean> {
    const clock = this.node.clock;
    return new Promise<boolean>((resolve) => {
      let timer: unknown = null;
      const check = () => {
        const left = this.validUntil - clock.now();
        if (left <= 0) {
          resolve(false);
          onExpired();
          return;
        }
        timer = clock.setTimer(check, left);
      };
      check();
      void pending.then((durable) => {
        if (timer !== null) clock.clearTimer(timer);
        resolve(durable);
      });
    });
  }

  /** The highest sequence number known durable (what a snapshot may cover). */
  get durable(): number {
    return this.durableSeq;
  }
}
