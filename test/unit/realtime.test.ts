import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createReducer } from '../../server/game/reducer.js';
import { CoalescedTask } from '../../server/realtime/coalesce.js';
import { LatencyTracker } from '../../server/realtime/latency.js';
import { RoomRegistry } from '../../server/realtime/registry.js';
import { executeCall } from '../../server/realtime/room-calls.js';
import { OneProcessCluster } from '../helpers/one-process-cluster.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { makeBank } from '../helpers/questions.js';

function registry(clock: ManualClock, store = new MemoryStore()) {
  const sent: { socketId: string; event: string; payload: unknown }[] = [];
  const unbound: string[] = [];
  const reg = new RoomRegistry({
    reduce: createReducer(makeBank(4)),
    clock,
    store,
    log: pino({ level: 'silent' }),
    outbox: { emit: (socketId, event, ...args) => void sent.push({ socketId, event, payload: args[0] }), unbound: (m) => void unbound.push(m.socketId) },
    roomCap: 300,
    idleMs: 30 * 60_000,
    defaultBuzzCapMs: 250,
    broadcastThrottleMs: 100,
  });
  return { reg, sent, unbound, store };
}

describe('room lifecycle', () => {
  it('closes a room after the idle time and tells its members', () => {
    const clock = new ManualClock(0);
    const { reg, sent, unbound } = registry(clock);
    const created = reg.create();
    if (!created.ok) throw new Error('create');
    created.room.attach({ socketId: 's1', nodeId: 'local', role: 'host', playerId: null });
    reg.startSweeping(60_000);
    clock.advance(29 * 60_000);
    expect(reg.get(created.room.code)).toBeDefined();
    created.room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' }); // activity resets the idle clock
    clock.advance(29 * 60_000);
    expect(reg.get(created.room.code)).toBeDefined();
    clock.advance(2 * 60_000);
    expect(reg.get(created.room.code)).toBeUndefined();
    expect(sent).toContainEqual({ socketId: 's1', event: 'room:closed', payload: { code: created.room.code, reason: 'expired' } });
    expect(unbound).toEqual(['s1']);
  });

  it('gives each room an unguessable host token and a room code from the unambiguous alphabet', () => {
    const { reg } = registry(new ManualClock(0));
    const codes = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = reg.create();
      if (!c.ok) throw new Error('create');
      expect(c.room.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
      expect(c.hostToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(c.room.isHostToken(c.hostToken)).toBe(true);
      expect(c.room.isHostToken(c.hostToken.slice(1) + 'x')).toBe(false);
      codes.add(c.room.code);
    }
    expect(codes.size).toBe(200);
  });

  it('refuses invalid settings at creation', () => {
    const { reg } = registry(new ManualClock(0));
    expect(reg.create({ timeLimitSec: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('timeLimitSec') });
  });

  it('runs timers from the injected clock and throttles routine broadcasts', () => {
    const clock = new ManualClock(0);
    const { reg, sent } = registry(clock);
    const c = reg.create({ timeLimitSec: 10, getReadySec: 0 });
    if (!c.ok) throw new Error('create');
    const room = c.room;
    room.attach({ socketId: 'h', nodeId: 'local', role: 'host', playerId: null });
    room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' });
    room.dispatch({ type: 'join', playerId: 'p2', name: 'Ben' });
    room.dispatch({ type: 'start', by: { role: 'host' } });
    const views = () => sent.filter((s) => s.event === 'room:view').length;
    const before = views();
    const qid = room.state.questions[0]!.question.id;
    room.dispatch({ type: 'answer', playerId: 'p1', questionId: qid, choices: [0] });
    expect(views()).toBe(before); // an answer count waits for the throttle
    clock.advance(100);
    expect(views()).toBe(before + 1);
    clock.advance(9_900); // the question deadline fires from the room's own timer
    expect(room.state.phase).toBe('reveal');
    expect(views()).toBe(before + 2);
  });

  it('acks at once and keeps no log in memory mode (one node, nothing to take over)', () => {
    const clock = new ManualClock(0);
    const { reg } = registry(clock);
    const c = reg.create();
    if (!c.ok) throw new Error('create');
    expect(c.room.journal).toBeNull();
    const result = executeCall(c.room, { op: 'join', member: { socketId: 's1', nodeId: 'local' }, nickname: 'Ana', team: null, profileId: null });
    expect(result instanceof Promise).toBe(false);
    expect((result as { ok: boolean }).ok).toBe(true);
  });
});

describe('room restore from snapshot + log (one-process cluster)', () => {
  it('a takeover keeps sessions, join links and running deadlines', async () => {
    const cluster = new OneProcessCluster(makeBank(4));
    const a = cluster.node('a');
    const b = cluster.node('b');
    const created = await a.directory.open({ timeLimitSec: 10, getReadySec: 0 });
    if (!created.ok) throw new Error('create');
    const code = created.room.code;
    const lan = { url: `http://192.168.1.20:3000/join/${code}`, lanUrls: [], loopbackOnly: false, source: 'host-address' as const };
    await executeCall(created.room, { op: 'host-attach', member: { socketId: 'h', nodeId: 'a' }, hostToken: created.hostToken, join: lan });
    // A loopback link never replaces one phones can reach.
    await executeCall(created.room, { op: 'host-attach', member: { socketId: 'h', nodeId: 'a' }, hostToken: created.hostToken, join: { ...lan, url: `http://localhost:3000/join/${code}`, loopbackOnly: true } });
    const phone = a.phone();
    const joined = (await cluster.until(a.run(phone, code, { op: 'join', member: { socketId: phone.socketId, nodeId: 'a' }, nickname: 'Ana', team: null, profileId: null }, 'player'))) as { ok: true; sessionToken: string; playerId: string };
    await cluster.until(Promise.resolve(executeCall(created.room, { op: 'act', member: { socketId: 'h', nodeId: 'a', role: 'host', playerId: null }, action: { type: 'start', by: { role: 'host' } }, reply: 'view' })));
    a.crash();

    const other = b.phone();
    const resumed = await cluster.until(b.run(other, code, { op: 'resume', member: { socketId: other.socketId, nodeId: 'b' }, sessionToken: joined.sessionToken }, 'player'));
    expect(resumed.ok && 'playerId' in resumed && resumed.playerId).toBe(joined.playerId);
    const room = b.registry.get(code)!;
    expect(room.isHostToken(created.hostToken)).toBe(true);
    expect(room.state.phase).toBe('question');
    room.attach({ socketId: 'h2', nodeId: 'b', role: 'host', playerId: null });
    expect(room.view('h2')!.join).toEqual(lan);
    await cluster.advance(10_000); // the question's deadline fires on the new owner
    expect(room.state.phase).toBe('reveal');
    cluster.stop();
  });
});

describe('latency estimate', () => {
  it('is half the median of the last round trips, 0 before any sample', () => {
    const t = new LatencyTracker(5);
    expect(t.oneWayMs()).toBe(0);
    for (const rtt of [300, 20, 310, 290, 5000]) t.add(rtt);
    expect(t.oneWayMs()).toBe(150);
    t.add(-1);
    t.add(Number.NaN);
    expect(t.oneWayMs()).toBe(150);
  });
});

describe('coalesced task', () => {
  it('folds routine requests into one run and runs urgent ones at once', () => {
    const clock = new ManualClock(0);
    let runs = 0;
    const task = new CoalescedTask(clock, 100, () => runs++);
    task.request(false);
    task.request(false);
    expect(runs).toBe(0);
    clock.advance(100);
    expect(runs).toBe(1);
    task.request(false);
    task.request(true);
    expect(runs).toBe(2);
    clock.advance(1_000);
    expect(runs).toBe(2);
  });
});
