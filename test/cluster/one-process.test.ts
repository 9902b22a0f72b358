import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/errors.js';
import { gameExport } from '../../server/game/export.js';
import type { RoomState } from '../../server/game/state.js';
import { isoWeek } from '../../server/storage/types.js';
import { executeCall, type CallResult } from '../../server/realtime/room-calls.js';
import { OneProcessCluster, type Phone, type TestNode } from '../helpers/one-process-cluster.js';
import { makeBank } from '../helpers/questions.js';

/**
 * Several nodes in one process on a manual clock: a partitioned owner, a takeover and a heal are
 * stepped through with no sleeps. What must hold: every answer a node acknowledged as accepted is
 * in the final results exactly once, and the weekly points equal the final scores.
 */

let cluster: OneProcessCluster;
afterEach(() => cluster?.stop());

interface Acked {
  playerId: string;
  questionIndex: number;
  choices: number[];
}

function ownerOf(code: string): TestNode {
  const owners = [...cluster.nodes.values()].filter((n) => !n.wire.crashed && n.registry.get(code) && !n.registry.get(code)!.isAbandoned);
  expect(owners.length, 'exactly one node runs the room').toBeGreaterThanOrEqual(1);
  return owners[0]!;
}

const stateOf = (code: string): RoomState => ownerOf(code).registry.get(code)!.state;

async function setUp(mode: 'classic' = 'classic') {
  cluster = new OneProcessCluster(makeBank(4));
  const a = cluster.node('a');
  const b = cluster.node('b');
  const created = await a.directory.open({ mode, questionCount: 3, timeLimitSec: 30, getReadySec: 0 });
  if (!created.ok) throw new Error(created.message);
  const code = created.room.code;
  const host = a.phone();
  const attached = await executeCall(created.room, { op: 'host-attach', member: { socketId: host.socketId, nodeId: 'a' }, hostToken: created.hostToken });
  expect(attached.ok).toBe(true);
  Object.assign(host, { code, role: 'host' });
  const players: Phone[] = [];
  for (const [i, node] of [a, a, a, b, b, b].entries()) {
    const p = node.phone();
    const joined = await cluster.until(node.run(p, code, { op: 'join', member: { socketId: p.socketId, nodeId: node.id }, nickname: `P${i}`, team: null, profileId: null }, 'player'));
    expect(joined.ok, JSON.stringify(joined)).toBe(true);
    players.push(p);
  }
  return { a, b, code, host, hostToken: created.hostToken, players };
}

async function hostCommand(node: TestNode, host: Phone, code: string, command: 'start' | 'reveal' | 'next' | 'end'): Promise<CallResult> {
  return node.run(host, code, { op: 'act', member: node.member(host), action: { type: command, by: { role: 'host' } }, reply: 'view' });
}

/** A phone answers the open question (right for even seats); an accepted ack is remembered. */
function answer(p: Phone, code: string, acked: Acked[]): Promise<CallResult> {
  const state = stateOf(code);
  const index = state.round!.index;
  const q = state.questions[index]!;
  const seat = Number(p.playerId!.length % 2);
  const choices = seat === 0 ? q.solution.answer : [(q.solution.answer[0]! + 1) % q.question.choices.length];
  return p.node.run(p, code, { op: 'act', member: p.node.member(p), action: { type: 'answer', playerId: p.playerId!, questionId: q.question.id, choices }, reply: 'receipt' }).then((r) => {
    if (r.ok && 'accepted' in r) acked.push({ playerId: p.playerId!, questionIndex: index, choices });
    return r;
  });
}

async function expectExactlyOnce(code: string, acked: Acked[]): Promise<void> {
  const state = stateOf(code);
  const exported = gameExport(state, cluster.clock.now());
  for (const a of acked) {
    const found = exported.answers.filter((x) => x.playerId === a.playerId && x.questionIndex === a.questionIndex);
    expect(found, `acked answer of ${a.playerId} to question ${a.questionIndex}`).toHaveLength(1);
    expect(found[0]!.choices).toEqual(a.choices);
  }
  for (const p of exported.players) {
    const sum = exported.answers.filter((x) => x.playerId === p.id).reduce((t, x) => t + x.points, 0);
    expect(p.score, `${p.name}'s score is the sum of their points`).toBe(sum);
  }
  const owner = ownerOf(code);
  await owner.registry.get(code)!.flushed();
  const weekly = await cluster.store.weeklyTop(isoWeek(new Date(cluster.clock.now())), 100);
  for (const p of exported.players) {
    expect(weekly.find((e) => e.key === `seat:${p.id}`)?.points ?? 0, `${p.name}'s weekly points`).toBe(p.score);
  }
}

/** The host goes on (from A: its calls reach whichever node runs the room) until the game is over. */
async function playToEnd(node: TestNode, host: Phone, code: string, players: Phone[], acked: Acked[]): Promise<void> {
  for (let guard = 0; stateOf(code).phase !== 'finished'; guard++) {
    expect(guard).toBeLessThan(20);
    if (stateOf(code).phase === 'question') {
      for (const p of players) if (!stateOf(code).round!.answers[p.playerId!]) await retrying(() => answer(p, code, acked));
      if (stateOf(code).phase === 'question') await retrying(() => hostCommand(node, host, code, 'reveal'));
    } else await retrying(() => hostCommand(node, host, code, 'next'));
  }
}

/** Every phone retries a refused call, as the web client does, until it gets a final answer. */
async function retrying(call: () => Promise<CallResult>): Promise<CallResult> {
  for (let i = 0; i < 100; i++) {
    const r = await cluster.until(call());
    if (r.ok || (r as Extract<CallResult, { ok: false }>).error.code !== 'ROOM_UNAVAILABLE') return r;
    await cluster.advance(200);
  }
  throw new Error('never answered');
}

describe('one-process cluster: partition, takeover, heal (manual clock)', () => {
  it('a partitioned owner stops acking; the node that takes over has every acknowledged answer exactly once', async () => {
    const { a, b, code, host, players } = await setUp();
    const acked: Acked[] = [];
    expect((await cluster.until(hostCommand(a, host, code, 'start'))).ok).toBe(true);
    // Two answers before the partition, through the owner and forwarded from B.
    await cluster.until(answer(players[0]!, code, acked));
    await cluster.until(answer(players[3]!, code, acked));
    expect(acked).toHaveLength(2);

    a.wire.cut = true; // A loses Redis (and the adapter) but keeps its sockets
    // A's phones answer: A may apply them in memory, but cannot make them durable.
    const onA = [answer(players[1]!, code, acked), answer(players[2]!, code, acked)];
    await cluster.advance(cluster.leaseMs + 500);
    const aResults = await Promise.all(onA);
    for (const r of aResults) expect(r.ok ? 'acked' : (r as { error: { code: string } }).error.code).toBe('ROOM_UNAVAILABLE');
    expect(a.registry.get(code), 'A stopped running the room').toBeUndefined();

    // B's phones keep playing: B finds the lease lapsed, takes over from snapshot + log.
    const r4 = await cluster.until(answer(players[4]!, code, acked));
    expect(r4.ok).toBe(true);
    expect(b.registry.get(code)).toBeDefined();
    const onB = stateOf(code);
    expect(onB.round!.answers[players[0]!.playerId!], 'the answer acked before the partition survived').toBeDefined();
    expect(onB.round!.answers[players[3]!.playerId!]).toBeDefined();

    // Heal: A's queued log writes land now and are refused by the fence.
    await a.wire.heal();
    await cluster.advance(1_500);
    expect(a.registry.get(code)).toBeUndefined();
    // A's phones retry; their calls now reach B.
    await playToEnd(a, host, code, players, acked);
    await expectExactlyOnce(code, acked);
  });

  it('a reveal on the partitioned owner is never credited; the weekly board follows the true history', async () => {
    const { a, b, code, host, players } = await setUp();
    const acked: Acked[] = [];
    await cluster.until(hostCommand(a, host, code, 'start'));
    for (const p of players.slice(0, 4)) await cluster.until(answer(p, code, acked));

    a.wire.cut = true;
    // The host reveals on A during the partition: A may score it in memory, but nothing of it is durable.
    const reveal = hostCommand(a, host, code, 'reveal');
    await cluster.advance(cluster.leaseMs + 500);
    const revealed = await reveal;
    expect(revealed.ok).toBe(false);

    // Meanwhile on B: more answers, then B's owner-side timeline goes on.
    expect((await cluster.until(answer(players[4]!, code, acked))).ok).toBe(true);
    expect(b.registry.get(code)?.state.phase, 'B runs the question A tried to reveal').toBe('question');
    await a.wire.heal();
    await cluster.advance(1_000);
    // The store never heard of A's reveal: nothing was recorded for question 0 yet.
    expect(await cluster.store.weeklyTop(isoWeek(new Date(cluster.clock.now())), 100)).toEqual([]);

    await playToEnd(a, host, code, players, acked);
    await expectExactlyOnce(code, acked);
  });

  it('the owner stops running deadlines once its lease is not proven valid', async () => {
    const { a, code, host } = await setUp();
    await cluster.until(hostCommand(a, host, code, 'start'));
    const room = a.registry.get(code)!;
    a.wire.cut = true;
    await cluster.advance(31_000); // past the question's 30 s deadline
    expect(room.state.phase, 'A did not close the question without its lease').toBe('question');
  });

  it('a forwarded call gives up on a dead owner within its lease and runs on the node that takes over', async () => {
    const { a, b, code, players } = await setUp();
    a.crash();
    const started = cluster.clock.now();
    const lease = (await cluster.leases.read(code))!;
    const r = await cluster.until(b.run(players[3]!, code, { op: 'act', member: b.member(players[3]!), action: { type: 'set-team', playerId: players[3]!.playerId!, team: null }, reply: 'view' }));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const waited = cluster.clock.now() - started;
    expect(waited, 'the call waited for the lease to run out, not longer').toBeLessThanOrEqual(lease.expiresAt - started + 300);
    expect(b.registry.get(code)).toBeDefined();
  });

  it('a handover moves the room at once, with nothing lost', async () => {
    const { a, b, code, host, players } = await setUp();
    const acked: Acked[] = [];
    await cluster.until(hostCommand(a, host, code, 'start'));
    for (const p of players.slice(0, 3)) await cluster.until(answer(p, code, acked));
    await a.directory.handOver();
    a.crash();
    const started = cluster.clock.now();
    const r = await cluster.until(answer(players[4]!, code, acked));
    expect(r.ok).toBe(true);
    expect(cluster.clock.now() - started, 'no lease wait after a handover').toBeLessThan(100);
    expect(b.registry.get(code)!.state.round!.answers[players[0]!.playerId!]).toBeDefined();
    const ack = r as Extract<Ack, { ok: true }>;
    expect(ack.ok).toBe(true);
  });
});
