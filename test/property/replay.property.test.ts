import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLog, decodeSnapshot } from '../../server/cluster/snapshot-schema.js';
import type { Action } from '../../server/game/actions.js';
import type { Room } from '../../server/realtime/room.js';
import { OneProcessCluster, settle } from '../helpers/one-process-cluster.js';
import { makeBank } from '../helpers/questions.js';

/**
 * Random games on an owner with a room log: at any point, the latest snapshot plus the log after
 * it, replayed through the reducer with the recorded times, rebuilds exactly the owner's room.
 */

type Step =
  | { kind: 'join'; name: string }
  | { kind: 'answer'; seat: number; choice: number }
  | { kind: 'host'; command: 'start' | 'reveal' | 'next' | 'pause' | 'resume' }
  | { kind: 'wait'; ms: number }
  | { kind: 'connection'; seat: number; connected: boolean }
  | { kind: 'kick'; seat: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), name: fc.constantFrom('Ana', 'Ben', 'Cai', '__proto__', 'constructor', 'Dee', 'Eve') }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('answer' as const), seat: fc.nat(6), choice: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('host' as const), command: fc.constantFrom('start' as const, 'reveal' as const, 'next' as const, 'pause' as const, 'resume' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 50, max: 8_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('connection' as const), seat: fc.nat(6), connected: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kick' as const), seat: fc.nat(6) }) },
);

const host = { role: 'host' } as const;

async function play(cluster: OneProcessCluster, room: Room, steps: Step[]): Promise<void> {
  let joined = 0;
  for (const step of steps) {
    const seats = room.state.playerOrder;
    const seat = (i: number) => seats[i % Math.max(1, seats.length)];
    let action: Action | null = null;
    if (step.kind === 'join') {
      const playerId = `p${++joined}`;
      room.dispatch({ type: 'join', playerId, name: `${step.name}${joined}`, team: null }, { token: `token-${playerId}-${'x'.repeat(24)}`, playerId, profileId: joined % 2 ? `profile-${joined}` : null });
    } else if (step.kind === 'wait') await cluster.advance(step.ms, 250);
    else if (step.kind === 'host') action = { type: step.command, by: host };
    else if (step.kind === 'kick' && seat(step.seat)) action = { type: 'kick', by: host, playerId: seat(step.seat)! };
    else if (step.kind === 'connection' && seat(step.seat)) action = { type: 'connection', playerId: seat(step.seat)!, connected: step.connected };
    else if (step.kind === 'answer' && seat(step.seat) && room.state.round) {
      const q = room.state.questions[room.state.round.index]!;
      action = { type: 'answer', playerId: seat(step.seat)!, questionId: q.question.id, choices: [step.choice % q.question.choices.length] };
    }
    if (action) room.dispatch(action);
    await settle(2);
  }
  await settle();
  await room.flushed();
}

async function rebuild(cluster: OneProcessCluster, code: string) {
  const stored = await cluster.log.load(code);
  const decoded = decodeSnapshot(stored.snapshot!);
  if (!decoded.ok) throw new Error(decoded.reason);
  const log = decodeLog(stored.entries, stored.first, decoded.snapshot.seq);
  return { snapshot: decoded.snapshot, log };
}

async function ownerRoom() {
  const cluster = new OneProcessCluster(makeBank(4), 2_000, 250);
  const a = cluster.node('a');
  const b = cluster.node('b');
  const created = await a.directory.open({ questionCount: 4, timeLimitSec: 10, getReadySec: 0 });
  if (!created.ok) throw new Error(created.message);
  return { cluster, a, b, room: created.room, code: created.room.code };
}

describe('room log replay (property)', () => {
  it('snapshot + log replay equals the owner’s room after any game', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), async (steps) => {
        const { cluster, a, b, room, code } = await ownerRoom();
        try {
          await play(cluster, room, steps);
          expect(a.registry.get(code), 'the owner still runs the room').toBe(room);
          const { snapshot, log } = await rebuild(cluster, code);
          expect(log.brokenAt).toBeNull();
          expect(log.entries.at(-1)?.seq ?? snapshot.seq).toBe(room.journal!.seq);
          // The other node rebuilds it as a takeover does.
          a.crash();
          await cluster.advance(cluster.leaseMs + 100); // the dead owner's lease runs out
          const restored = await cluster.until(b.directory.takeOver(code));
          expect(restored).not.toBeNull();
          expect(restored!.state).toEqual(room.state);
          const { epoch: _e1, ...mine } = room.snapshot();
          const { epoch: _e2, ...theirs } = restored!.snapshot();
          expect(theirs).toEqual(mine);
        } finally {
          cluster.stop();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a duplicated entry is skipped and counted; a torn tail is detected and replay stops before it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 3, maxLength: 30 }), fc.boolean(), async (steps, tornNotDuplicated) => {
        const { cluster, a, b, room, code } = await ownerRoom();
        try {
          await play(cluster, room, steps);
          const before = await cluster.log.load(code);
          if (before.entries.length === 0) return;
          cluster.log.tamper(code, (entries) => {
            if (tornNotDuplicated) entries.push(entries.at(-1)!.slice(0, 17));
            else entries.push(entries.at(-1)!);
          });
          const { log } = await rebuild(cluster, code);
          if (tornNotDuplicated) expect(log.brokenAt?.reason).toMatch(/torn|malformed/);
          else expect(log.duplicates).toBe(1);
          a.crash();
          await cluster.advance(cluster.leaseMs + 100); // the dead owner's lease runs out
          const restored = await cluster.until(b.directory.takeOver(code));
          expect(restored!.state, 'the room as the owner had it: the extra entry changed nothing').toEqual(room.state);
          // After a torn tail the log is cut back to the good prefix, so the new owner can append again.
          const after = await cluster.log.load(code);
          expect(decodeLog(after.entries, after.first, decodeSnapshot(after.snapshot!).ok ? (decodeSnapshot(after.snapshot!) as { snapshot: { seq: number } }).snapshot.seq : 0).brokenAt).toBeNull();
        } finally {
          cluster.stop();
        }
      }),
      { numRuns: 25 },
    );
  });
});
