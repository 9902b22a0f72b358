import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeek } from '../../server/storage/types.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { apiCall } from '../helpers/http.js';
import { makeBank } from '../helpers/questions.js';
import { expectNoSecrets } from '../helpers/secrets.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

const bank = makeBank(6);
const EXPLANATION = bank.questions[0]!.explanation; // the synthetic bank shares one explanation

const redis = usePrivateRedis();

const expectNoSecretsBeforeTheEnd = (bots: Bot[]) => expectNoSecrets(bots, EXPLANATION, (v) => v.phase !== 'finished', 5);

describe.each<StoreKind>(['memory', 'redis'])('a room mock exam over real sockets (%s store)', (kind) => {
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

  it('3 players take a 5-question exam: one submits early, the clock ends it for the rest; debriefs and the group view are right', async () => {
    table = await setTable(server.url, ['Ana', 'Ben', 'Cai'], { mode: 'exam', questionCount: 5, examMinutes: 2, passPercent: 60 });
    const clock = server.clock!;
    const room = server.registry.get(table.code)!;
    const [ana, ben, cai] = table.players;
    expect((await table.host.call('host:command', { command: 'start' })).ok).toBe(true);

    const started = await ben!.bot.view((v) => v.phase === 'exam');
    const exam = started.exam!;
    expect(exam.total).toBe(5);
    expect(exam.deadline).toBe(clock.now() + 2 * 60_000);
    expect(exam.questions!.map((q) => q.id)).toEqual(room.state.questions.map((q) => q.question.id));
    expect(exam.mine).toEqual({ answers: [null, null, null, null, null], flags: [false, false, false, false, false], submitted: false });
    const ids = exam.questions!.map((q) => q.id);
    const solution = (i: number) => room.state.questions[i]!.solution.answer;
    // Choice order is shuffled per room: pick any index outside the solution.
    const wrong = (i: number) => [[...exam.questions![i]!.choices.keys()].find((c) => !solution(i).includes(c))!];
    const answer = (bot: Bot, i: number, choices: number[]) => bot.call('exam:answer', { questionId: ids[i]!, choices });

    // Ana answers out of order, changes one answer, flags one and submits early: 5 / 5.
    for (const i of [4, 2, 0, 1, 3]) expect(await answer(ana!.bot, i, i === 2 ? wrong(i) : solution(i))).toMatchObject({ ok: true, accepted: true });
    expect(await answer(ana!.bot, 2, solution(2))).toMatchObject({ ok: true });
    expect(await ana!.bot.call('exam:flag', { questionId: ids[3]!, flagged: true })).toMatchObject({ ok: true, accepted: true });
    clock.advance(30_000);
    const submitted = await ana!.bot.call('exam:submit', {});
    if (!submitted.ok) throw new Error(submitted.error.message);
    expect(submitted.view.exam!.mine).toMatchObject({ submitted: true, flags: [false, false, false, true, false] });
    expect(submitted.view.phase).toBe('exam');

    // Bad input: clear codes, nothing changes.
    const before = room.state;
    expect(await answer(ana!.bot, 0, wrong(0))).toMatchObject({ ok: false, error: { code: 'ALREADY_SUBMITTED' } });
    expect(await ana!.bot.call('exam:submit', {})).toMatchObject({ ok: false, error: { code: 'ALREADY_SUBMITTED' } });
    expect(await ben!.bot.call('exam:answer', { questionId: 'not-in-this-exam', choices: [0] })).toMatchObject({ ok: false, error: { code: 'STALE_QUESTION' } });
    expect(await ben!.bot.raw('exam:answer', { questionId: ids[0], choices: 'A' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ben!.bot.call('player:answer', { questionId: ids[0]!, choices: [0] })).toMatchObject({ ok: false, error: { code: 'WRONG_PHASE' } });
    expect(await table.host.call('exam:submit', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(room.state).toBe(before);

    // Ben: 3 right, 1 wrong, 1 blank (60%: pass at 60). Cai: 1 right (20%).
    for (const i of [0, 1, 2]) await answer(ben!.bot, i, solution(i));
    await answer(ben!.bot, 3, wrong(3));
    await answer(cai!.bot, 4, solution(4));

    // The host sees progress counts, never choices.
    const progress = await table.host.view((v) => v.exam?.progress?.find((p) => p.name === 'Cai')?.answered === 1);
    expect(progress.exam!.progress!.map((p) => [p.name, p.answered, p.submitted])).toEqual([
      ['Ana', 5, true],
      ['Ben', 4, false],
      ['Cai', 1, false],
    ]);
    expect(progress.exam!.submittedCount).toBe(1);
    expect(progress.exam!.questions).toBeNull();

    // The clock runs out for Ben and Cai.
    clock.advance(90_000);
    const [anaEnd, benEnd, caiEnd, hostEnd] = await Promise.all([ana!, ben!, cai!].map((p) => p.bot.view((v) => v.phase === 'finished')).concat(table.host.view((v) => v.phase === 'finished')));
    expect(anaEnd!.exam!.result).toMatchObject({ correct: 5, total: 5, percent: 100, passMark: 60, passed: true, timedOut: false });
    expect(benEnd!.exam!.result).toMatchObject({ correct: 3, percent: 60, passed: true, timedOut: true });
    expect(caiEnd!.exam!.result).toMatchObject({ correct: 1, percent: 20, passed: false, timedOut: true });
    const anaQuestions = anaEnd!.exam!.result!.questions;
    expect(anaQuestions.map((q) => q.id)).toEqual(ids);
    expect(anaQuestions.every((q) => q.explanation === EXPLANATION && q.correct)).toBe(true);
    expect(anaQuestions[3]!.flagged).toBe(true);
    expect(benEnd!.exam!.result!.questions[3]).toMatchObject({ yourAnswer: wrong(3), correctChoices: solution(3), correct: false });
    expect(benEnd!.exam!.result!.questions[4]!.yourAnswer).toBeNull();
    expect(benEnd!.exam!.result!.byDomain.reduce((s, d) => s + d.total, 0)).toBe(5);
    expect(anaEnd!.exam!.group).toBeNull();

    const group = hostEnd!.exam!.group!;
    expect(group.players.map((p) => [p.name, p.correct, p.percent, p.passed, p.submitted])).toEqual([
      ['Ana', 5, 100, true, true],
      ['Ben', 3, 60, true, false],
      ['Cai', 1, 20, false, false],
    ]);
    expect(group.byDomain.reduce((s, d) => s + d.total, 0)).toBe(15);
    expect(group.byDomain.reduce((s, d) => s + d.correct, 0)).toBe(9);
    expect(hostEnd!.exam!.result).toBeNull();
    expect(await answer(cai!.bot, 0, solution(0))).toMatchObject({ ok: false, error: { code: 'LATE' } });
    expectNoSecretsBeforeTheEnd([table.host, ...table.players.map((p) => p.bot)]);

    // Every question's outcome reached the store: weekly points and per-domain stats.
    await room.flushed();
    // Exam points (1 per question) go on the exam board, never mixed with quiz points.
    const week = isoWeek(new Date(clock.now()));
    const weekly = await server.store.weeklyTop(week, 10, 'exam');
    expect(weekly.map((e) => [e.name, e.points])).toEqual([
      ['Ana', 5],
      ['Ben', 3],
      ['Cai', 1],
    ]);
    expect(weekly.map((e) => e.key)).toEqual(table.players.map((p) => `seat:${p.playerId}`));
    expect((await server.store.weeklyTop(week, 10, 'quiz')).filter((e) => weekly.some((x) => x.key === e.key))).toEqual([]);
    const benStats = await server.store.playerStats(`seat:${table.players[1]!.playerId}`);
    expect(benStats.reduce((s, d) => s + d.answered, 0)).toBe(4);
    expect(benStats.reduce((s, d) => s + d.correct, 0)).toBe(3);
    expect((await server.store.roomTop(table.code, 3)).map((e) => e.score)).toEqual([5, 3, 1]);

    // The results export covers the exam too.
    const exported = await table.host.call('host:export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.export.mode).toBe('exam');
    expect(exported.export.questions).toHaveLength(5);
    expect(exported.export.answers).toHaveLength(10);
    closeTable(table);
  });

  it('a player who joined with a practice profile finds the room exam in their exam history, with the same debrief', async () => {
    const profile = await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Fay' });
    const token = profile.json.token as string;
    const host = await Bot.connect(server.url);
    const fay = await Bot.connect(server.url);
    try {
      const created = await host.call('room:create', { protocol: PROTOCOL_VERSION, settings: { mode: 'exam', questionCount: 3, examMinutes: 5, passPercent: 60 } });
      if (!created.ok) throw new Error(created.error.message);
      expect((await fay.call('room:join', { protocol: PROTOCOL_VERSION, code: created.code, nickname: 'Fay', profileToken: token })).ok).toBe(true);
      await host.call('host:command', { command: 'start' });
      const room = server.registry.get(created.code)!;
      const ids = room.state.questions.map((q) => q.question.id);
      const solution = (i: number) => room.state.questions[i]!.solution.answer;
      const wrong = (i: number) => [[...room.state.questions[i]!.question.choices.keys()].find((c) => !solution(i).includes(c))!];
      await fay.call('exam:answer', { questionId: ids[0]!, choices: solution(0) });
      await fay.call('exam:answer', { questionId: ids[1]!, choices: wrong(1) });
      await fay.call('exam:flag', { questionId: ids[2]!, flagged: true });
      expect((await fay.call('exam:submit', {})).ok).toBe(true);
      const debrief = (await fay.view((v) => v.phase === 'finished')).exam!.result!;
      expect(debrief).toMatchObject({ correct: 1, total: 3, percent: 33, passed: false });
      await room.flushed();

      const history = await apiCall(server.url, 'GET', '/exams', token);
      expect(history.json.exams).toEqual([expect.objectContaining({ roomCode: created.code, status: 'submitted', total: 3, percent: 33, passed: false })]);
      const filed = await apiCall(server.url, 'GET', `/exams/${history.json.exams[0].id}`, token);
      const result = filed.json.result;
      expect(result).toMatchObject({ correct: 1, total: 3, percent: 33, passMark: 60, passed: false, timedOut: false });
      // Same questions and verdicts as the room's debrief, answers in the bank's own choice order.
      expect(result.questions.map((q: { id: string; correct: boolean }) => [q.id, q.correct])).toEqual(debrief.questions.map((q) => [q.id, q.correct]));
      expect(result.questions[0].yourAnswer).toEqual(result.questions[0].correctChoices);
      expect(result.questions[2]).toMatchObject({ yourAnswer: null, flagged: true });
    } finally {
      host.close();
      fay.close();
    }
  });

  it('the exam finishes early once every connected player has submitted', async () => {
    table = await setTable(server.url, ['Dee', 'Eve'], { mode: 'exam', questionCount: 3, examMinutes: 5 });
    const [dee, eve] = table.players;
    await table.host.call('host:command', { command: 'start' });
    const v = await dee!.bot.view((x) => x.phase === 'exam');
    await dee!.bot.call('exam:answer', { questionId: v.exam!.questions![0]!.id, choices: [0] });
    await dee!.bot.call('exam:submit', {});
    const last = await eve!.bot.call('exam:submit', {});
    expect(last).toMatchObject({ ok: true, view: { phase: 'finished' } });
    const end = await dee!.bot.view((x) => x.phase === 'finished');
    expect(end.exam!.result!.total).toBe(3);
    expect(end.exam!.result!.timedOut).toBe(false);
    closeTable(table);
  });
});
