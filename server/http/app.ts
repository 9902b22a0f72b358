import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { RoomCodeSchema } from '../../shared/protocol/events.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { QUESTION_TYPES } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import type { Logger } from '../log.js';
import type { RoomRegistry } from '../realtime/registry.js';
import { isoWeek, type Store } from '../storage/types.js';
import { practiceRouter, type PracticeDeps } from './practice-routes.js';

export interface HttpDeps {
  /** Solo practice routes; absent in tests that only need the room API. */
  practice?: PracticeDeps;
  bank: QuestionBank;
  store: Store;
  registry: RoomRegistry;
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
    byType: count(QUESTION_TYPES, (q) => q.type),
    byDifficulty: count([1, 2, 3] as const, (q) => q.difficulty),
  };
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Phones on venue Wi-Fi: gzip cuts the client's transfer to about a third.
  app.use(compression());
  const stats = bankStats(deps.bank);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/readyz', async (_req, res) => {
    const storeOk = await deps.store.ping();
    res.status(storeOk ? 200 : 503).json({ ok: storeOk, store: deps.store.kind, persistent: deps.store.persistent });
  });

  app.get('/api/bank/stats', (_req, res) => {
    res.json(stats);
  });

  app.get('/api/leaderboards/weekly', async (req, res) => {
    const week = typeof req.query.week === 'string' ? req.query.week : isoWeek(new Date());
    if (!/^\d{4}-W\d{2}$/.test(week)) return sendError(res, 400, 'BAD_REQUEST', 'week must look like 2026-W47');
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 200);
    res.json({ week, entries: await deps.store.weeklyTop(week, limit) });
  });

  app.get('/api/rooms/:code', (req, res) => {
    const code = RoomCodeSchema.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'BAD_REQUEST', 'a room code is 6 characters');
    const room = deps.registry.get(code.data);
    if (!room) return sendError(res, 404, 'ROOM_NOT_FOUND', `no room ${code.data}`);
    const s = room.state;
    res.json({
      exists: true,
      code: s.code,
      mode: s.settings.mode,
      phase: s.phase,
      playerCount: s.playerOrder.length,
      teams: s.settings.teams,
      joinable: !s.locked && s.phase !== 'finished' && s.playerOrder.length < s.maxPlayers,
    });
  });

  app.get('/api/rooms/:code/leaderboard', async (req, res) => {
    const code = RoomCodeSchema.safeParse(req.params.code);
    if (!code.success) return sendError(res, 400, 'BAD_REQUEST', 'a room code is 6 characters');
    const entries = await deps.store.roomTop(code.data, 100);
    if (entries.length === 0 && !deps.registry.get(code.data)) return sendError(res, 404, 'ROOM_NOT_FOUND', `no results for room ${code.data}`);
    res.json({ code: code.data, entries });
  });

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
    deps.log.error({ err }, 'http handler failed');
    sendError(res, 500, 'INTERNAL', 'something went wrong on the server');
  });
  return app;
}
