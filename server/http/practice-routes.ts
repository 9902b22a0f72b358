import express, { type Request, type Response } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { practiceSchemas } from '../../shared/protocol/practice.js';
import type { ExamRefusal, ExamService, ExamView } from '../practice/exams.js';
import type { PracticeStore } from '../practice/practice-store.js';
import type { Profile, ProfileStore, Profiles } from '../practice/profiles.js';
import type { PracticeService } from '../practice/service.js';

export interface PracticeDeps {
  exams: ExamService;
  profiles: Profiles;
  profileStore: ProfileStore;
  practice: PracticeService;
  practiceStore: PracticeStore;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  NICKNAME_INVALID: 400,
  INVALID_CHOICE: 400,
  SESSION_INVALID: 401,
  NOT_SERVED: 409,
  ALREADY_ANSWERED: 409,
  NO_QUESTIONS: 404,
  NOT_FOUND: 404,
  ALREADY_SUBMITTED: 409,
};

const sendError = (res: Response, code: ErrorCode, message: string) => res.status(STATUS[code] ?? 400).json({ error: { code, message } });

function body<S extends z.ZodType>(schema: S, req: Request, res: Response): z.output<S> | null {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  sendError(res, 'BAD_REQUEST', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  return null;
}

function query<S extends z.ZodType>(schema: S, req: Request, res: Response): z.output<S> | null {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  sendError(res, 'BAD_REQUEST', issue ? `${issue.path.join('.') || 'query'}: ${issue.message}` : 'invalid query');
  return null;
}

/** Solo practice over HTTP: `Authorization: Bearer <profile token>` identifies the player. */
export function practiceRouter(deps: PracticeDeps): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '16kb' }));

  const authed = async (req: Request, res: Response): Promise<Profile | null> => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const profile = await deps.profiles.authenticate(token);
    if (!profile) sendError(res, 'SESSION_INVALID', 'unknown or replaced profile token: create a profile or use your recovery code');
    return profile;
  };

  r.post('/profiles', async (req, res) => {
    const b = body(practiceSchemas.createProfile, req, res);
    if (!b) return;
    const created = await deps.profiles.create(b.nickname);
    if (!created.ok) return sendError(res, created.code, created.message);
    res.status(201).json(created.value);
  });

  r.post('/profiles/recover', async (req, res) => {
    const b = body(practiceSchemas.recoverProfile, req, res);
    if (!b) return;
    const moved = await deps.profiles.recover(b.code);
    if (!moved.ok) return sendError(res, moved.code, moved.message);
    res.json(moved.value);
  });

  r.get('/me', async (req, res) => {
    const profile = await authed(req, res);
    if (profile) res.json({ profile });
  });

  r.post('/practice/next', async (req, res) => {
    const profile = await authed(req, res);
    const b = profile && body(practiceSchemas.next, req, res);
    if (!profile || !b) return;
    const next = await deps.practice.next(profile.id, b);
    if (!next.ok) return sendError(res, next.code, next.message);
    res.json({ question: next.question, reason: next.reason });
  });

  r.post('/practice/answer', async (req, res) => {
    const profile = await authed(req, res);
    const b = profile && body(practiceSchemas.answer, req, res);
    if (!profile || !b) return;
    const result = await deps.practice.answer(profile.id, b.questionId, b.choices);
    if (!result.ok) return sendError(res, result.code, result.message);
    const { ok: _ok, ...feedback } = result;
    res.json(feedback);
  });

  r.get('/practice/stats', async (req, res) => {
    const profile = await authed(req, res);
    const q = profile && query(practiceSchemas.statsQuery, req, res);
    if (profile && q) res.json(await deps.practice.stats(profile.id, q.outline));
  });

  const examReply = (res: Response, v: ExamView | ExamRefusal) => ('ok' in v ? sendError(res, v.code, v.message) : res.json(v));

  r.post('/exams', async (req, res) => {
    const profile = await authed(req, res);
    const b = profile && body(practiceSchemas.startExam, req, res);
    if (!profile || !b) return;
    res.status(201).json(await deps.exams.start(profile.id, b));
  });

  r.get('/exams', async (req, res) => {
    const profile = await authed(req, res);
    if (profile) res.json({ exams: await deps.exams.history(profile.id) });
  });

  r.get('/exams/:id', async (req, res) => {
    const profile = await authed(req, res);
    if (profile) examReply(res, await deps.exams.get(profile.id, req.params.id));
  });

  r.put('/exams/:id/answers/:index', async (req, res) => {
    const profile = await authed(req, res);
    const b = profile && body(practiceSchemas.examAnswer, req, res);
    if (!profile || !b) return;
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0) return sendError(res, 'BAD_REQUEST', 'index must be a question number from 0');
    examReply(res, await deps.exams.answer(profile.id, req.params.id, index, b.choices, b.flagged));
  });

  r.post('/exams/:id/submit', async (req, res) => {
    const profile = await authed(req, res);
    if (profile) examReply(res, await deps.exams.submit(profile.id, req.params.id));
  });

  r.get('/leaderboards/rating', async (req, res) => {
    const parsed = practiceSchemas.ratingBoard.safeParse(req.query.board ?? 'overall');
    if (!parsed.success) return sendError(res, 'BAD_REQUEST', `board must be overall or a domain id (of either outline)`);
    const board = parsed.data;
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 100);
    const top = await deps.practiceStore.ratingTop(board, limit);
    const names = await Promise.all(top.map((t) => deps.profileStore.profileById(t.profileId)));
    res.json({ board, entries: top.map((t, i) => ({ rank: i + 1, name: names[i]?.name ?? '?', rating: t.rating })) });
  });

  return r;
}
