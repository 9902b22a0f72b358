import { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { HTTP_ROUTES, httpStatus, type HttpAuth, type HttpRoute } from '../../shared/protocol/http-routes.js';
import { RefusalSchema } from '../../shared/protocol/http-replies.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';

/** The OpenAPI 3.1 document of the HTTP API, generated from the shared zod schemas (never written by hand). */

type Json = Record<string, unknown>;

const AUTH: Record<HttpAuth, string> = {
  profile: 'A practice profile token (POST /api/profiles or /api/profiles/recover).',
  host: "The room's host token (from the room:create acknowledgement).",
  member: 'A homework member token (from POST /api/homework/{id}/attempt) or a practice profile token; without one a member starts by name.',
  lead: 'The lead token of the assignment (from POST /api/homework).',
  metrics: 'METRICS_TOKEN, when the server has one (otherwise /metrics is open).',
};

/** JSON Schema 2020-12, as OpenAPI 3.1 takes it; requests as clients send them, replies as servers write them. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(schema: z.ZodType | undefined, place: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => {
    const { description, ...rest } = prop as { description?: string };
    return { name, in: place, required: place === 'path' || (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** Every refusal a route can give: its own codes and those every route shares, grouped by status. */
export function refusalCodes(route: HttpRoute): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>(['BAD_REQUEST', ...route.refusals, 'INTERNAL']);
  if (route.body) for (const c of ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const) codes.add(c);
  if (route.body && route.refusals.includes('DECK_TOO_LARGE')) codes.delete('PAYLOAD_TOO_LARGE');
  if (route.tag !== 'operations' && route.path !== '/api/bank/stats' && route.path !== '/api/bank/topics') codes.add('STORE_UNAVAILABLE');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(httpStatus(code), [...(byStatus.get(httpStatus(code)) ?? []), code]);
  return new Map([...byStatus.entries()].sort(([a], [b]) => a - b));
}

function operation(id: string, route: HttpRoute): Json {
  const ok = route.ok.contentType === 'text/plain' ? { 'text/plain': { schema: { type: 'string' } } } : { 'application/json': { schema: jsonSchema(route.ok.schema, 'output') } };
  const responses: Json = { [route.ok.status]: { description: 'Success', content: ok } };
  if (route.ok.alsoStatus) responses[route.ok.alsoStatus] = { description: 'Not ready (same body)', content: ok };
  for (const [status, codes] of refusalCodes(route)) {
    const refusal = jsonSchema(RefusalSchema, 'output') as { properties: { error: { properties: Json } } };
    refusal.properties.error.properties.code = { type: 'string', enum: codes };
    responses[status] = { description: `Refused: ${codes.join(', ')}`, content: { 'application/json': { schema: refusal } } };
  }
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth ? { security: route.auth === 'member' || route.auth === 'metrics' ? [{ [`${route.auth}Token`]: [] }, {}] : [{ [`${route.auth}Token`]: [] }] } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses,
  };
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  paths: Record<string, Record<string, Json>>;
  components: Json;
  [key: string]: unknown;
}

export function openApiDocument(routes: Record<string, HttpRoute> = HTTP_ROUTES): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [id, route] of Object.entries(routes)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(id, route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cca-quiz HTTP API',
      version: String(PROTOCOL_VERSION),
      description:
        'JSON over HTTP beside the Socket.IO protocol. Every refusal is `{ "error": { "code", "message" } }` with a code from the closed list; bodies are UTF-8 JSON objects (`application/json`, optionally gzip or deflate).',
    },
    tags: [...new Set(Object.values(routes).map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: Object.fromEntries(Object.entries(AUTH).map(([k, description]) => [`${k}Token`, { type: 'http', scheme: 'bearer', description }])),
    },
  };
}
