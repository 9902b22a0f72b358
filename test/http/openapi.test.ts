import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { projectRoot } from '../../questions/loader.js';
import { openApiDocument } from '../../server/protocol-docs/openapi.js';
import { httpDocs } from '../../server/protocol-docs/write-http.js';
import { HTTP_ROUTES } from '../../shared/protocol/http-routes.js';
import { makeBank } from '../helpers/questions.js';
import { makeStore, startTestServer, type TestServer } from '../helpers/server.js';

describe('the OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bank: makeBank(3), store: await makeStore('memory') });
  });
  afterAll(() => server.close());

  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
    const result = await validate(structuredClone(openApiDocument()) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('is served at /api/openapi.json exactly as generated from the schemas', async () => {
    const r = await fetch(`${server.url}/api/openapi.json`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('has one operation per route of the table, with its request and reply schemas', () => {
    const doc = openApiDocument();
    for (const [id, route] of Object.entries(HTTP_ROUTES)) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method] as { operationId: string; responses: Record<string, unknown>; requestBody?: unknown } | undefined;
      expect(op?.operationId, id).toBe(id);
      expect(Object.keys(op!.responses), id).toContain(String(route.ok.status));
      expect(op!.requestBody !== undefined, id).toBe('body' in route);
    }
  });

  it('follows a schema change: the committed documents are what `npm run protocol:docs` writes now', () => {
    for (const { file, text } of httpDocs()) {
      const committed = readFileSync(join(projectRoot(), file), 'utf8');
      expect(committed === text, `${file} is stale: run npm run protocol:docs and commit it`).toBe(true);
    }
  });

  it('changes when a schema changes (so a stale committed copy is caught)', () => {
    const before = JSON.stringify(openApiDocument());
    const changed = { ...HTTP_ROUTES, createProfile: { ...HTTP_ROUTES.createProfile, body: z.strictObject({ nickname: z.string().max(24) }) } };
    const after = JSON.stringify(openApiDocument(changed));
    expect(after).not.toBe(before);
    expect(JSON.stringify(openApiDocument())).toBe(before);
  });
});
