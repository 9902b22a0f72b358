import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { NodeJournal } from '../../server/cluster/journal.js';
import { MemoryLeases } from '../../server/cluster/leases.js';
import { MemoryRoomLog, type AppendResult, type RoomLogStore } from '../../server/cluster/room-log.js';

type Items = Parameters<RoomLogStore['appendMany']>[0];

/** A memory log whose writes come back only when the test says so (the network's round trip). */
class HeldLog {
  readonly writes: { items: Items; release: () => void }[] = [];
  constructor(private readonly inner: MemoryRoomLog) {}

  appendMany(items: Items, now: number, ttlMs: number): Promise<AppendResult[]> {
    // Applied when sent, as Redis applies a pipeline in order; the reply waits.
    const applied = this.inner.appendMany(items, now, ttlMs);
    return new Promise((resolve) => this.writes.push({ items, release: () => void applied.then(resolve) }));
  }
}

const turn = () => new Promise((r) => setImmediate(r));

async function setUp() {
  const clock = new ManualClock(1_000);
  const leases = new MemoryLeases();
  const fences = new Map<string, { nodeId: string; epoch: number }>();
  for (const code of ['ROOMA', 'ROOMB']) {
    const got = await leases.acquire(code, 'n1', clock.now(), 60_000);
    fences.set(code, { nodeId: 'n1', epoch: got!.epoch });
  }
  const inner = new MemoryRoomLog(leases);
  const log = new HeldLog(inner);
  const failed: string[] = [];
  const journal = new NodeJournal({ log: log as unknown as RoomLogStore, clock, ttlMs: 60_000, onFailed: (code, why) => failed.push(`${code}: ${why}`) });
  return { journal, log, inner, fences, failed, clock };
}

describe('the node journal (group commit, one write in flight)', () => {
  it("writes a quiet turn at once and gathers the next turns' entries while a write is out", async () => {
    const { journal, log, inner, fences, failed } = await setUp();
    const a = fences.get('ROOMA')!;
    const b = fences.get('ROOMB')!;
    const first = journal.append('ROOMA', a, 1, 'a1');
    journal.append('ROOMB', b, 1, 'b1');
    await turn();
    expect(log.writes).toHaveLength(1);
    expect(log.writes[0]!.items.map((i) => i.code)).toEqual(['ROOMA', 'ROOMB']); // one round trip for both rooms
    const second = journal.append('ROOMA', a, 2, 'a2');
    await turn();
    journal.append('ROOMA', a, 3, 'a3');
    journal.append('ROOMB', b, 2, 'b2');
    await turn();
    expect(log.writes).toHaveLength(1); // one write out: the next entries wait, together
    log.writes[0]!.release();
    expect(await first).toBe(true);
    await turn(); // the completion schedules the next flush for the end of a turn
    await turn();
    expect(log.writes).toHaveLength(2);
    expect(log.writes[1]!.items.map((i) => [i.code, i.firstSeq, i.entries])).toEqual([
      ['ROOMA', 2, ['a2', 'a3']],
      ['ROOMB', 2, ['b2']],
    ]);
    log.writes[1]!.release();
    expect(await second).toBe(true);
    expect((await inner.load('ROOMA')).entries).toEqual(['a1', 'a2', 'a3']);
    expect(failed).toEqual([]);
  });

  it('refuses a later batch whose earlier one the log refused: nothing after a gap is kept', async () => {
    const { journal, log, inner, fences, failed } = await setUp();
    const a = fences.get('ROOMA')!;
    // Seq 2 where the log expects 1: refused, and so is the batch after it.
    const gap = journal.append('ROOMA', a, 2, 'a2');
    await turn();
    const after = journal.append('ROOMA', a, 3, 'a3');
    log.writes[0]!.release();
    expect(await gap).toBe(false);
    await turn();
    await turn();
    log.writes[1]!.release();
    expect(await after).toBe(false);
    expect((await inner.load('ROOMA')).entries).toEqual([]);
    expect(failed).toEqual(['ROOMA: log out of sequence', 'ROOMA: log out of sequence']);
  });
});
