import type { Express, Request, RequestHandler } from 'express';
import { HTTP_ROUTES as R } from '../../shared/protocol/http-routes.js';
import type { ExamRefusal, ExamService, ExamView } from '../practice/exams.js';
import type { PracticeStore } from '../practice/practice-store.js';
import type { Profile, ProfileStore, Profiles } from '../practice/profiles.js';
import type { PracticeService } from '../practice/service.js';
import { mount, refuse, Refused } from './route.js';

export interface PracticeDeps {
  exams: ExamService;
  profiles: Profiles;
  profileStore: ProfileStore;
  practice: PracticeService;
  practiceStore: PracticeStore;
}

const bearer = (req: Request) => /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';

/** Solo practice and mock exams over HTTP: `Authorization: Bearer <profile token>` identifies the player. */
export function mountPractice(app: Express, deps: PracticeDeps, limits: { profileCreation: RequestHandler }): void {
  const authed = async (req: Request): Promise<Profile | Refused> =>
    (await deps.profiles.authenticate(bearer(req))) ?? refuse('SESSION_INVALID', 'unknown or replaced profile token: create a profile or use your recovery code');
  const examReply = (v: ExamView | ExamRefusal) => ('ok' in v ? refuse(v.code, v.message) : v);

  mount(
    app,
    R.createProfile,
    async ({ body }) => {
      const created = await deps.profiles.create(body.nickname);
      return created.ok ? created.value : refuse(created.code, created.message);
    },
    { before: [limits.profileCreation] },
  );

  mount(app, R.recoverProfile, async ({ body }) => {
    const moved = await deps.profiles.recover(body.code);
    return moved.ok ? moved.value : refuse(moved.code, moved.message);
  });

  mount(app, R.me, async (_in, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : { profile };
  });

  mount(app, R.practiceNext, async ({ body }, req) => {
    const profile = await authed(req);
    if (profile instanceof Refused) return profile;
    const next = await deps.practice.next(profile.id, body);
    return next.ok ? { question: next.question, reason: next.reason } : refuse(next.code, next.message);
  });

  mount(app, R.practiceAnswer, async ({ body }, req) => {
    const profile = await authed(req);
    if (profile instanceof Refused) return profile;
    const result = await deps.practice.answer(profile.id, body.questionId, body.choices);
    if (!result.ok) return refuse(result.code, result.message);
    await deps.profiles.retain(profile.id);
    const { ok: _ok, ...feedback } = result;
    return feedback;
  });

  mount(app, R.practiceStats, async ({ query }, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : deps.practice.stats(profile.id, query.outline);
  });

  mount(app, R.startExam, async ({ body }, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : deps.exams.start(profile.id, body);
  });

  mount(app, R.exams, async (_in, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : { exams: await deps.exams.history(profile.id) };
  });

  mount(app, R.exam, async ({ params }, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : examReply(await deps.exams.get(profile.id, params.id));
  });

  mount(app, R.examAnswer, async ({ params, body }, req) => {
    const profile = await authed(req);
    if (profile instanceof Refused) return profile;
    const reply = examReply(await deps.exams.answer(profile.id, params.id, params.index, body.choices, body.flagged));
    if (!(reply instanceof Refused)) await deps.profiles.retain(profile.id);
    return reply;
  });

  mount(app, R.submitExam, async ({ params }, req) => {
    const profile = await authed(req);
    return profile instanceof Refused ? profile : examReply(await deps.exams.submit(profile.id, params.id));
  });

  mount(app, R.ratingBoard, async ({ query }) => {
    const top = await deps.practiceStore.ratingTop(query.board, query.limit);
    const names = await Promise.all(top.map((t) => deps.profileStore.profileById(t.profileId)));
    return { board: query.board, entries: top.map((t, i) => ({ rank: i + 1, name: names[i]?.name ?? '?', rating: t.rating })) };
  });
}
