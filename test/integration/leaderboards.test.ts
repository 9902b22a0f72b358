import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeek } from '../../server/storage/types.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

describe('weekly board by person', () => {
  let server: TestServer;
  const tables: Table[] = [];
  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(4), store: await makeStore('memory'), manualClock: true });
  });
  afterAll(async () => {
    tables.forEach(closeTable);
    await server.close();
  });

  it('two people called Alex in two rooms are two rows, each with their own points', async () => {
    for (const late of [0, 10_000]) {
      const t = await setTable(server.url, ['Alex'], { questionCount: 1, timeLimitSec: 20, streakBonus: false });
      tables.push(t);
      await t.host.call('host:command', { command: 'start' });
      const v = await t.players[0]!.bot.view((x) => x.phase === 'question');
      const room = server.registry.get(t.code)!;
      server.clock!.advance(late);
      await t.players[0]!.bot.call('player:answer', { questionId: v.question!.id, choices: room.state.questions[0]!.solution.answer });
      await t.players[0]!.bot.view((x) => x.phase === 'reveal');
      await room.flushed();
    }
    const res = await fetch(`${server.url}/api/leaderboards/weekly?week=${isoWeek(new Date(server.clock!.now()))}`);
    const body = (await res.json()) as { entries: { key: string; name: string; points: number }[] };
    expect(body.entries.map((e) => [e.name, e.points])).toEqual([
      ['Alex', 1000],
      ['Alex', 750],
    ]);
    expect(body.entries.map((e) => e.key)).toEqual(tables.map((t) => `seat:${t.players[0]!.playerId}`));
  });
});
