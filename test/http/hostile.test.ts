import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../server/http/route.js';
import { openApiDocument } from '../../server/protocol-docs/openapi.js';
import { HTTP_ROUTES } from '../../shared/protocol/http-routes.js';
import { RefusalSchema } from '../../shared/protocol/http-replies.js';
import { apiCall } from '../helpers/http.js';
import { usePrivateRedis } from '../helpers/private-redis.js';
import { makeBank } from '../helpers/questions.js';
import { rawRequest, type RawReply } from '../helpers/raw-http.js';
import { closeTable, makeStore, setTable, startTestServer, type StoreKind, type Table, type TestServer } from '../helpers/server.js';

/**
 * Hostile input on every documented route, enumerated from the OpenAPI document (and the app's router must
 * match it, so a new route cannot escape): malformed, oversized and wrongly typed bodies, prototype keys,
 * undecodable and hostile path parameters, bad query values. Never a 5xx; each answer is a refusal with a
 * code documented for that route and status; nothing at error level in the log; the server healthy after.
 */

const redis = usePrivateRedis();
const bank = makeBank(3);
const IDS = ['ebpf-0', 'service-mesh-1', 'cluster-mesh-2'];
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema: { allOf?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }[] } }> }>; requestBody?: unknown; parameters: { name: string; in: string }[] };
const doc = openApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Operation })));

/** Codes the document allows for a route at a status. */
function documented(op: Operation, status: number): string[] | null {
  const r = op.responses[String(status)];
  if (!r) return null;
  return r.content?.['application/json']?.schema.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
}

interface Case {
  name: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  query?: string;
  /** The one status this input must get, when it is certain. */
  expect?: number;
  /** Replaces the path parameters. */
  param?: string;
}

const json = { 'content-type': 'application/json' };
const MB = 1024 * 1024;

const bodyCases: Case[] = [
  { name: 'truncated JSON', headers: json, body: '{"nickname":', expect: 400 },
  { name: 'invalid JSON', headers: json, body: '{nickname: ana}', expect: 400 },
  { name: 'null', headers: json, body: 'null', expect: 400 },
  { name: 'a bare string', headers: json, body: '"hello"', expect: 400 },
  { name: 'a number', headers: json, body: '42', expect: 400 },
  { name: 'an array', headers: json, body: '[1,2,3]', expect: 400 },
  { name: 'an empty object', headers: json, body: '{}' },
  { name: 'wrong types', headers: json, body: '{"nickname":1,"code":[],"choices":"a","index":"x","deck":7,"title":false,"domains":{}}', expect: 400 },
  { name: '__proto__ key', headers: json, body: '{"__proto__":{"polluted":true},"nickname":"Ana"}', expect: 400 },
  { name: 'constructor key', headers: json, body: '{"constructor":{"prototype":{"polluted":true}}}', expect: 400 },
  { name: 'nesting 8,000 deep', headers: json, body: `${'['.repeat(8_000)}${']'.repeat(8_000)}`, expect: 400 },
  { name: '1 MB body', headers: json, body: JSON.stringify({ nickname: 'x'.repeat(MB) }), expect: 413 },
  { name: '10 MB body', headers: json, body: JSON.stringify({ nickname: 'x'.repeat(10 * MB) }), expect: 413 },
  { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: '{"nickname":"Ana"}', expect: 415 },
  { name: 'form encoded', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'nickname=Ana', expect: 415 },
  { name: 'no content type', headers: { 'content-type': '' }, body: '{"nickname":"Ana"}', expect: 415 },
  { name: 'latin-1 charset', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: '{"nickname":"Ana"}', expect: 415 },
  { name: 'unknown charset', headers: { 'content-type': 'application/json; charset=utf-7' }, body: '{"nickname":"Ana"}', expect: 415 },
  { name: 'unknown content-encoding', headers: { ...json, 'content-encoding': 'x-compress' }, body: '{"nickname":"Ana"}', expect: 415 },
  { name: 'broken gzip', headers: { ...json, 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all'), expect: 400 },
  { name: 'gzip of broken JSON', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync('{"nickname":'), expect: 400 },
  { name: 'gzip bomb (small, inflates past the limit)', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(`{"nickname":"${'x'.repeat(12 * MB)}"}`), expect: 413 },
];

const pathCases: Case[] = [
  { name: '%ff in a parameter', param: '%ff', expect: 400 },
  { name: 'a truncated escape', param: '%E0%A4%A', expect: 400 },
  { name: '__proto__ as a parameter', param: '__proto__' },
  { name: 'constructor as a parameter', param: 'constructor' },
  { name: 'an overlong parameter', param: 'A'.repeat(2_000) },
  { name: 'dots', param: '..%2f..%2fetc' },
];

const queryCases: Case[] = [
  { name: 'limit=1.5', query: 'limit=1.5' },
  { name: 'limit=-1', query: 'limit=-1' },
  { name: 'limit=1e3', query: 'limit=1e3' },
  { name: 'a repeated limit', query: 'limit=1&limit=2' },
  { name: 'offset=abc', query: 'offset=abc' },
  { name: 'prototype keys', query: '__proto__[polluted]=1&constructor[prototype][x]=1&board=__proto__' },
  { name: '%ff in the query', query: 'board=%ff&outline=%ff' },
];

function storeSuite(kind: StoreKind) {
  describe(`hostile HTTP input (${kind} store)`, () => {
    let server: TestServer;
    let table: Table;
    const logged: { level: number; msg: string; err?: unknown }[] = [];
    const statuses = new Map<number, number>();
    const ctx: Record<string, string> = {};

    beforeAll(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as (typeof logged)[number]);
          done();
        },
      });
      server = await startTestServer({
        bank,
        store: await makeStore(kind, kind === 'redis' ? redis.url : undefined),
        log: pino({ level: 'debug' }, sink),
        env: { ROOM_LOOKUPS_PER_IP_PER_MINUTE: '100000', ROOM_MISSES_PER_IP_PER_MINUTE: '100000', PROFILES_PER_IP_PER_MINUTE: '100000' },
      });
      table = await setTable(server.url, ['Ana']);
      const profile = await apiCall(server.url, 'POST', '/profiles', undefined, { nickname: 'Ben' });
      const exam = await apiCall(server.url, 'POST', '/exams', profile.json.token, { count: 3 });
      const homework = await apiCall(server.url, 'POST', '/homework', undefined, { title: 'T', deck: { kind: 'ids', ids: IDS }, dueAt: Date.now() + 3_600_000 });
      Object.assign(ctx, { code: table.code, id: homework.json.assignment.id, examId: exam.json.id, index: '0', token: profile.json.token, hostToken: table.hostToken });
    });
    afterAll(async () => {
      closeTable(table);
      await server.close();
    });

    it('the app serves exactly the documented routes', () => {
      const documentedRoutes = Object.values(HTTP_ROUTES).map((r) => `${r.method.toUpperCase()} ${r.path}`);
      const served = listRoutes(server.httpApp).filter((r) => r !== 'GET /{*path}');
      expect(new Set(served)).toEqual(new Set(documentedRoutes));
      expect(served).toHaveLength(documentedRoutes.length);
    });

    /** The path with its parameters filled in (valid ones unless `param` replaces them). */
    const fill = (path: string, param?: string) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => param ?? (path.startsWith('/api/exams') && name === 'id' ? ctx.examId! : ctx[name]!));
    const tokenFor = (path: string) => (path.startsWith('/api/rooms') ? ctx.hostToken : ctx.token);

    async function send(op: (typeof operations)[number], c: Case): Promise<RawReply> {
      const path = `${fill(op.path, c.param)}${c.query ? `?${c.query}` : ''}`;
      const r = await rawRequest(server.url, op.method, path, { authorization: `Bearer ${tokenFor(op.path)}`, ...c.headers }, c.body);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const what = `${op.method} ${path.slice(0, 80)} (${c.name}) → ${r.status} ${r.text.slice(0, 200)}`;
      expect(r.status, what).toBeLessThan(500);
      if (c.expect !== undefined) expect(r.status, what).toBe(c.expect);
      if (r.status >= 400) {
        const refusal = RefusalSchema.safeParse(r.json);
        expect(refusal.success, what).toBe(true);
        expect(documented(op.op, r.status), `${what}: status not documented`).not.toBeNull();
        expect(documented(op.op, r.status), `${what}: code not documented`).toContain(refusal.data!.error.code);
      }
      return r;
    }

    it('malformed, oversized and wrongly typed bodies on every route that takes one', async () => {
      const withBody = operations.filter((o) => o.op.requestBody);
      expect(withBody.length).toBeGreaterThan(10);
      for (const op of withBody) for (const c of bodyCases) await send(op, c);
    });

    it('hostile path parameters on every route that has one', async () => {
      const withParams = operations.filter((o) => o.op.parameters.some((p) => p.in === 'path'));
      expect(withParams.length).toBeGreaterThan(8);
      for (const op of withParams) for (const c of pathCases) await send(op, { ...c, ...(op.op.requestBody ? { headers: json, body: '{}' } : {}) });
      // An undecodable path outside the API is a 400 too, never a 500.
      expect((await rawRequest(server.url, 'GET', '/join/%ff')).status).toBeLessThan(500);
    });

    it('bad query values on every route, refused by the same schema on both stores', async () => {
      for (const op of operations) {
        for (const c of queryCases) {
          const r = await send(op, { ...c, ...(op.op.requestBody ? { headers: json, body: '{}' } : {}) });
          const takesIt = op.op.parameters.some((p) => p.in === 'query' && c.query!.startsWith(`${p.name}=`));
          if (takesIt) expect([r.status, r.json?.error?.code], `${op.path}?${c.query}`).toEqual([400, 'BAD_REQUEST']);
        }
      }
    });

    it('stays healthy: nothing logged at error level, probes and a real call still answer', async () => {
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(`${kind}: ${total} hostile requests, by status: ${JSON.stringify(Object.fromEntries([...statuses.entries()].sort(([a], [b]) => a - b)))}`);
      expect(total).toBeGreaterThan(400);
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);
      expect(JSON.stringify(logged)).not.toMatch(/"stack"/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await apiCall(server.url, 'GET', `/rooms/${ctx.code}`)).json).toMatchObject({ exists: true, code: ctx.code });
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  });
}

storeSuite('memory');
storeSuite('redis');
