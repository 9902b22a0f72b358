import type { Express, NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { HTTP_ROUTES as R } from '../../shared/protocol/http-routes.js';
import type { HomeworkService, Member, Refusal } from '../homework/service.js';
import type { Profiles } from '../practice/profiles.js';
import { clientIp, limiter, within } from './limits.js';
import { mount, refuse, Refused, sendRefusal } from './route.js';

export interface HomeworkDeps {
  homework: HomeworkService;
  profiles: Profiles;
  /** Shared counts across nodes when there is Redis. */
  redis?: Redis;
  /** Requests per client address per minute (all routes), and creations. */
  requestsPerMinute?: number;
  createsPerMinute?: number;
}

const bearer = (req: Request) => /^Bearer ([A-Za-z0-9_-]{1,64})$/.exec(req.get('authorization') ?? '')?.[1] ?? null;

/** A service outcome as a reply or a refusal. */
const reply = <T extends object>(out: ({ ok: true } & T) | Refusal): Omit<T, 'ok'> | Refused => {
  if (!out.ok) return refuse(out.code, out.message, out.problems);
  const { ok: _ok, ...rest } = out;
  return rest;
};

/** Homework over HTTP under /api/homework. Members: `Authorization: Bearer <profile or member token>`; lead: the lead token. */
export function mountHomework(app: Express, deps: HomeworkDeps): void {
  const requests = limiter('hw', deps.requestsPerMinute ?? 600, deps.redis);
  const creates = limiter('hw-create', deps.createsPerMinute ?? 30, deps.redis);
  const take = (limit: RateLimiterAbstract) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (await within(limit, clientIp(req))) return next();
      sendRefusal(res, 'RATE_LIMITED', 'Too many requests from your network: wait a minute and try again');
    } catch (err) {
      next(err);
    }
  };
  app.use('/api/homework', take(requests));
  const member = async (req: Request): Promise<Member> => {
    const token = bearer(req);
    const profile = token ? await deps.profiles.authenticate(token) : null;
    return { profile: profile ? { id: profile.id, name: profile.name } : null, token: profile ? null : token };
  };

  mount(app, R.createHomework, async ({ body }) => reply(await deps.homework.create(body)), { before: [take(creates)], tooLarge: 'DECK_TOO_LARGE' });
  mount(app, R.homework, async ({ params }) => reply(await deps.homework.describe(params.id)));
  mount(app, R.currentAttempt, async ({ params }, req) => reply(await deps.homework.current(params.id, await member(req))));
  mount(app, R.startAttempt, async ({ params, body }, req) => reply(await deps.homework.start(params.id, await member(req), body.name)));
  mount(app, R.homeworkAnswer, async ({ params, body }, req) => {
    const who = await member(req);
    const out = reply(await deps.homework.answer(params.id, who, body.index, body.choices));
    if (who.profile && !(out instanceof Refused)) await deps.profiles.retain(who.profile.id);
    return out;
  });
  mount(app, R.homeworkResults, async ({ params }, req) => reply(await deps.homework.results(params.id, bearer(req) ?? '')));
}
