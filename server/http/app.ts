import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { DOMAIN_2025_IDS } from '../../shared/curriculum.js';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { HTTP_ROUTES as R } from '../../shared/protocol/http-routes.js';
import { QUESTION_TYPES } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import type { Logger } from '../log.js';
import type { RoomDirectory } from '../cluster/directory.js';
import type { Metrics } from '../metrics.js';
import type { RoomInfo } from '../realtime/room-calls.js';
import { asyncApiDocument } from '../protocol-docs/asyncapi.js';
import { openApiDocument } from '../protocol-docs/openapi.js';
import { isStoreOutage } from '../storage/outage.js';
import { isoWeek, type Store } from '../storage/types.js';
import { mountPractice, type PracticeDeps } from './practice-routes.js';
import { mountDecks } from './deck-routes.js';
import { mountHomework, type HomeworkDeps } from './homework-routes.js';
import { HttpLimits, type HttpLimitOptions } from './limits.js';
import { clientError, mount, refuse, sendRefusal } from './route.js';

export interface HttpDeps {
  /** Solo practice routes; absent in tests that only need the room API. */
  practice?: PracticeDeps;
  /** Homework assignments (/api/homework); absent in tests that do not need them. */
  homework?: HomeworkDeps;
  bank: QuestionBank;
  store: Store;
  rooms: RoomDirectory;
  metrics: Metrics;
  /** False while the node shuts down: load balancers should stop sending players here. */
  accepting: () => boolean;
  log: Logger;
  clientDir: string;
  /** Proxies in front whose X-Forwarded-* headers Express trusts (TRUST_PROXY_HOPS); 0 = none. */
  trustProxyHops?: number;
  /** With a token, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
  limits?: Partial<HttpLimitOptions>;
}

function bankStats(bank: QuestionBank) {
  const count = <K extends string | number>(keys: readonly K[], pick: (q: QuestionBank['questions'][number]) => K) =>
    Object.fromEntries(keys.map((k) => [k, bank.questions.filter((q) => pick(q) === k).length]));
  return {
    total: bank.size,
    byDomain: count(DOMAIN_IDS, (q) => q.domain),
    byDomain2025: count(DOMAIN_2025_IDS, (q) => q.domain2025),
    byType: count(QUESTION_TYPES, (q) => q.type),
    byDifficulty: count([1, 2, 3] as const, (q) => q.difficulty),
  } as { total: number; byDomain: Record<(typeof DOMAIN_IDS)[number], number>; byDomain2025: Record<(typeof DOMAIN_2025_IDS)[number], number>; byType: Record<(typeof QUESTION_TYPES)[number], number>; byDifficulty: Record<'1' | '2' | '3', number> };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the Bearer token with the configured one (hashes make the lengths equal). */
function bearerMatches(req: Request, token: string): boolean {
  const sent = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
  return sent !== undefined && timingSafeEqual(sha256(sent), sha256(token));
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* count only from the configured number of proxies (req.ip, req.protocol).
  app.set('trust proxy', deps.trustProxyHops ?? 0);
  // Phones on venue Wi-Fi: gzip cuts the client's transfer to about a third.
  app.use(compression());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // Self-hosted scripts and styles only (Svelte sets dynamic styles through the CSSOM, which CSP allows); QR codes are data: images.
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          // Meetups often run on plain http on a local network: do not force https sub-requests.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  const stats = bankStats(deps.bank);
  const limits = new HttpLimits({
    roomLookupsPerIpPerMinute: deps.limits?.roomLookupsPerIpPerMinute ?? 1200,
    roomMissesPerIpPerMinute: deps.limits?.roomMissesPerIpPerMinute ?? 300,
    profilesPerIpPerMinute: deps.limits?.profilesPerIpPerMinute ?? 300,
    ...(deps.limits?.redis ? { redis: deps.limits.redis } : {}),
  });
  const openapi = openApiDocument();

  mount(app, R.health, () => ({ ok: true as const }));

  mount(app, R.ready, async (_in, _req, res) => {
    // Bounded like the ping: a Redis that is down must not hold the probe.
    const unknown = { aof: null, rdb: null };
    const persistence = Promise.race([deps.store.persistence(), new Promise<typeof unknown>((resolve) => setTimeout(() => resolve(unknown), 1_000).unref())]).catch(() => unknown);
    const [storeOk, reported] = await Promise.all([deps.store.ping(), persistence]);
    const accepting = deps.accepting();
    const ok = storeOk && accepting;
    const persistent = reported.aof === true || reported.rdb === true ? true : reported.aof === null || reported.rdb === null ? null : false;
    if (!ok) res.locals.status = 503;
    return { ok, store: deps.store.kind, storeOk, accepting, persistent, persistence: reported, node: deps.rooms.nodeId };
  });

  mount(app, R.metrics, async (_in, req, res) => {
    if (deps.metricsToken && !bearerMatches(req, deps.metricsToken)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      return refuse('SESSION_INVALID', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    }
    res.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  mount(app, R.openapi, () => openapi);
  // The Socket.IO protocol, generated from the zod schemas (once, on first request).
  let asyncApi: object | null = null;
  mount(app, R.asyncapi, () => (asyncApi ??= asyncApiDocument()) as { asyncapi: string });
  mount(app, R.bankStats, () => stats);

  mount(app, R.weekly, async ({ query }) => {
    const week = query.week ?? isoWeek(new Date());
    return { week, board: query.board, entries: await deps.store.weeklyTop(week, query.limit, query.board) };
  });

  const lookup = { before: [limits.roomLookup] };
  const notFound = async (req: Request, code: string, message: string) => {
    await limits.missed(req);
    return refuse('ROOM_NOT_FOUND', message || `There is no room ${code}`);
  };

  mount(
    app,
    R.roomInfo,
    async ({ params }, req) => {
      const found = await deps.rooms.call(params.code, { op: 'info' });
      if (!found.ok) return found.error.code === 'ROOM_NOT_FOUND' ? notFound(req, params.code, found.error.message) : refuse(found.error.code, found.error.message);
      return { exists: true as const, ...(found as { info: RoomInfo }).info };
    },
    lookup,
  );

  mount(
    app,
    R.roomLeaderboard,
    async ({ params, query }, req) => {
      const [total, entries] = await Promise.all([deps.store.roomSize(params.code), deps.store.roomTop(params.code, query.limit, query.offset)]);
      if (total === 0 && !(await deps.rooms.call(params.code, { op: 'info' })).ok) return notFound(req, params.code, `There are no results for room ${params.code}`);
      return { code: params.code, total, limit: query.limit, offset: query.offset, entries: entries.map((e, i) => ({ rank: query.offset + i + 1, ...e })) };
    },
    lookup,
  );

  // Decks (topics list, host uploads up to 200 KB), practice and homework.
  const practice = deps.practice?.practice;
  mountDecks(app, { bank: deps.bank, rooms: deps.rooms, now: Date.now, ...(practice ? { profileDomains: async (id: string) => (await practice.stats(id, 'cca-2024')).domains } : {}) });
  if (deps.homework) mountHomework(app, deps.homework);
  if (deps.practice) mountPractice(app, deps.practice, limits);

  mount(app, R.flags, async ({ query }) => {
    const [total, flags] = await Promise.all([deps.store.flagCount(), deps.store.listFlags(query.limit, query.offset)]);
    return {
      total,
      limit: query.limit,
      offset: query.offset,
      // Room codes stay out: a flag from a room still playing would hand its code to anyone.
      flags: flags.map((f) => ({
        questionId: f.questionId,
        count: f.count,
        reasons: f.reasons.map(({ reason, at }) => ({ reason, at })),
        protests: f.protests.map(({ reason, at, decision, decidedAt }) => ({ reason, at, decision, decidedAt })),
      })),
    };
  });

  app.use('/api', (_req, res) => {
    sendRefusal(res, 'NOT_FOUND', 'no such endpoint');
  });

  if (existsSync(join(deps.clientDir, 'index.html'))) {
    // Hashed assets never change: cache them for a year; index.html is always revalidated.
    app.use('/assets', express.static(join(deps.clientDir, 'assets'), { immutable: true, maxAge: '365d' }));
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    // Client-side routes (/join/ABCDEF, /host, ...) all load the single page.
    app.get('/{*path}', (_req, res) => {
      res.sendFile(join(deps.clientDir, 'index.html'), { maxAge: 0 });
    });
  } else {
    deps.log.warn({ clientDir: deps.clientDir }, 'client not built: run `npm run build` to serve the web app');
  }
  app.use((_req, res) => sendRefusal(res, 'NOT_FOUND', 'no such page'));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (isStoreOutage(err)) {
      deps.log.warn({ err: (err as Error).message }, 'store unavailable for an http request');
      return sendRefusal(res, 'STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly');
    }
    // A client's mistake (undecodable path, unreadable body): answered with its code, logged without a stack.
    const refused = clientError(err);
    if (refused) {
      deps.log.debug({ method: req.method, path: req.path, status: (err as { status?: number }).status, reason: (err as Error).message }, 'refused a malformed http request');
      return sendRefusal(res, refused.code, refused.message);
    }
    deps.log.error({ err }, 'http handler failed');
    if (res.headersSent) return void res.end();
    sendRefusal(res, 'INTERNAL', 'Something went wrong on the server: try again');
  });
  return app;
}
