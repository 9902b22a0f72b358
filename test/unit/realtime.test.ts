import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createReducer } from '../../server/game/reducer.js';
import { CoalescedTask } from '../../server/realtime/coalesce.js';
import { LatencyTracker } from '../../server/realtime/latency.js';
import { RoomRegistry } from '../../server/realtime/registry.js';
import { Room } from '../../server/realtime/room.js';
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

  it('restores a room from its snapshot with sessions and timers', async () => {
    const clock = new ManualClock(0);
    // Snapshots are written only for stores other nodes can read: pretend this one is.
    const durable = Object.defineProperty(new MemoryStore(), 'persistent', { value: true });
    const { reg, store } = registry(clock, durable);
    const c = reg.create({ timeLimitSec: 10, getReadySec: 0 });
    if (!c.ok) throw new Error('create');
    c.room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' });
    c.room.addSession('s'.repeat(32), 'p1');
    c.room.dispatch({ type: 'start', by: { role: 'host' } });
    await c.room.flushed();
    const snap = JSON.parse((await store.loadSnapshot(c.room.code))!);
    const restored = Room.restore(snap, {
      reduce: createReducer(makeBank(4)),
      clock,
      store,
      log: pino({ level: 'silent' }),
      outbox: { emit: () => {}, unbound: () => {} },
      snapshotTtlMs: 60_000,
    });
    expect(restored.playerForSession('s'.repeat(32))).toBe('p1');
    expect(restored.isHostToken(c.hostToken)).toBe(true);
    clock.advance(10_000);
    expect(restored.state.phase).toBe('reveal');
  });

  it('keeps the join links in its snapshot; a loopback link never replaces one phones can reach', async () => {
    const clock = new ManualClock(0);
    const durable = Object.defineProperty(new MemoryStore(), 'persistent', { value: true });
    const { reg, store } = registry(clock, durable);
    const c = reg.create({ getReadySec: 0 });
    if (!c.ok) throw new Error('create');
    const lan = { url: `http://192.168.1.20:3000/join/${c.room.code}`, lanUrls: [], loopbackOnly: false, source: 'host-address' as const };
    c.room.setJoinLinks(lan);
    c.room.setJoinLinks({ url: `http://localhost:3000/join/${c.room.code}`, lanUrls: [lan.url], loopbackOnly: true, source: 'host-address' });
    c.room.attach({ socketId: 'h', nodeId: 'local', role: 'host', playerId: null });
    expect(c.room.view('h')!.join).toEqual(lan);
    c.room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' });
    clock.advance(100); // routine changes are snapshotted after a short delay
    await c.room.flushed();
    const restored = Room.restore(JSON.parse((await store.loadSnapshot(c.room.code))!), {
      reduce: createReducer(makeBank(4)),
      clock,
      store,
      log: pino({ level: 'silent' }),
      outbox: { emit: () => {}, unbound: () => {} },
      snapshotTtlMs: 60_000,
    });
    restored.attach({ socketId: 'h2', nodeId: 'local', role: 'host', playerId: null });
    expect(restored.view('h2')!.join).toEqual(lan);
  });

  it('writes no snapshots to a store only this process can read', async () => {
    const clock = new ManualClock(0);
    const { reg, store } = registry(clock);
    const c = reg.create();
    if (!c.ok) throw new Error('create');
    c.room.dispatch({ type: 'join', playerId: 'p1', name: 'Ana' });
    c.room.dispatch({ type: 'start', by: { role: 'host' } });
    clock.advance(5_000);
    await c.room.flushed();
    expect(await store.loadSnapshot(c.room.code)).toBeNull();
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
