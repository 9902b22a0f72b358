import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { NodeJournal, RoomJournal } from '../../server/cluster/journal.js';
import { MemoryLeases } from '../../server/cluster/leases.js';
import { MemoryRoomLog, type AppendResult, type RoomLogStore } from '../../server/cluster/room-log.js';
import { createReducer } from '../../server/game/reducer.js';
import { RoomRegistry } from '../../server/realtime/registry.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { makeBank } from '../helpers/questions.js';

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

describe('the node journal (group commit: one write in flight, urgent entries beside it)', () => {
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

  it('sends an urgent entry at once with a write already out, and the store keeps the order they were sent in', async () => {
    const { journal, log, inner, fences, failed } = await setUp();
    const a = fences.get('ROOMA')!;
    const first = journal.append('ROOMA', a, 1, 'a1');
    await turn();
    expect(log.writes).toHaveLength(1);
    const deadline = journal.append('ROOMA', a, 2, 'a2');
    journal.writeSoon();
    await Promise.resolve(); // after the current callback, not at the end of the turn
    expect(log.writes).toHaveLength(2);
    expect(log.writes[1]!.items.map((i) => [i.code, i.firstSeq, i.entries])).toEqual([['ROOMA', 2, ['a2']]]);
    journal.writeSoon(); // nothing pending: no empty write
    await turn();
    expect(log.writes).toHaveLength(2);
    log.writes[0]!.release();
    log.writes[1]!.release();
    expect(await first).toBe(true);
    expect(await deadline).toBe(true);
    expect((await inner.load('ROOMA')).entries).toEqual(['a1', 'a2']);
    // Back to one write per turn once both are in.
    journal.append('ROOMA', a, 3, 'a3');
    await turn();
    journal.append('ROOMA', a, 4, 'a4');
    await turn();
    expect(log.writes).toHaveLength(3);
    expect(failed).toEqual([]);
  });

  it('writes a change every screen waits for (a question closing at its deadline) before the turn goes on', async () => {
    const { journal, log, fences, clock } = await setUp();
    const a = fences.get('ROOMA')!;
    const rooms = new RoomRegistry({
      reduce: createReducer(makeBank(4)),
      clock,
      store: new MemoryStore(),
      log: pino({ level: 'silent' }),
      outbox: { emit: () => {}, unbound: () => {} },
      roomCap: 300,
      idleMs: 3_600_000,
      defaultBuzzCapMs: 250,
    });
    const roomJournal = new RoomJournal(journal, 'ROOMA', a, { seq: 0, validUntil: Number.MAX_SAFE_INTEGER });
    const created = rooms.create({ mode: 'classic', questionCount: 2, timeLimitSec: 10, getReadySec: 0 }, 'ROOMA', roomJournal);
    if (!created.ok) throw new Error(created.message);
    const room = created.room;
    room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' });
    room.dispatch({ type: 'start', by: { role: 'host' } });
    await turn();
    for (const w of log.writes) w.release();
    await turn();
    const before = log.writes.length;
    clock.advance(10_000); // the deadline's timer runs: the question closes unanswered
    expect(room.state.phase).toBe('reveal');
    await Promise.resolve();
    expect(log.writes.length).toBe(before + 1); // sent already, not at the end of the turn
    log.writes.at(-1)!.release();
    expect(await roomJournal.pending()).toBe(true);
  });
});
