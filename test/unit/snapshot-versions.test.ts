import { describe, expect, it } from 'vitest';
import { decodeSnapshot, SNAPSHOT_VERSION } from '../../server/cluster/snapshot-schema.js';
import { executeCall } from '../../server/realtime/room-calls.js';
import { OneProcessCluster } from '../helpers/one-process-cluster.js';
import { makeBank } from '../helpers/questions.js';

/** A room on node A with one player, A dies, and a snapshot of our choosing is what B finds. */
async function roomWithStoredSnapshot(makeData: (current: Record<string, unknown>) => string) {
  const cluster = new OneProcessCluster(makeBank(4));
  const a = cluster.node('a');
  const b = cluster.node('b');
  const created = await a.directory.open({ timeLimitSec: 30, getReadySec: 0 });
  if (!created.ok) throw new Error(created.message);
  const code = created.room.code;
  const joined = (await executeCall(created.room, { op: 'join', member: { socketId: 's1', nodeId: 'a' }, nickname: 'Ana', team: null, profileId: null })) as { ok: true; sessionToken: string };
  const current = JSON.parse(JSON.stringify(created.room.snapshot())) as Record<string, unknown>;
  a.crash();
  await cluster.advance(cluster.leaseMs + 100);
  // Whoever wrote it (an older server version, a bug): stored through the same fenced path.
  const lease = (await cluster.leases.acquire(code, 'writer', cluster.clock.now(), cluster.leaseMs))!;
  const fence = { nodeId: 'writer', epoch: lease.epoch };
  const stored = await cluster.log.load(code);
  const seq = stored.first + stored.entries.length - 1;
  await cluster.log.saveSnapshot(code, fence, cluster.clock.now(), seq, makeData(current), 3_600_000);
  await cluster.leases.release(code, fence);
  return { cluster, b, code, sessionToken: joined.sessionToken };
}

describe('versioned room snapshots', () => {
  it('writes the current version', async () => {
    const cluster = new OneProcessCluster(makeBank(4));
    const created = await cluster.node('a').directory.open({});
    if (!created.ok) throw new Error(created.message);
    const stored = await cluster.log.load(created.room.code);
    expect(JSON.parse(stored.snapshot!).v).toBe(SNAPSHOT_VERSION);
    expect(decodeSnapshot(stored.snapshot!)).toMatchObject({ ok: true, migratedFrom: null });
    cluster.stop();
  });

  it('migrates a version 1 snapshot (before the room log) into the current code: the seat resumes', async () => {
    const { cluster, b, code, sessionToken } = await roomWithStoredSnapshot(({ seq: _s, epoch: _e, ...room }) => JSON.stringify({ ...room, v: 1 }));
    const phone = b.phone();
    const resumed = await cluster.until(b.run(phone, code, { op: 'resume', member: { socketId: phone.socketId, nodeId: 'b' }, sessionToken }, 'player'));
    expect(resumed.ok, JSON.stringify(resumed)).toBe(true);
    expect(b.registry.get(code)!.state.playerOrder).toHaveLength(1);
    cluster.stop();
  });

  it.each([
    ['an unknown version', (room: Record<string, unknown>) => JSON.stringify({ ...room, v: 99 })],
    ['a malformed state', (room: Record<string, unknown>) => JSON.stringify({ ...room, state: { ...(room.state as object), players: 'nobody' } })],
    ['no JSON at all', () => '{"v":2,"seq":'],
  ])('refuses %s: the room is closed cleanly (logged, counted), never half-loaded', async (_what, make) => {
    const { cluster, b, code, sessionToken } = await roomWithStoredSnapshot(make);
    const phone = b.phone();
    const resumed = await cluster.until(b.run(phone, code, { op: 'resume', member: { socketId: phone.socketId, nodeId: 'b' }, sessionToken }, 'player'));
    expect(resumed).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(b.registry.get(code)).toBeUndefined();
    expect(await cluster.log.load(code)).toEqual({ snapshot: null, first: 1, entries: [] });
    const metric = await b.metrics.roomLogProblems.get();
    expect(metric.values.find((v) => v.labels.kind === 'snapshot-refused')?.value).toBe(1);
    cluster.stop();
  });

  it('names the problem of a refused snapshot', () => {
    expect(decodeSnapshot('{"v":3}')).toEqual({ ok: false, reason: 'unknown version 3' });
    expect(decodeSnapshot('[]')).toEqual({ ok: false, reason: 'unknown version undefined' });
    expect(decodeSnapshot('nope')).toEqual({ ok: false, reason: 'not JSON' });
  });
});
