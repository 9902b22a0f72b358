import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GameClient, type GameSocket } from '../../client/src/lib/game-client.svelte.js';
import { SessionStore, type KeyValue } from '../../client/src/lib/session.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

function memoryKv(): KeyValue {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

/** Polls a condition on the client's reactive fields; the server pushes, the test only waits. */
async function until(check: () => boolean, what: string): Promise<void> {
  await expect.poll(check, { timeout: 5_000, interval: 10, message: what }).toBe(true);
}

describe('GameClient against the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(4), store: new MemoryStore() });
  });
  afterAll(() => server.close());

  const socket = () => io(server.url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100 }) as GameSocket;

  it('hosts, joins, answers, and resumes the same seat after the network drops', async () => {
    const host = new GameClient(new SessionStore(memoryKv()), socket());
    const created = await host.createRoom({ questionCount: 2, timeLimitSec: 30, getReadySec: 0 });
    if (!created.ok) throw new Error(created.error.message);
    const { code } = created.value;
    expect(host.view?.role).toBe('host');

    const kv = memoryKv();
    const player = new GameClient(new SessionStore(kv), socket());
    const joined = await player.join(code, 'Ana');
    expect(joined.ok).toBe(true);
    expect(new SessionStore(kv).player(code)?.playerId).toBe(player.playerId);
    const other = new GameClient(new SessionStore(memoryKv()), socket());
    await other.join(code, 'Ben'); // keeps the question open while Ana answers
    await until(() => host.view?.playerCount === 2, 'host sees the players');

    await host.command('start');
    await until(() => player.view?.phase === 'question', 'question reaches the player');
    expect(await player.answer([0])).toBe(true);
    await until(() => player.view?.me?.myChoices?.[0] === 0, 'own answer reflected');

    // Wi-Fi drops: the transport closes; socket.io reconnects and the client resumes with its token.
    const before = player.playerId;
    (player as unknown as { socket: GameSocket }).socket.io.engine.close();
    await until(() => player.status === 'reconnecting', 'client notices the drop');
    await until(() => player.status === 'online', 'client is back');
    expect(player.playerId).toBe(before);
    expect(player.view?.me?.myChoices).toEqual([0]);
    expect(await player.answer([1])).toBe(false);
    expect(player.notice).toMatch(/already answered/);

    // A reload: a brand-new client with the same storage resumes the seat.
    const reloaded = new GameClient(new SessionStore(kv), socket());
    expect(await reloaded.resumePlayer(code)).toBe(true);
    expect(reloaded.view?.me?.name).toBe('Ana');

    // The host reloads too.
    const hostKv = memoryKv();
    new SessionStore(hostKv).saveHost(code, (host as unknown as { identity: { hostToken: string } }).identity.hostToken);
    const host2 = new GameClient(new SessionStore(hostKv), socket());
    expect(await host2.resumeHost(code)).toBe(true);
    expect(await host2.command('end')).toBe(true);
    await until(() => reloaded.view?.phase === 'finished', 'everyone sees the end');
    for (const c of [host, player, other, reloaded, host2]) c.disconnect();
  });

  it('reports a kicked player and forgets the seat', async () => {
    const host = new GameClient(new SessionStore(memoryKv()), socket());
    const created = await host.createRoom({});
    if (!created.ok) throw new Error('create');
    const kv = memoryKv();
    const player = new GameClient(new SessionStore(kv), socket());
    await player.join(created.value.code, 'Ben');
    await host.kick(player.playerId!);
    await until(() => player.ended === 'kicked', 'kicked notice');
    expect(new SessionStore(kv).player(created.value.code)).toBeNull();
    host.disconnect();
    player.disconnect();
  });

  it('tells a phone its seat opened on another device, and does not take it back after a reconnect', async () => {
    const host = new GameClient(new SessionStore(memoryKv()), socket());
    const created = await host.createRoom({});
    if (!created.ok) throw new Error('create');
    const kv = memoryKv();
    const first = new GameClient(new SessionStore(kv), socket());
    await first.join(created.value.code, 'Ana');
    const second = new GameClient(new SessionStore(kv), socket());
    expect(await second.resumePlayer(created.value.code)).toBe(true);
    await until(() => first.ended === 'replaced', 'the first phone hears it was replaced');
    // Its connection drops and comes back: it must not resume the seat from the second phone.
    (first as unknown as { socket: GameSocket }).socket.io.engine.close();
    await until(() => first.status === 'reconnecting', 'drop noticed');
    await until(() => first.status === 'online', 'back online');
    await host.lock(true);
    await until(() => second.view?.locked === true, 'the second phone still gets views');
    expect(first.view?.locked).toBe(false);
    expect(new SessionStore(kv).player(created.value.code)?.playerId).toBe(second.playerId);
    for (const c of [host, first, second]) c.disconnect();
  });

  it('keeps its own exam sheet from the acks, resumes it after a drop, and adopts the debrief', async () => {
    const host = new GameClient(new SessionStore(memoryKv()), socket());
    const created = await host.createRoom({ mode: 'exam', questionCount: 3, examMinutes: 5 });
    if (!created.ok) throw new Error(created.error.message);
    const player = new GameClient(new SessionStore(memoryKv()), socket());
    await player.join(created.value.code, 'Ana');
    await host.command('start');
    await until(() => player.view?.phase === 'exam', 'the exam reaches the player');
    const questions = player.view!.exam!.questions!;
    const ids = questions.map((q) => q.id);
    const pick = questions[1]!.type === 'multiple' ? [1, 0] : [1];

    expect(await player.examAnswer(ids[1]!, pick)).toBe(true);
    expect(await player.examFlag(ids[2]!, true)).toBe(true);
    expect(player.view!.exam!.mine).toEqual({ answers: [null, [...pick].sort(), null], flags: [false, false, true], submitted: false });
    expect(await player.examAnswer(ids[1]!, [])).toBe(true); // cleared
    expect(player.view!.exam!.mine!.answers[1]).toBeNull();
    expect(await player.examAnswer('not-in-this-exam', [0])).toBe(false);
    expect(player.notice).toMatch(/not part of this exam/);
    await player.examAnswer(ids[0]!, [0]);

    // After a drop the server's copy of the sheet comes back with the view.
    (player as unknown as { socket: GameSocket }).socket.io.engine.close();
    await until(() => player.status === 'reconnecting', 'client notices the drop');
    await until(() => player.status === 'online', 'client is back');
    expect(player.view!.exam!.mine).toEqual({ answers: [[0], null, null], flags: [false, false, true], submitted: false });

    expect(await player.examSubmit()).toBe(true);
    expect(player.view!.phase).toBe('finished');
    expect(player.view!.exam!.result!.total).toBe(3);
    await until(() => host.view?.exam?.group?.players.length === 1, 'the host gets the group view');
    for (const c of [host, player]) c.disconnect();
  });
});
