import { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { HTTP_ROUTES, httpStatus, type HttpAuth, type HttpRoute } from '../../shared/protocol/http-routes.js';
import { DeckProblemSchema, DeckSummarySchema } from '../../shared/protocol/decks.js';
import { AssignmentInfoSchema, AttemptViewSchema } from '../../shared/protocol/homework.js';
import { ProfileSchema, RefusalSchema } from '../../shared/protocol/http-replies.js';
import { ExamResultSchema, ExamSummarySchema, ExamViewSchema, PracticeStatsSchema } from '../../shared/protocol/practice-views.js';
import { PublicQuestionSchema } from '../../shared/question.js';
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

/**
 * Shapes many replies share: one entry each under components.schemas instead of a copy per route. The ids go
 * into zod's global registry, where `.meta()` descriptions already live, so both reach the document.
 */
for (const [schema, id] of [
  [PublicQuestionSchema, 'PublicQuestion'],
  [ExamViewSchema, 'ExamView'],
  [ExamResultSchema, 'ExamResult'],
  [ExamSummarySchema, 'ExamSummary'],
  [PracticeStatsSchema, 'PracticeStats'],
  [AssignmentInfoSchema, 'AssignmentInfo'],
  [AttemptViewSchema, 'AttemptView'],
  [DeckSummarySchema, 'DeckSummary'],
  [DeckProblemSchema, 'DeckProblem'],
  [ProfileSchema, 'Profile'],
  [RefusalSchema, 'Refusal'],
] as const) {
  if (z.globalRegistry.get(schema)?.id === undefined) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
}

/** z.int()'s safe-integer bounds say nothing a reader needs. */
const SAFE_BOUND = /,?"(minimum|maximum)":-?9007199254740991/g;

/**
 * JSON Schema 2020-12, as OpenAPI 3.1 takes it; requests as clients send them (`…Input` components), replies as
 * servers write them. Named shapes move to `components` (collected in `into`).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', into?: Record<string, Json>): Json {
  const { $schema: _, $defs, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json & { $defs?: Record<string, Json> };
  const suffix = io === 'input' ? 'Input' : '';
  const fix = (j: unknown): Json => JSON.parse(JSON.stringify(j).replace(SAFE_BOUND, '').replace(/"#\/\$defs\/(\w+)"/g, `"#/components/schemas/$1${suffix}"`)) as Json;
  for (const [id, def] of Object.entries($defs ?? {})) {
    if (into) into[`${id}${suffix}`] = fix(def);
  }
  return fix(rest);
}

function parameters(schema: z.ZodType | undefined, place: 'path' | 'query', into: Record<string, Json>): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input', into) as { properties?: Record<string, Json>; required?: string[] };
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

function operation(id: string, route: HttpRoute, into: Record<string, Json>): Json {
  const ok = route.ok.contentType === 'text/plain' ? { 'text/plain': { schema: { type: 'string' } } } : { 'application/json': { schema: jsonSchema(route.ok.schema, 'output', into) } };
  const responses: Json = { [route.ok.status]: { description: 'Success', content: ok } };
  if (route.ok.alsoStatus) responses[route.ok.alsoStatus] = { description: 'Not ready (same body)', content: ok };
  for (const [status, codes] of refusalCodes(route)) {
    const refusal = { allOf: [jsonSchema(RefusalSchema, 'output', into), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }] };
    responses[status] = { description: `Refused: ${codes.join(', ')}`, content: { 'application/json': { schema: refusal } } };
  }
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth ? { security: route.auth === 'member' || route.auth === 'metrics' ? [{ [`${route.auth}Token`]: [] }, {}] : [{ [`${route.auth}Token`]: [] }] } : {}),
    parameters: [...parameters(route.params, 'path', into), ...parameters(route.query, 'query', into)],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input', into) } } } } : {}),
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
  const schemas: Record<string, Json> = {};
  for (const [id, route] of Object.entries(routes)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(id, route, schemas);
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
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: Object.fromEntries(Object.entries(AUTH).map(([k, description]) => [`${k}Token`, { type: 'http', scheme: 'bearer', description }])),
    },
  };
}
