import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DECK_LIMITS, isUploadedId } from '../../shared/protocol/decks.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { QuestionBank } from '../../server/game/bank.js';
import { isoWeek } from '../../server/storage/types.js';
import { storedQuestion } from '../helpers/fixture-bank.js';
import { apiCall } from '../helpers/http.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank, makeQuestion } from '../helpers/questions.js';
import { Bot } from '../helpers/bot.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

const bank = new QuestionBank([
  ...makeBank(4).questions,
  ...[1, 2, 3].map((i) => makeQuestion({ id: `ebpf-alpha-${i}`, domain: 'ebpf', topic: 'alpha-topic' })),
  ...[1, 2].map((i) => makeQuestion({ id: `np-beta-${i}`, domain: 'network-policy', topic: 'beta-topic' })),
]);
const redis = usePrivateRedis();

function uploadQuestion(id: string, over: Record<string, unknown> = {}) {
  const { verified: _v, ...q } = storedQuestion(id, { prompt: `Which statement about eBPF maps holds in the uploaded case ${id}?`, ...over });
  return q;
}

describe.each<StoreKind>(['memory', 'redis'])('decks over real sockets and HTTP (%s store)', (kind) => {
  let server: TestServer;
  const tables: Table[] = [];

  beforeAll(async () => {
    server = await startTestServer({ bank, store: await makeStore(kind, redis.url) });
  });
  afterAll(async () => {
    for (const t of tables) closeTable(t);
    await server.close();
    await server.store.close();
  });

  const table = async (settings = {}) => {
    const t = await setTable(server.url, ['Ana'], settings);
    tables.push(t);
    return t;
  };
  const postDeck = (t: Table, deck: unknown, token = t.hostToken) => apiCall(server.url, 'POST', `/rooms/${t.code}/deck`, token, { deck });
  const room = (t: Table) => server.registry.get(t.code)!;

  it('lists the bank topics', async () => {
    const { status, json } = await apiCall(server.url, 'GET', '/bank/topics');
    expect(status).toBe(200);
    expect(json.topics).toContainEqual({ topic: 'alpha-topic', domain: 'ebpf', count: 3 });
  });

  it('a topics deck draws only those topics, and every screen shows the deck', async () => {
    const t = await table({ questionCount: 10 });
    const set = await postDeck(t, { kind: 'topics', topics: ['alpha-topic', 'beta-topic'] });
    expect(set).toMatchObject({ status: 200, json: { deck: { kind: 'topics', size: 5, topics: ['alpha-topic', 'beta-topic'], unreviewed: false } } });
    await t.players[0]!.bot.view((v) => v.deck.kind === 'topics');
    expect(await t.host.call('host:command', { command: 'start' })).toMatchObject({ ok: true });
    const qs = room(t).state.questions;
    expect(qs).toHaveLength(5);
    expect(new Set(qs.map((q) => q.question.topic))).toEqual(new Set(['alpha-topic', 'beta-topic']));
  });

  it('bad deck input returns clear codes and leaves the room as it was', async () => {
    const t = await table();
    const before = room(t).state;
    const refusals: [unknown, number, string][] = [
      [{ kind: 'everything' }, 400, 'BAD_REQUEST'],
      [{ kind: 'ids', ids: ['nope-01'] }, 422, 'DECK_INVALID'],
      [{ kind: 'topics', topics: ['no-such-topic'] }, 422, 'DECK_INVALID'],
      [{ kind: 'weakest' }, 422, 'DECK_EMPTY'],
      [{ kind: 'upload', yaml: '- id: [unclosed' }, 422, 'DECK_INVALID'],
      [{ kind: 'upload', yaml: '#'.repeat(DECK_LIMITS.maxUploadBytes + 1) }, 413, 'DECK_TOO_LARGE'],
      [{ kind: 'upload', yaml: stringify(Array.from({ length: 101 }, (_, i) => ({ id: `q-${i}` }))) }, 413, 'DECK_TOO_LARGE'],
    ];
    for (const [deck, status, code] of refusals) {
      const r = await postDeck(t, deck);
      expect({ status: r.status, code: r.json.error?.code }, JSON.stringify(deck).slice(0, 80)).toEqual({ status, code });
    }
    // A field error names the question and the field.
    const bad = await postDeck(t, { kind: 'upload', yaml: stringify([uploadQuestion('fine-one'), uploadQuestion('broken-one', { difficulty: 9 })]) });
    expect(bad.status).toBe(422);
    expect(bad.json.error.problems).toContainEqual(expect.objectContaining({ id: 'broken-one', field: 'difficulty' }));
    // A body far over the limit is cut off by the body parser; a wrong token or room is refused.
    const huge = await fetch(`${server.url}/api/rooms/${t.code}/deck`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.hostToken}` },
      body: JSON.stringify({ deck: { kind: 'upload', yaml: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('DECK_TOO_LARGE');
    const notJson = await fetch(`${server.url}/api/rooms/${t.code}/deck`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.hostToken}` }, body: '{deck' });
    expect(notJson.status).toBe(400);
    expect((await postDeck(t, { kind: 'random' }, 'x'.repeat(32))).json.error.code).toBe('NOT_HOST');
    expect((await apiCall(server.url, 'POST', `/rooms/${t.code}/deck`, undefined, { deck: { kind: 'random' } })).json.error.code).toBe('NOT_HOST');
    expect((await apiCall(server.url, 'POST', '/rooms/ZZZZZZ/deck', t.hostToken, { deck: { kind: 'random' } })).status).toBe(404);
    expect(room(t).state).toBe(before);
    expect((await t.host.call('host:command', { command: 'start' })).ok).toBe(true);
    const started = room(t).state;
    expect((await postDeck(t, { kind: 'topics', topics: ['alpha-topic'] })).json.error.code).toBe('WRONG_PHASE');
    expect(room(t).state).toBe(started);
  });

  it("a weakest-domains deck follows the practice profiles of the players in the room", async () => {
    const profile = (await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Dee' })).json as { token: string };
    // Dee misses an eBPF question and gets a Cluster Mesh one right in solo practice.
    for (const [domain, right] of [['ebpf', false], ['cluster-mesh', true]] as const) {
      const next = await apiCall(server.url, 'POST', '/practice/next', profile.token, { domains: [domain] });
      const q = server.bank.byId.get(next.json.question.id)!;
      const choices = right ? q.answer : [[0, 1, 2, 3].find((i) => i < q.choices.length && !q.answer.includes(i))!];
      expect((await apiCall(server.url, 'POST', '/practice/answer', profile.token, { questionId: q.id, choices })).status).toBe(200);
    }
    const t = await table({ questionCount: 50 });
    const dee = await Bot.connect(server.url);
    expect((await dee.call('room:join', { protocol: PROTOCOL_VERSION, code: t.code, nickname: 'Dee', profileToken: profile.token })).ok).toBe(true);
    const set = await postDeck(t, { kind: 'weakest', domains: 1 });
    dee.close();
    expect(set).toMatchObject({ status: 200, json: { deck: { kind: 'weakest', domains: ['ebpf'] } } });
    await t.host.call('host:command', { command: 'start' });
    expect(room(t).state.questions.length).toBeGreaterThan(0);
    expect(room(t).state.questions.every((q) => q.question.domain === 'ebpf')).toBe(true);
  });

  it('deck changes are limited per room (parsing costs CPU)', async () => {
    const t = await table();
    const codes: string[] = [];
    for (let i = 0; i < 21; i++) codes.push((await postDeck(t, { kind: 'random' })).json.error?.code ?? 'ok');
    expect(codes.slice(0, 20).every((c) => c === 'ok')).toBe(true);
    expect(codes[20]).toBe('RATE_LIMITED');
  });

  it('an uploaded deck plays in its own room only, marked not reviewed, and never reaches the bank, flags or stats', async () => {
    const t = await table({ timeLimitSec: 5 });
    const other = await table({ questionCount: 40 });
    const yaml = stringify([uploadQuestion('own-q-01'), uploadQuestion('own-q-02')]);
    expect(await postDeck(t, { kind: 'upload', yaml })).toMatchObject({ status: 200, json: { deck: { kind: 'upload', size: 2, unreviewed: true } } });
    const ana = t.players[0]!.bot;
    await t.host.call('host:command', { command: 'start' });
    const q = await ana.view((v: RoomView) => v.phase === 'question' && v.question?.choices !== null);
    expect(q.question).toMatchObject({ id: 'up-own-q-01', unreviewed: true });
    expect(await ana.call('question:flag', { questionId: 'up-own-q-01', reason: 'typo here' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_QUESTION' } });
    const solution = room(t).state.questions[0]!.solution.answer;
    expect(await ana.call('player:answer', { questionId: 'up-own-q-01', choices: solution })).toMatchObject({ ok: true });
    await ana.view((v) => v.phase === 'reveal');
    await room(t).flushed();
    expect(ana.latest!.me!.score).toBeGreaterThan(0);
    // The room's own leaderboard has the score; the weekly board and the bank do not know the question.
    expect((await apiCall(server.url, 'GET', `/rooms/${t.code}/leaderboard`)).json.entries[0]).toMatchObject({ name: 'Ana' });
    expect((await apiCall(server.url, 'GET', `/leaderboards/weekly?week=${isoWeek(new Date())}`)).json.entries).toEqual([]);
    expect((await apiCall(server.url, 'GET', '/bank/stats')).json.total).toBe(bank.size);
    expect(server.bank.questions.some((x) => isUploadedId(x.id))).toBe(false);
    // Another room draws from the bank only.
    await other.host.call('host:command', { command: 'start' });
    expect(room(other).state.questions.some((x) => isUploadedId(x.question.id))).toBe(false);
    expect((await other.players[0]!.bot.view((v) => v.phase !== 'lobby')).deck).toEqual({ kind: 'random', size: null, unreviewed: false });
  });
});
