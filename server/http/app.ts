import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { DOMAIN_2025_IDS } from '../../shared/curriculum.js';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { RoomCodeSchema } from '../../shared/protocol/events.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { WEEKLY_BOARDS, type WeeklyBoard, type WeeklyLeaderboardResponse } from '../../shared/protocol/leaderboards.js';
import { QUESTION_TYPES } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import type { Logger } from '../log.js';
import type { RoomDirectory } from '../cluster/directory.js';
import type { Metrics } from '../metrics.js';
import type { RoomInfo } from '../realtime/room-calls.js';
import { asyncApiDocument } from '../protocol-docs/asyncapi.js';
import { isStoreOutage } from '../storage/outage.js';
import { isoWeek, type Store } from '../storage/types.js';
import { practiceRouter, type PracticeDeps } from './practice-routes.js';
import { deckRouter } from './deck-routes.js';
import { homeworkRouter, type HomeworkDeps } from './homework-routes.js';

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
}


const sendError = (res: Response, status: number, code: ErrorCode, message: string) => res.status(status).json({ error: { code, message } });

function bankStats(bank: QuestionBank) {
  const count = <K extends string | number>(keys: readonly K[], pick: (q: QuestionBank['questions'][number]) => K) =>
    Object.fromEntries(keys.map((k) => [k, bank.questions.filter((q) => pick(q) === k).length]));
  return {
    total: bank.size,
    byDomain: count(DOMAIN_IDS, (q) => q.domain),
    byDomain2025: count(DOMAIN_2025_IDS, (q) => q.domain2025),
    byType: count(QUESTION_TYPES, (q) => q.type),
    byDifficulty: count([1, 2, 3] as const, (q) => q.difficulty),
  };
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
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

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/readyz', async (_req, res) => {
    const storeOk = await deps.store.ping();
    const accepting = deps.accepting();
    const ok = storeOk && accepting;
    res.status(ok ? 200 : 503).json({ ok, store: deps.store.kind, storeOk, accepting, persistent: deps.store.persistent, node: deps.rooms.nodeId });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // The Socket.IO protocol as AsyncAPI 3, generated from the zod schemas (once, on first request).
  let asyncApi: object | null = null;
  app.get('/api/asyncapi.json', (_req, res) => {
    res.json((asyncApi ??= asyncApiDocument()));
  });

  app.get('/api/bank/stats', (_req, res) => {
    res.json(stats);
  });

  app.get('/api/leaderboards/weekly', async (req, res) => {
    const week = typeof req.query.week === 'string' ? req.query.week : isoWeek(new Date());
    if (!/^\d{4}-W\d{2}$/.test(week)) return sendError(res, 400, 'BAD_REQUEST', 'week must look like 2026-W47');
    const board = req.query.board ?? 'quiz';
    if (!WEEKLY_BOARDS.includes(board as WeeklyBoard)) return sendError(res, 400, 'BAD_REQUEST', 'board must be quiz or exam');
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 200);
    const body: WeeklyLeaderboardResponse = { week, board: board as WeeklyBoard, entries: await deps.store.weeklyTop(week, limit, board as WeeklyBoard) };
    res.json(body);
  });

  app.get('/api/rooms/:code', async (req, res) => {
    const code = RoomCodeSchema.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'BAD_REQUEST', 'That is not a room code: it has 6 letters and digits, as shown on the big screen');
    const found = await deps.rooms.call(code.data, { op: 'info' });
    if (!found.ok) return sendError(res, found.error.code === 'ROOM_NOT_FOUND' ? 404 : 503, found.error.code, found.error.message);
    res.json({ exists: true, ...(found as { info: RoomInfo }).info });
  });

  app.get('/api/rooms/:code/leaderboard', async (req, res) => {
    const code = RoomCodeSchema.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'BAD_REQUEST', 'That is not a room code: it has 6 letters and digits, as shown on the big screen');
    const entries = await deps.store.roomTop(code.data, 100);
    if (entries.length === 0 && !(await deps.rooms.call(code.data, { op: 'info' })).ok) return sendError(res, 404, 'ROOM_NOT_FOUND', `There are no results for room ${code.data}`);
    res.json({ code: code.data, entries });
  });

  // Before the practice router: its 16 KB body parser would refuse an uploaded deck.
  if (deps.homework) app.use('/api/homework', homeworkRouter(deps.homework));
  // Decks (topics list, host uploads up to 200 KB): before the practice router's 16 KB body parser.
  const practice = deps.practice?.practice;
  app.use('/api', deckRouter({ bank: deps.bank, rooms: deps.rooms, now: Date.now, ...(practice ? { profileDomains: async (id: string) => (await practice.stats(id, 'cca-2024')).domains } : {}) }));
  if (deps.practice) app.use('/api', practiceRouter(deps.practice));

  app.get('/api/questions/flags', async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 500);
    res.json({ flags: await deps.store.listFlags(limit) });
  });

  app.use('/api', (_req, res) => {
    sendError(res, 404, 'NOT_FOUND', 'no such endpoint');
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

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isStoreOutage(err)) {
      deps.log.warn({ err: (err as Error).message }, 'store unavailable for an http request');
      return sendError(res, 503, 'STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly');
    }
    deps.log.error({ err }, 'http handler failed');
    sendError(res, 500, 'INTERNAL', 'Something went wrong on the server: try again');
  });
  return app;
}
