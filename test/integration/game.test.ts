import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { makeBank } from '../helpers/questions.js';
import { expectNoSecrets } from '../helpers/secrets.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';
import type { Bot } from '../helpers/bot.js';
import { isoWeek } from '../../server/storage/types.js';

const bank = makeBank(6);
const EXPLANATION = bank.questions[0]!.explanation; // the synthetic bank shares one explanation

const redis = usePrivateRedis();

const expectNoSecretsBeforeReveal = (bots: Bot[]) => expectNoSecrets(bots, EXPLANATION, (v) => v.phase === 'question' || v.phase === 'lobby', 10);

describe.each<StoreKind>(['memory', 'redis'])('full games over real sockets (%s store)', (kind) => {
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
  const solution = () => room().state.questions[room().state.round!.index]!.solution.answer;
  const wrongChoice = () => [[0, 1, 2, 3].find((i) => !solution().includes(i))!];
  const qid = () => room().state.questions[room().state.round!.index]!.question.id;
  const answer = (i: number, choices: number[]) => table!.players[i]!.bot.call('player:answer', { questionId: qid(), choices });
  const buzz = (i: number) => table!.players[i]!.bot.call('player:buzz', { questionId: qid() });
  const command = (c: 'start' | 'next' | 'reveal') => table!.host.call('host:command', { command: c });
  const phase = (p: RoomView['phase'], index?: number) => (v: RoomView) => v.phase === p && (index === undefined || v.question?.index === index);

  it('plays a whole Classic game; final scores follow the brief', async () => {
    table = await setTable(server.url, ['Ana', 'Ben', 'Cai'], { mode: 'classic', questionCount: 3, timeLimitSec: 20 });
    const clock = server.clock!;
    const [ana, ben, cai] = table.players;
    expect((await command('start')).ok).toBe(true);
    await ana!.bot.view(phase('question', 0));

    // Q1: Ana 0.3 s (full points), Ben 3 s (925), Cai wrong; everyone answered: early reveal.
    clock.advance(300);
    expect(await answer(0, solution())).toEqual({ ok: true, accepted: true, receivedAt: clock.now(), alreadyRecorded: false });
    clock.advance(2_700);
    await answer(1, solution());
    await answer(2, wrongChoice());
    let v = await ana!.bot.view(phase('reveal'));
    expect(v.me!.lastResult).toMatchObject({ correct: true, points: 1000 });
    expect(v.reveal!.explanation).toBe(EXPLANATION);
    await command('next');
    await ben!.bot.view(phase('leaderboard'));
    await command('next');
    await ben!.bot.view(phase('question', 1));

    // Q2: Ana instantly (+100 streak), Ben silent, Cai at 10 s (750); closes at the deadline.
    await answer(0, solution());
    clock.advance(10_000);
    await answer(2, solution());
    clock.advance(10_000);
    await cai!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    await cai!.bot.view(phase('question', 2));

    // Q3: everyone instantly. Streaks: Ana 3rd in a row (+200), Ben restarts, Cai 2nd (+100).
    for (const i of [0, 1, 2]) await answer(i, solution());
    await ana!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    v = await ana!.bot.view(phase('finished'));
    expect(v.final!.podium.map((p) => [p.name, p.score])).toEqual([
      ['Ana', 3300],
      ['Ben', 1925],
      ['Cai', 1850],
    ]);
    expectNoSecretsBeforeReveal([table.host, ...table.players.map((p) => p.bot)]);

    await room().flushed();
    const weekly = await server.store.weeklyTop(isoWeek(new Date(clock.now())), 10);
    expect(weekly.map((e) => [e.name, e.points])).toEqual([
      ['Ana', 3300],
      ['Ben', 1925],
      ['Cai', 1850],
    ]);
    const caiStats = await server.store.playerStats(`seat:${cai!.playerId}`);
    expect(caiStats.reduce((s, d) => s + d.answered, 0)).toBe(3);
    expect(caiStats.reduce((s, d) => s + d.correct, 0)).toBe(2);
    expect((await server.store.roomTop(table.code, 3)).map((e) => e.score)).toEqual([3300, 1925, 1850]);

    // The host downloads the results; they match the game just played.
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.export.players.map((p) => [p.name, p.score, p.rank])).toEqual([
      ['Ana', 3300, 1],
      ['Ben', 1925, 2],
      ['Cai', 1850, 3],
    ]);
    expect(exported.export.questions).toHaveLength(3);
    expect(exported.export.answers.filter((a) => a.name === 'Ben').map((a) => a.points)).toEqual([925, 1000]);
    expect(await ana!.bot.call('host:export', {})).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });

    // A player flags a question of this game; it shows up in the flag list.
    const flagged = exported.export.questions[1]!.id;
    expect(await ben!.bot.call('question:flag', { questionId: flagged, reason: 'two choices look right' })).toEqual({ ok: true, recorded: true });
    expect(await ben!.bot.call('question:flag', { questionId: flagged, reason: 'again' })).toEqual({ ok: true, recorded: false });
    expect(await ben!.bot.call('question:flag', { questionId: 'not-in-this-game', reason: 'hmm' })).toMatchObject({ ok: false, error: { code: 'STALE_QUESTION' } });
    const flags = (await (await fetch(`${server.url}/api/questions/flags`)).json()) as { flags: { questionId: string; count: number }[] };
    expect(flags.flags).toContainEqual(expect.objectContaining({ questionId: flagged, count: 1 }));
    closeTable(table);
  });

  it('plays a whole Buzz-in game; power, neg and lock-out follow the brief', async () => {
    table = await setTable(server.url, ['Ana', 'Ben', 'Cai'], { mode: 'buzz', questionCount: 3, timeLimitSec: 20, wordsPerSecond: 2, buzzCompensation: false });
    const clock = server.clock!;
    const [ana, ben, cai] = table.players;
    await command('start');
    let v = await ben!.bot.view(phase('question', 0));
    expect(v.question!.choices).toBeNull();

    // Q1: Ana buzzes while the prompt is still revealing and is right: +15 (power).
    clock.advance(1_000);
    expect(await buzz(0)).toEqual({ ok: true, accepted: true, receivedAt: clock.now() });
    v = await ana!.bot.view((x) => x.me?.holdsFloor === true);
    expect(v.question!.choices!.length).toBeGreaterThanOrEqual(2);
    expect((await ben!.bot.view((x) => x.question?.buzz?.holder === ana!.playerId)).question!.choices).toBeNull();
    expect(await buzz(1)).toMatchObject({ ok: false, error: { code: 'FLOOR_TAKEN' } });
    await answer(0, solution());
    await ana!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    await ana!.bot.view(phase('question', 1));

    // Q2: after the choices appear Ben is wrong (0, locked out), then Cai is right (+10).
    clock.advance(4_500);
    await ben!.bot.view((x) => x.question?.choices !== null && x.question?.index === 1);
    await buzz(1);
    await answer(1, wrongChoice());
    expect(await buzz(1)).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    await buzz(2);
    await answer(2, solution());
    await cai!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    await cai!.bot.view(phase('question', 2));

    // Q3: Cai buzzes early and is wrong (−5); nobody else answers before time runs out.
    clock.advance(500);
    await buzz(2);
    await answer(2, wrongChoice());
    clock.advance(60_000);
    await cai!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    v = await ana!.bot.view(phase('finished'));
    expect(v.final!.podium.map((p) => [p.name, p.score])).toEqual([
      ['Ana', 15],
      ['Cai', 5],
      ['Ben', 0],
    ]);
    expectNoSecretsBeforeReveal([table.host, ...table.players.map((p) => p.bot)]);
    closeTable(table);
  });

  it('a host who reloads takes control again with the host token', async () => {
    table = await setTable(server.url, ['Ana'], { questionCount: 1 });
    table.host.close();
    const { Bot } = await import('../helpers/bot.js');
    const reloaded = await Bot.connect(server.url);
    const attached = await reloaded.call('host:attach', { protocol: PROTOCOL_VERSION, code: table.code, hostToken: table.hostToken });
    expect(attached).toMatchObject({ ok: true, view: { role: 'host', phase: 'lobby', playerCount: 1 } });
    expect((await reloaded.call('host:command', { command: 'start' })).ok).toBe(true);
    await table.players[0]!.bot.view(phase('question', 0));
    reloaded.close();
    closeTable(table);
  });

  it('a dropped player reconnects with its token: same seat, score and question; its answer counts once', async () => {
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 2, timeLimitSec: 20, streakBonus: false });
    const clock = server.clock!;
    const [ana] = table.players;
    await command('start');
    expect(await table.host.call('host:export', {})).toMatchObject({ ok: false, error: { code: 'WRONG_PHASE' } });
    await answer(0, solution());
    await answer(1, wrongChoice());
    await ana!.bot.view(phase('reveal'));
    await command('next');
    await command('next');
    await ana!.bot.view(phase('question', 1));
    clock.advance(1_000);
    await answer(0, solution()); // 975 points once the question closes
    const q = qid();

    ana!.bot.close();
    await table.host.view((x) => x.leaderboard.some((p) => p.id === ana!.playerId && !p.connected));
    const { Bot } = await import('../helpers/bot.js');
    const again = await Bot.connect(server.url);
    const resumed = await again.call('room:resume', { protocol: PROTOCOL_VERSION, code: table.code, sessionToken: ana!.sessionToken });
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(resumed.playerId).toBe(ana!.playerId);
    expect(resumed.view.me).toMatchObject({ name: 'Ana', score: 1000, myChoices: solution() });
    expect(resumed.view.question!.id).toBe(q);
    // The same answer sent again after the resume (a phone's outbox): acknowledged, counted once; a different one is refused.
    expect(await again.call('player:answer', { questionId: q, choices: solution() })).toMatchObject({ ok: true, alreadyRecorded: true });
    expect(await again.call('player:answer', { questionId: q, choices: wrongChoice() })).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    await table.host.view((x) => x.leaderboard.some((p) => p.id === ana!.playerId && p.connected));

    await answer(1, wrongChoice());
    const v = await again.view(phase('reveal'));
    expect(v.me!.score).toBe(1000 + 975);
    expect(room().state.scoreLog.filter((e) => e.playerId === ana!.playerId && e.questionId === q)).toHaveLength(1);
    again.close();
    closeTable(table);
  });
});
