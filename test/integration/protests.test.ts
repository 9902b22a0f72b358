import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomView } from '../../shared/protocol/views.js';
import { isoWeek } from '../../server/storage/types.js';
import { makeBank } from '../helpers/questions.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const redis = usePrivateRedis();

describe.each<StoreKind>(['memory', 'redis'])('protests over real sockets (%s store)', (kind) => {
  let server: TestServer;
  let table: Table | undefined;

  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url), manualClock: true });
  });
  afterAll(async () => {
    closeTable(table);
    await server.close();
    await server.store.close();
  });

  const room = () => server.registry.get(table!.code)!;
  const current = () => room().state.questions[room().state.round!.index]!;
  const wrong = () => [[0, 1, 2, 3].find((i) => !current().solution.answer.includes(i))!];
  const bot = (i: number) => table!.players[i]!.bot;
  const id = (i: number) => table!.players[i]!.playerId;
  const phase = (p: RoomView['phase'], index: number) => (v: RoomView) => v.phase === p && v.question?.index === index;

  /** Ana right at 1 s, Ben wrong at 5 s (20 s limit): 1000 and 0 points. */
  async function playQuestion(index: number) {
    await Promise.all([bot(0).view(phase('question', index)), bot(1).view(phase('question', index))]);
    const qid = current().question.id;
    server.clock!.advance(1_000);
    expect(await bot(0).call('player:answer', { questionId: qid, choices: current().solution.answer })).toMatchObject({ ok: true });
    server.clock!.advance(4_000);
    expect(await bot(1).call('player:answer', { questionId: qid, choices: wrong() })).toMatchObject({ ok: true });
    await bot(1).view(phase('reveal', index));
    return qid;
  }

  it('a void and a re-score: scores, export, flags and the weekly board agree', async () => {
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 3, timeLimitSec: 20, streakBonus: false });
    const host = table.host;
    expect(await host.call('host:command', { command: 'start' })).toMatchObject({ ok: true });

    // Question 1: Ben protests before the reveal (refused), then at the reveal; the host voids it.
    await Promise.all([bot(0).view(phase('question', 0)), bot(1).view(phase('question', 0))]);
    const early = await bot(1).call('player:protest', { questionId: current().question.id, reason: 'too soon' });
    expect(early).toMatchObject({ ok: false, error: { code: 'NOT_REVEALED' } });
    expect(room().state.protests).toEqual([]);
    server.clock!.advance(1_000);
    await bot(0).call('player:answer', { questionId: current().question.id, choices: current().solution.answer });
    server.clock!.advance(4_000);
    await bot(1).call('player:answer', { questionId: current().question.id, choices: wrong() });
    await bot(1).view(phase('reveal', 0));
    const q1 = room().state.results[0]!.questionId;

    const filed = await bot(1).call('player:protest', { questionId: q1, reason: 'The docs say B works too' });
    expect(filed).toMatchObject({ ok: true, view: { me: { protest: { id: `0:${id(1)}`, decision: null } } } });
    const seen = await host.view((v) => (v.protests ?? []).length === 1);
    expect(seen.protests![0]).toMatchObject({ name: 'Ben', questionId: q1, reason: 'The docs say B works too', decision: null });
    expect(await bot(1).call('player:protest', { questionId: q1, reason: 'again' })).toMatchObject({ ok: false, error: { code: 'ALREADY_PROTESTED' } });
    expect(await bot(0).call('host:protest', { protestId: `0:${id(1)}`, decision: 'void' })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    const voided = await host.call('host:protest', { protestId: `0:${id(1)}`, decision: 'void' });
    expect(voided).toMatchObject({ ok: true, view: { reveal: { voided: true } } });
    expect(await host.call('host:protest', { protestId: `0:${id(1)}`, decision: 'reject' })).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });
    const benView = await bot(1).view((v) => v.me?.protest?.decision === 'void');
    expect(benView.me!.score).toBe(0);
    await bot(0).view((v) => v.me?.score === 0);

    // Question 2: Ben protests and the host re-scores his answer (5 s of 20 s: 875).
    await host.call('host:command', { command: 'next' });
    await host.call('host:command', { command: 'next' });
    const q2 = await playQuestion(1);
    expect(await bot(1).call('player:protest', { questionId: q2, reason: 'C is right in 1.18' })).toMatchObject({ ok: true });
    expect(await host.call('host:protest', { protestId: `1:${id(1)}`, decision: 'rescore' })).toMatchObject({ ok: true });
    const rescored = await bot(1).view((v) => v.me?.protest?.decision === 'rescore');
    expect(rescored.me).toMatchObject({ score: 875, lastResult: { correct: true, points: 875 } });

    // Question 3: Ana protests her right answer; rejected.
    await host.call('host:command', { command: 'next' });
    await host.call('host:command', { command: 'next' });
    const q3 = await playQuestion(2);
    expect(await bot(0).call('player:protest', { questionId: q3, reason: 'just checking' })).toMatchObject({ ok: true });
    expect(await host.call('host:protest', { protestId: `2:${id(0)}`, decision: 'rescore' })).toMatchObject({ ok: false, error: { code: 'ALREADY_CORRECT' } });
    expect(await host.call('host:protest', { protestId: `2:${id(0)}`, decision: 'reject' })).toMatchObject({ ok: true });
    await host.call('host:command', { command: 'next' });
    await host.call('host:command', { command: 'next' });
    await bot(0).view((v) => v.phase === 'finished');
    await room().flushed();

    const scores = Object.fromEntries(Object.values(room().state.players).map((p) => [p.name, p.score]));
    expect(scores).toEqual({ Ana: 1950, Ben: 875 });
    const exported = await host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.export.players.map((p) => [p.name, p.score])).toEqual([['Ana', 1950], ['Ben', 875]]);
    expect(exported.export.questions.map((q) => q.voided)).toEqual([true, false, false]);
    expect(exported.export.protests!.map((p) => [p.name, p.questionId, p.decision])).toEqual([
      ['Ben', q1, 'void'],
      ['Ben', q2, 'rescore'],
      ['Ana', q3, 'reject'],
    ]);

    // The weekly board equals the final scores; so does the room's stored leaderboard.
    const week = isoWeek(new Date(server.clock!.now()));
    const weekly = (await (await fetch(`${server.url}/api/leaderboards/weekly?week=${week}`)).json()) as { entries: { name: string; points: number }[] };
    expect(weekly.entries.map((e) => [e.name, e.points])).toEqual([['Ana', 1950], ['Ben', 875]]);
    const roomBoard = await server.store.roomTop(table.code, 10);
    expect(roomBoard.map((s) => [s.name, s.score])).toEqual([['Ana', 1950], ['Ben', 875]]);
    // Ana's stats: the voided question is gone, two answered and right remain; Ben: one right (re-scored) of two.
    const totals = async (key: string) =>
      (await server.store.playerStats(key)).reduce((t, d) => ({ answered: t.answered + d.answered, correct: t.correct + d.correct, timeMs: t.timeMs + d.totalTimeMs }), { answered: 0, correct: 0, timeMs: 0 });
    expect(await totals(`seat:${id(0)}`)).toEqual({ answered: 2, correct: 2, timeMs: 2_000 });
    expect(await totals(`seat:${id(1)}`)).toEqual({ answered: 2, correct: 1, timeMs: 10_000 });

    // The decisions are listed with the questions' flags.
    const flags = (await (await fetch(`${server.url}/api/questions/flags`)).json()) as { flags: { questionId: string; protests: { roomCode?: string; decision: string | null; reason: string }[] }[] };
    const of = (q: string) => flags.flags.find((f) => f.questionId === q)?.protests;
    expect(of(q1)).toEqual([expect.objectContaining({ decision: 'void', reason: 'The docs say B works too' })]);
    // The public listing never names the room: its code would let anyone into a room still playing.
    expect(JSON.stringify(flags)).not.toContain(table.code);
    expect(of(q2)).toEqual([expect.objectContaining({ decision: 'rescore' })]);
    expect(of(q3)).toEqual([expect.objectContaining({ decision: 'reject' })]);

    // After the end: no new protest.
    expect(await bot(1).call('player:protest', { questionId: q3, reason: 'late' })).toMatchObject({ ok: false, error: { code: 'WRONG_PHASE' } });
    closeTable(table);
    table = undefined;
  });

  it('bad input gets clear codes and stores nothing', async () => {
    table = await setTable(server.url, ['Cai'], { questionCount: 2, timeLimitSec: 20 });
    await table.host.call('host:command', { command: 'start' });
    await bot(0).view(phase('question', 0));
    const qid = current().question.id;
    const cases: [unknown, string][] = [
      [{ questionId: qid }, 'BAD_REQUEST'],
      [{ questionId: qid, reason: 'x'.repeat(2_001) }, 'BAD_REQUEST'],
      [{ questionId: qid, reason: 'ok', extra: 1 }, 'BAD_REQUEST'],
      [{ questionId: 'no-such-question', reason: 'hm' }, 'UNKNOWN_QUESTION'],
      [{ questionId: qid, reason: 'not yet' }, 'NOT_REVEALED'],
    ];
    for (const [payload, code] of cases) expect(await bot(0).raw('player:protest', payload)).toMatchObject({ ok: false, error: { code } });
    await bot(0).call('player:answer', { questionId: qid, choices: wrong() });
    await bot(0).view(phase('reveal', 0));
    expect(await bot(0).call('player:protest', { questionId: qid, reason: '\u200B\u200B' })).toMatchObject({ ok: false, error: { code: 'REASON_INVALID' } });
    expect(await bot(0).call('player:protest', { questionId: qid, reason: 'x'.repeat(301) })).toMatchObject({ ok: false, error: { code: 'REASON_INVALID' } });
    expect(await table.host.call('host:protest', { protestId: `0:${id(0)}`, decision: 'void' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROTEST' } });
    expect(await table.host.raw('host:protest', { protestId: '__proto__', decision: 'void' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await table.host.raw('host:protest', { protestId: `0:${id(0)}`, decision: 'maybe' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(room().state.protests).toEqual([]);
    await room().flushed();
    const flags = await server.store.listFlags(500);
    expect(flags.flatMap((f) => f.protests).filter((p) => p.roomCode === table!.code)).toEqual([]);
  });
});
