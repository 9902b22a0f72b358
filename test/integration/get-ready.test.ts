import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBank } from '../helpers/questions.js';
import { expectNoSecrets } from '../helpers/secrets.js';
import { closeTable, makeStore, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

const bank = makeBank(4);

describe('"get ready" over real sockets', () => {
  let server: TestServer;
  let table: Table | undefined;
  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory'), manualClock: true });
  });
  afterAll(async () => {
    closeTable(table);
    await server.close();
  });

  it('every screen gets the announcement with a server deadline, then the question opens with its full time', async () => {
    table = await setTable(server.url, ['Ana', 'Ben'], { questionCount: 1, timeLimitSec: 20, getReadySec: 3 });
    const clock = server.clock!;
    const [ana] = table.players;
    await table.host.call('host:command', { command: 'start' });
    const announced = await ana!.bot.view((v) => v.phase === 'question');
    const startedAt = clock.now();
    expect(announced.question).toMatchObject({ index: 0, opensAt: startedAt + 3_000, opensInMs: 3_000, prompt: '', choices: null, deadline: null });
    const room = server.registry.get(table.code)!;
    const gq = room.state.questions[0]!;
    expect(await ana!.bot.call('player:answer', { questionId: gq.question.id, choices: gq.solution.answer })).toMatchObject({ ok: false, error: { code: 'NOT_OPEN_YET' } });

    clock.advance(3_000);
    const open = await ana!.bot.view((v) => v.question?.opensAt === null);
    expect(open.question).toMatchObject({ prompt: gq.question.prompt, deadline: startedAt + 3_000 + 20_000, remainingMs: 20_000 });
    expect(open.question!.choices).toEqual(gq.question.choices);
    expect(await ana!.bot.call('player:answer', { questionId: gq.question.id, choices: gq.solution.answer })).toMatchObject({ ok: true, receivedAt: startedAt + 3_000 });
    expectNoSecrets([table.host, ...table.players.map((p) => p.bot)], gq.solution.explanation, (v) => v.phase === 'question', 2);
  });
});
