import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { DeckProblem } from '../../shared/protocol/decks.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { httpStatus, type HttpRoute } from '../../shared/protocol/http-routes.js';
import type { Refusal } from '../../shared/protocol/http-replies.js';

/** A refusal a handler returns: sent as `{ error: { code, message, problems? } }` with the code's status. */
export class Refused {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly problems?: DeckProblem[],
  ) {}
}

export const refuse = (code: ErrorCode, message: string, problems?: DeckProblem[]) => new Refused(code, message, problems);

export function sendRefusal(res: Response, code: ErrorCode, message: string, problems?: DeckProblem[]): void {
  const body: Refusal = { error: { code, message, ...(problems ? { problems } : {}) } };
  res.status(httpStatus(code)).json(body);
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;
export interface RouteInput<R extends HttpRoute> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
}
/** What a handler gives back: the reply its route documents (checked by the compiler) or a refusal. */
export type Handler<R extends HttpRoute> = (input: RouteInput<R>, req: Request, res: Response) => Promise<z.input<R['ok']['schema']> | Refused> | z.input<R['ok']['schema']> | Refused;

function firstIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}` : `invalid ${where}`;
}

/** A body is present when the request says it has one (any length header but 0, or chunked). */
const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The body parser's and the router's refusals (body-parser and http-errors set `type` and `status`) as refusal codes. */
export function clientError(err: unknown, tooLarge: ErrorCode = 'PAYLOAD_TOO_LARGE'): Refused | null {
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status < 400 || status >= 500) return null;
  switch (e?.type) {
    case 'entity.too.large':
      return refuse(tooLarge, 'The request body is too large for this route');
    case 'charset.unsupported':
      return refuse('UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
    case 'encoding.unsupported':
      return refuse('UNSUPPORTED_MEDIA_TYPE', 'Send the body uncompressed, or gzip or deflate it');
    case 'entity.parse.failed':
      return refuse('BAD_REQUEST', 'The request body is not valid JSON (an object or an array)');
    case 'request.size.invalid':
    case 'request.aborted':
      return refuse('BAD_REQUEST', 'The request body ended early');
  }
  if (status === 413) return refuse(tooLarge, 'The request body is too large for this route');
  if (status === 415) return refuse('UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
  if (status === 404) return refuse('NOT_FOUND', 'no such file');
  // Broken gzip, an undecodable path (%ff) and the like.
  return refuse('BAD_REQUEST', status === 400 ? 'The request could not be read (its path, encoding or body)' : 'The request was refused');
}

/**
 * JSON bodies only: anything else that carries a body is 415. The parser's refusals (too large, bad JSON,
 * charset, encoding, broken gzip) are answered here, with the route's own code for a body that is too large.
 */
function jsonBody(limit: number, tooLarge: ErrorCode): RequestHandler {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    if (!req.is('application/json')) return sendRefusal(res, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    // UTF-8 only (RFC 8259); the parser would also decode exotic ones such as UTF-7.
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return sendRefusal(res, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON');
    parse(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      const refused = clientError(err, tooLarge);
      if (!refused) return next(err);
      sendRefusal(res, refused.code, refused.message);
    });
  };
}

export interface MountOptions {
  /** Limits and checks that run before the body is read. */
  before?: RequestHandler[];
  /** The code for a body over the route's limit (default PAYLOAD_TOO_LARGE). */
  tooLarge?: ErrorCode;
  /** A route's own answer to input its schemas refuse (else BAD_REQUEST with the first issue). */
  invalid?: (where: 'params' | 'query' | 'body', error: z.ZodError) => Refused | null;
}

/** Registers one documented route on the app: its limits first, then its body, then validated input for the handler. */
export function mount<R extends HttpRoute>(app: Express, route: R, handler: Handler<R>, opts: MountOptions = {}): void {
  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const input: Record<string, unknown> = {};
      for (const [where, schema, value] of [
        ['params', route.params, req.params],
        ['query', route.query, req.query],
        ['body', route.body, req.body ?? {}],
      ] as const) {
        if (!schema) continue;
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          const own = opts.invalid?.(where, parsed.error);
          return own ? sendRefusal(res, own.code, own.message, own.problems) : sendRefusal(res, 'BAD_REQUEST', firstIssue(where, parsed.error));
        }
        input[where] = parsed.data;
      }
      const out = await handler(input as unknown as RouteInput<R>, req, res);
      if (out instanceof Refused) return sendRefusal(res, out.code, out.message, out.problems);
      // A handler may answer its documented body with another status (readiness: 503 while not ready).
      const status = typeof res.locals.status === 'number' ? res.locals.status : route.ok.status;
      if (route.ok.contentType === 'text/plain') return void res.status(status).send(out);
      res.status(status).json(out);
    } catch (err) {
      next(err);
    }
  };
  const body = route.body ? [jsonBody(route.bodyLimit ?? 16 * 1024, opts.tooLarge ?? 'PAYLOAD_TOO_LARGE')] : [];
  app[route.method](route.path, ...(opts.before ?? []), ...body, run);
}

/** The routes registered on an app, as `GET /api/rooms/:code` (middleware such as limits or the 404 is left out). */
export function listRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`) : []));
}
