import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

const P = PROTOCOL_VERSION;

/** Phones on bad Wi-Fi: a drop shorter than the presence grace does not close the question without them. */
describe('presence grace and resent answers over real sockets', () => {
  let server: TestServer;
  let table: Table | undefined;
  const extra: Bot[] = [];

  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(6), store: await makeStore('memory'), manualClock: true, env: { PRESENCE_GRACE_MS: '15000' } });
  });
  afterEach(() => {
    closeTable(table);
    for (const b of extra.splice(0)) b.close();
  });
  afterAll(async () => {
    await server.close();
  });

  const room = () => server.registry.get(table!.code)!;
  const gq = () => room().state.questions[room().state.round!.index]!;
  const answer = (bot: Bot, choices: number[]) => bot.call('player:answer', { questionId: gq().question.id, choices });

  async function dropAndResume(i: number): Promise<Bot> {
    const seat = table!.players[i]!;
    seat.bot.close();
    await table!.host.view((v) => v.leaderboard.some((p) => p.id === seat.playerId && !p.connected));
    const phone = await Bot.connect(server.url);
    extra.push(phone);
    return phone;
  }

  async function resume(phone: Bot, i: number) {
    const r = await phone.call('room:resume', { protocol: P, code: table!.code, sessionToken: table!.players[i]!.sessionToken });
    expect(r.ok).toBe(true);
    return r;
  }

  it('waits for a player back within the grace; their answer counts once, a resend acks "already recorded"', async () => {
    table = await setTable(server.url, ['Ana', 'Ben', 'Cai'], { questionCount: 2, timeLimitSec: 60, streakBonus: false });
    const [ana, ben] = table.players;
    await table.host.call('host:command', { command: 'start' });
    await ana!.bot.view((v) => v.phase === 'question');
    const clock = server.clock!;
    const right = gq().solution.answer;

    const phone = await dropAndResume(2); // Cai's Wi-Fi drops
    clock.advance(1_000);
    const first = await answer(ana!.bot, right);
    expect(first).toMatchObject({ ok: true, alreadyRecorded: false });
    expect((await answer(ben!.bot, right)).ok).toBe(true);
    expect(room().state.phase).toBe('question'); // Cai is still present: no early close

    // Ana's phone resends (its outbox after a reconnect): acknowledged with the first arrival time, not counted again.
    const again = await answer(ana!.bot, [...right].reverse());
    expect(again).toEqual({ ok: true, accepted: true, receivedAt: first.ok ? first.receivedAt : -1, alreadyRecorded: true });

    clock.advance(10_000); // 10 s later, well inside the 15 s grace, Cai is back
    const resumed = await resume(phone, 2);
    expect(resumed.ok && resumed.view.question?.id).toBe(gq().question.id);
    expect(room().state.phase).toBe('question');
    const cai = await answer(phone, right);
    expect(cai).toMatchObject({ ok: true, alreadyRecorded: false });
    const reveal = await phone.view((v) => v.phase === 'reveal');
    expect(reveal.me!.lastResult).toMatchObject({ correct: true });

    // The reveal is on: a resend still says "recorded"; nothing counts twice.
    expect(await answer(phone, right)).toMatchObject({ ok: true, alreadyRecorded: true });
    const qid = gq().question.id;
    for (const p of room().state.playerOrder) expect(room().state.scoreLog.filter((e) => e.playerId === p && e.questionId === qid)).toHaveLength(1);
    expect(room().state.results[0]!.perPlayer[ana!.playerId]!.points).toBe(room().state.players[ana!.playerId]!.score);
  });

  it('after the grace the player is away: the question closes then, and a late tap is refused as too late', async () => {
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 1, timeLimitSec: 60 });
    const [ana] = table.players;
    await table.host.call('host:command', { command: 'start' });
    await ana!.bot.view((v) => v.phase === 'question');
    const clock = server.clock!;
    const q = gq();

    const phone = await dropAndResume(1);
    await answer(ana!.bot, q.solution.answer);
    clock.advance(14_999);
    expect(room().state.phase).toBe('question');
    clock.advance(1);
    await ana!.bot.view((v) => v.phase === 'reveal');

    await resume(phone, 1);
    const late = await phone.call('player:answer', { questionId: q.question.id, choices: q.solution.answer });
    expect(late).toEqual({ ok: false, error: { code: 'LATE', message: 'Too late: the question closed' } });
    expect(room().state.results[0]!.perPlayer[table.players[1]!.playerId]).toBeUndefined();
  });
});
