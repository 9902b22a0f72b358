import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playOneGame } from '../../docs/protocol/minimal-client.js';
import { asyncApiDocument, componentKey, type JsonSchema } from '../../server/protocol-docs/asyncapi.js';
import { eventsMarkdown } from '../../server/protocol-docs/events-md.js';
import { ASYNCAPI_JSON, EVENTS_MD, asyncApiText } from '../../server/protocol-docs/write-events.js';
import { clientEventSchemas, serverMessageSchemas, type ClientEventName } from '../../shared/protocol/events.js';
import { PROTOCOL_VERSION as P } from '../../shared/protocol/version.js';
import { Bot } from '../helpers/bot.js';
import { makeBank } from '../helpers/questions.js';
import { closeTable, makeStore, setTable, startTestServer, type Table, type TestServer } from '../helpers/server.js';

const doc = asyncApiDocument();
const STALE = 'stale: run `npm run protocol:docs:events` and commit docs/protocol/';

describe('the AsyncAPI document of the Socket.IO protocol', () => {
  // The parser runs Spectral's rule set: about 25 s on a busy 2-core machine.
  it('validates with the official AsyncAPI parser: no errors, no warnings', { timeout: 120_000 }, async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document?.operations().length).toBe(Object.keys(clientEventSchemas).length + Object.keys(serverMessageSchemas).length);
  });

  it('has one operation per client event (answered by its ack) and one per server message', () => {
    const operations = doc.operations as Record<string, { action: string; reply?: unknown }>;
    for (const e of Object.keys(clientEventSchemas)) expect(operations[componentKey(e)]).toMatchObject({ action: 'receive', reply: expect.anything() });
    for (const m of Object.keys(serverMessageSchemas)) expect(operations[componentKey(m)]).toMatchObject({ action: 'send' });
    expect(Object.keys(operations)).toHaveLength(Object.keys(clientEventSchemas).length + Object.keys(serverMessageSchemas).length);
  });

  it('the committed docs/protocol/asyncapi.json and events.md follow the schemas', () => {
    expect(readFileSync(ASYNCAPI_JSON, 'utf8'), STALE).toBe(asyncApiText());
    expect(readFileSync(EVENTS_MD, 'utf8'), STALE).toBe(eventsMarkdown());
  });
});

/** Validators for the document's component schemas (draft-07, views with additionalProperties: false). */
function validators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'asyncapi', components: doc.components as JsonSchema });
  return (id: string, data: unknown): string[] => {
    const validate = ajv.getSchema(`asyncapi#/components/schemas/${id}`)!;
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${id}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

describe('what a real server sends matches the document', () => {
  const bank = makeBank(6);
  let server: TestServer;
  let table: Table;
  const check = validators();
  const pascal = (event: string) => event.split(/[:\-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore('memory') });
  });
  afterAll(async () => {
    closeTable(table);
    await server.close();
  });

  it('acks, views and notices of a whole Classic game, a kick, a resume elsewhere and the export', async () => {
    const problems: string[] = [];
    const sent = async <E extends ClientEventName>(bot: Bot, event: E, payload: Parameters<Bot['call']>[1] & object) => {
      problems.push(...check(`${pascal(event)}Payload`, payload));
      const ack = await bot.call(event, payload as never);
      problems.push(...check(`${pascal(event)}Ack`, ack));
      return ack;
    };
    table = await setTable(server.url, ['Ana', 'Ben', 'Cai'], { questionCount: 2, teams: ['Red', 'Blue'] });
    const [ana, ben, cai] = table.players;
    await sent(ana!.bot, 'player:team', { team: 'Red' });
    await sent(table.host, 'host:kick', { playerId: cai!.playerId });
    await sent(table.host, 'host:unban', { playerId: cai!.playerId });
    const phone2 = await Bot.connect(server.url);
    await sent(phone2, 'room:resume', { protocol: P, code: table.code, sessionToken: ben!.sessionToken });
    await sent(table.host, 'host:command', { command: 'start' });
    for (let i = 0; i < 2; i++) {
      const v = await ana!.bot.view((x) => x.phase === 'question' && x.question?.choices != null && x.question.index === i);
      await sent(ana!.bot, 'player:answer', { questionId: v.question!.id, choices: [0] });
      await sent(phone2, 'player:answer', { questionId: v.question!.id, choices: [1] });
      await ana!.bot.view((x) => x.phase === 'reveal');
      await sent(ana!.bot, 'question:flag', { questionId: v.question!.id, reason: 'the wording is unclear' });
      await sent(table.host, 'host:command', { command: 'next' });
      await sent(table.host, 'host:command', { command: 'next' });
    }
    await ana!.bot.view((x) => x.phase === 'finished');
    await sent(table.host, 'host:export', {});
    await sent(ana!.bot, 'time:sync', { clientTime: Date.now() });
    for (const bot of [table.host, ana!.bot, ben!.bot, cai!.bot, phone2]) {
      for (const r of bot.received) {
        if (r.event === 'net:ping') continue;
        problems.push(...check(r.event === 'room:view' ? 'RoomView' : `${pascal(r.event)}Message`, r.payload));
      }
    }
    expect(ben!.bot.received.some((r) => r.event === 'session:replaced')).toBe(true);
    expect(cai!.bot.received.some((r) => r.event === 'room:kicked')).toBe(true);
    expect(problems).toEqual([]);
    phone2.close();
  });

  it('the README’s minimal client plays a whole game', async () => {
    const lines: string[] = [];
    const { podium } = await playOneGame(server.url, (l) => lines.push(l));
    expect(podium).toEqual([{ name: 'Minimal', score: expect.any(Number) }]);
    expect(lines[0]).toMatch(/^room [A-Z0-9]{6}$/);
  });
});
