import type { Redis } from 'ioredis';
import { LuaScript } from '../storage/lua.js';
import { nanoid } from 'nanoid';
import type { OutlineId } from '../../shared/curriculum.js';
import { EXAM_DEFAULTS } from '../../shared/domains.js';
import type { ExamResult, ExamSummary, ExamView } from '../../shared/protocol/practice-views.js';
import { publicPart, selectionProblem } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import { drawQuestions } from '../game/draw.js';
import { Rng } from '../game/rng.js';
import { examResult } from '../game/exam-result.js';

export interface Exam {
  id: string;
  profileId: string;
  createdAt: number;
  deadline: number;
  passMark: number;
  questionIds: string[];
  answers: (number[] | null)[];
  flags: boolean[];
  status: 'open' | 'submitted';
  submittedAt: number | null;
  timedOut: boolean;
  /** Set when the exam was taken in a room (a room mock exam), not alone. */
  roomCode?: string;
  /** The outline of its blueprint and debrief; absent in exams stored before outlines (cca-2024). */
  outline?: OutlineId;
  /** Bumped on every write: the store only accepts a write made from the latest version. */
  version: number;
}

export type { ExamResult, ExamView };

export interface ExamStore {
  load(id: string): Promise<Exam | null>;
  /** Writes `exam` only if the stored version is `exam.version - 1` (or absent for version 1). */
  save(exam: Exam): Promise<boolean>;
  history(profileId: string): Promise<Exam[]>;
}

export type ExamRefusal = { ok: false; code: 'NOT_FOUND' | 'ALREADY_SUBMITTED' | 'INVALID_CHOICE' | 'BAD_REQUEST'; message: string };

export class ExamService {
  constructor(
    private readonly bank: QuestionBank,
    private readonly store: ExamStore,
    private readonly now: () => number = Date.now,
    /** Seed of each exam's draw (injected by tests that check the blueprint). */
    private readonly seed: () => number = () => (Math.random() * 2 ** 32) >>> 0,
  ) {}

  async start(profileId: string, opts: { outline?: OutlineId; count?: number; durationMinutes?: number; passMark?: number }): Promise<ExamView> {
    const count = opts.count ?? EXAM_DEFAULTS.questionCount;
    const rng = new Rng(this.seed());
    const filter = { domains: [], difficulties: [], blueprintWeighted: true, questionCount: count, ...(opts.outline ? { outline: opts.outline } : {}) };
    const ids = drawQuestions(this.bank, filter, rng).map((g) => g.question.id);
    const now = this.now();
    const exam: Exam = {
      id: nanoid(16),
      profileId,
      createdAt: now,
      deadline: now + (opts.durationMinutes ?? EXAM_DEFAULTS.durationMinutes) * 60_000,
      passMark: opts.passMark ?? EXAM_DEFAULTS.passMarkPercent,
      questionIds: ids,
      answers: ids.map(() => null),
      flags: ids.map(() => false),
      status: 'open',
      submittedAt: null,
      timedOut: false,
      ...(opts.outline ? { outline: opts.outline } : {}),
      version: 1,
    };
    await this.store.save(exam);
    return this.view(exam);
  }

  /** Loads an exam of this profile, submitting it first if its clock ran out. */
  async get(profileId: string, id: string): Promise<ExamView | ExamRefusal> {
    const exam = await this.mine(profileId, id);
    if (!exam) return { ok: false, code: 'NOT_FOUND', message: 'no such exam' };
    return this.view(await this.expire(exam));
  }

  async answer(profileId: string, id: string, index: number, choices: number[] | null, flagged: boolean | undefined): Promise<ExamView | ExamRefusal> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.mine(profileId, id);
      if (!found) return { ok: false, code: 'NOT_FOUND', message: 'no such exam' };
      const exam = await this.expire(found);
      if (exam.status !== 'open') return { ok: false, code: 'ALREADY_SUBMITTED', message: 'this exam has been submitted' };
      const q = this.bank.byId.get(exam.questionIds[index] ?? '');
      if (!q) return { ok: false, code: 'BAD_REQUEST', message: `question ${index + 1} does not exist in this exam` };
      const problem = choices && selectionProblem(q.type, q.choices.length, choices);
      if (problem) return { ok: false, code: 'INVALID_CHOICE', message: problem };
      const next: Exam = {
        ...exam,
        answers: exam.answers.map((a, i) => (i === index ? (choices ? [...choices].sort((x, y) => x - y) : null) : a)),
        flags: exam.flags.map((f, i) => (i === index && flagged !== undefined ? flagged : f)),
        version: exam.version + 1,
      };
      if (await this.store.save(next)) return this.view(next);
    }
    throw new Error('exam update kept conflicting');
  }

  async submit(profileId: string, id: string): Promise<ExamView | ExamRefusal> {
    const exam = await this.mine(profileId, id);
    if (!exam) return { ok: false, code: 'NOT_FOUND', message: 'no such exam' };
    if (exam.status !== 'open') return { ok: false, code: 'ALREADY_SUBMITTED', message: 'this exam has already been submitted' };
    const done: Exam = { ...exam, status: 'submitted', submittedAt: this.now(), timedOut: this.now() >= exam.deadline, version: exam.version + 1 };
    // Two submits racing: only the write made from the open version lands.
    if (!(await this.store.save(done))) return { ok: false, code: 'ALREADY_SUBMITTED', message: 'this exam has already been submitted' };
    return this.view(done);
  }

  async history(profileId: string): Promise<ExamSummary[]> {
    const exams = await this.store.history(profileId);
    return exams.map((e) => {
      const r = e.status === 'submitted' ? this.result(e) : null;
      return { id: e.id, createdAt: e.createdAt, status: e.status, total: e.questionIds.length, percent: r?.percent ?? null, passed: r?.passed ?? null, roomCode: e.roomCode ?? null };
    });
  }

  /** Files a finished room exam in the player's history (idempotent: an existing record stays). */
  async record(exam: Exam): Promise<void> {
    await this.store.save(exam);
  }

  private async mine(profileId: string, id: string): Promise<Exam | null> {
    const exam = await this.store.load(id);
    return exam && exam.profileId === profileId ? exam : null;
  }

  private async expire(exam: Exam): Promise<Exam> {
    if (exam.status !== 'open' || this.now() < exam.deadline) return exam;
    const done: Exam = { ...exam, status: 'submitted', submittedAt: exam.deadline, timedOut: true, version: exam.version + 1 };
    return (await this.store.save(done)) ? done : ((await this.store.load(exam.id)) ?? done);
  }

  private result(exam: Exam): ExamResult {
    const items = exam.questionIds.map((id, i) => {
      const q = this.bank.byId.get(id)!;
      return { ...q, sourceUrl: q.source.url, yourAnswer: exam.answers[i] ?? null, flagged: exam.flags[i] ?? false };
    });
    return examResult(items, exam.passMark, exam.timedOut, exam.outline);
  }

  private view(exam: Exam): ExamView {
    return {
      id: exam.id,
      status: exam.status,
      deadline: exam.deadline,
      serverTime: this.now(),
      passMark: exam.passMark,
      passMarkOfficial: false,
      questions: exam.questionIds.map((id) => publicPart(this.bank.byId.get(id)!)),
      answers: exam.answers,
      flags: exam.flags,
      result: exam.status === 'submitted' ? this.result(exam) : null,
    };
  }
}

export class MemoryExamStore implements ExamStore {
  private exams = new Map<string, Exam>();

  async load(id: string): Promise<Exam | null> {
    return this.exams.get(id) ?? null;
  }

  async save(exam: Exam): Promise<boolean> {
    if ((this.exams.get(exam.id)?.version ?? 0) !== exam.version - 1) return false;
    this.exams.set(exam.id, exam);
    return true;
  }

  async history(profileId: string): Promise<Exam[]> {
    return [...this.exams.values()].filter((e) => e.profileId === profileId).sort((a, b) => b.createdAt - a.createdAt);
  }
}

/** KEYS: exam key, history list. ARGV: expected previous version, JSON, profile's history key member. */
const CAS_EXAM = new LuaScript(`
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = cjson.decode(current).version end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if version == 0 then redis.call('LPUSH', KEYS[2], ARGV[3]) end
return 1
`, 2);

export class RedisExamStore implements ExamStore {
  constructor(private readonly redis: Redis) {}

  async load(id: string): Promise<Exam | null> {
    const raw = await this.redis.get(`cca:exam:${id}`);
    return raw ? (JSON.parse(raw) as Exam) : null;
  }

  async save(exam: Exam): Promise<boolean> {
    const ok = await CAS_EXAM.run(this.redis, `cca:exam:${exam.id}`, `cca:exams:${exam.profileId}`, exam.version - 1, JSON.stringify(exam), exam.id);
    return ok === 1;
  }

  async history(profileId: string): Promise<Exam[]> {
    const ids = await this.redis.lrange(`cca:exams:${profileId}`, 0, 49);
    const exams = await Promise.all(ids.map((id) => this.load(id)));
    return exams.filter((e): e is Exam => e !== null);
  }
}
