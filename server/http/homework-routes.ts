import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { z } from 'zod';
import type { DeckProblem } from '../../shared/protocol/decks.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { AssignmentIdSchema, homeworkSchemas } from '../../shared/protocol/homework.js';
import type { HomeworkService, Member, Refusal } from '../homework/service.js';
import type { Profiles } from '../practice/profiles.js';
import { clientAddress } from '../realtime/limits.js';

export interface HomeworkDeps {
  homework: HomeworkService;
  profiles: Profiles;
  /** Shared counts across nodes when there is Redis. */
  redis?: Redis;
  trustProxyHops: number;
  /** Requests per client address per minute (all routes), and creations. */
  requestsPerMinute?: number;
  createsPerMinute?: number;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  NICKNAME_INVALID: 400,
  INVALID_CHOICE: 400,
  DECK_INVALID: 400,
  DECK_EMPTY: 400,
  DECK_TOO_LARGE: 413,
  SESSION_INVALID: 401,
  NOT_HOST: 403,
  NOT_FOUND: 404,
  ALREADY_SUBMITTED: 409,
  ALREADY_ANSWERED: 409,
  NOT_SERVED: 409,
  ROOM_FULL: 409,
  LATE: 410,
  RATE_LIMITED: 429,
};

const sendError = (res: Response, code: ErrorCode, message: string, problems?: DeckProblem[]) =>
  res.status(STATUS[code] ?? 400).json({ error: { code, message }, ...(problems ? { problems } : {}) });

function body<S extends z.ZodType>(schema: S, req: Request, res: Response): z.output<S> | null {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  sendError(res, 'BAD_REQUEST', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  return null;
}

function limiter(name: string, points: number, redis: Redis | undefined): RateLimiterAbstract {
  const base = { keyPrefix: `cca:limit:${name}`, points, duration: 60 };
  const memory = new RateLimiterMemory(base);
  return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory, rejectIfRedisNotReady: true }) : memory;
}

const bearer = (req: Request) => /^Bearer ([A-Za-z0-9_-]{1,64})$/.exec(req.get('authorization') ?? '')?.[1] ?? null;

/** Homework over HTTP under /api/homework. Members: `Authorization: Bearer <profile or member token>`; lead: the lead token. */
export function homeworkRouter(deps: HomeworkDeps): express.Router {
  const r = express.Router();
  const requests = limiter('hw', deps.requestsPerMinute ?? 600, deps.redis);
  const creates = limiter('hw-create', deps.createsPerMinute ?? 30, deps.redis);
  const take = async (limit: RateLimiterAbstract, req: Request, res: Response): Promise<boolean> => {
    try {
      await limit.consume(clientAddress(req, deps.trustProxyHops));
      return true;
    } catch (err) {
      if (err instanceof Error) throw err;
      sendError(res, 'RATE_LIMITED', 'Too many requests from your network: wait a minute and try again');
      return false;
    }
  };
  r.use(async (req, res, next) => {
    if (await take(requests, req, res)) next();
  });
  // An uploaded deck may be large; every other body is small.
  r.post('/', express.json({ limit: '512kb' }));
  r.use(express.json({ limit: '16kb' }));

  const reply = <T extends object>(res: Response, out: ({ ok: true } & T) | Refusal, status = 200) => {
    if (!out.ok) return sendError(res, out.code, out.message, out.problems);
    const { ok: _ok, ...rest } = out;
    res.status(status).json(rest);
  };
  const idOf = (req: Request, res: Response): string | null => {
    const id = AssignmentIdSchema.safeParse(req.params.id);
    if (id.success) return id.data;
    sendError(res, 'NOT_FOUND', 'There is no such assignment: check the link');
    return null;
  };
  const member = async (req: Request): Promise<Member> => {
    const token = bearer(req);
    const profile = token ? await deps.profiles.authenticate(token) : null;
    return { profile: profile ? { id: profile.id, name: profile.name } : null, token: profile ? null : token };
  };

  r.post('/', async (req, res) => {
    if (!(await take(creates, req, res))) return;
    const b = body(homeworkSchemas.create, req, res);
    if (b) reply(res, await deps.homework.create(b), 201);
  });

  r.get('/:id', async (req, res) => {
    const id = idOf(req, res);
    if (id) reply(res, await deps.homework.describe(id));
  });

  r.get('/:id/attempt', async (req, res) => {
    const id = idOf(req, res);
    if (id) reply(res, await deps.homework.current(id, await member(req)));
  });

  r.post('/:id/attempt', async (req, res) => {
    const id = idOf(req, res);
    const b = id && body(homeworkSchemas.start, req, res);
    if (id && b) reply(res, await deps.homework.start(id, await member(req), b.name));
  });

  r.post('/:id/answers', async (req, res) => {
    const id = idOf(req, res);
    const b = id && body(homeworkSchemas.answer, req, res);
    if (id && b) reply(res, await deps.homework.answer(id, await member(req), b.index, b.choices));
  });

  r.get('/:id/results', async (req, res) => {
    const id = idOf(req, res);
    if (id) reply(res, await deps.homework.results(id, bearer(req) ?? ''));
  });

  // Bodies that are too big or not JSON: a clear code, never a 500.
  r.use((err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') return sendError(res, 'DECK_TOO_LARGE', 'That request is too large (an uploaded deck holds at most 200 KB of YAML)');
    if (err?.type === 'entity.parse.failed') return sendError(res, 'BAD_REQUEST', 'The body is not valid JSON');
    next(err);
  });
  return r;
}
