import { nanoid } from 'nanoid';
import { outlineDomainIds, outlineDomainOf } from '../../shared/curriculum.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { HOMEWORK_LIMITS, type AssignmentInfo, type AttemptView, type HomeworkFeedback, type HomeworkResults, type StartReply } from '../../shared/protocol/homework.js';
import type { DeckProblem, DeckSpec } from '../../shared/protocol/decks.js';
import type { OutlineId } from '../../shared/curriculum.js';
import { normalizeNickname } from '../../shared/nickname.js';
import { isCorrectSelection, publicPart, selectionProblem } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import { hashSecret } from '../realtime/tokens.js';
import type { RoomMiss } from '../practice/room-misses.js';
import { resolveHomeworkDeck } from './deck.js';
import type { Assignment, Attempt, HomeworkStore } from './store.js';

/** `problems` name question and field when a deck is refused. */
export type Refusal = { ok: false; code: ErrorCode; message: string; problems?: DeckProblem[] };
export type Outcome<T> = ({ ok: true } & T) | Refusal;

/** Who is calling: a practice profile, or the member token an earlier start handed out (or neither). */
export interface Member {
  profile: { id: string; name: string } | null;
  token: string | null;
}

export interface HomeworkOptions {
  now: () => number;
  /** Misses of profiled members, fed to their review queue once the attempt is finished. */
  onMisses?: (misses: RoomMiss[]) => Promise<unknown>;
  seed?: () => number;
}

const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });

/**
 * Homework: a lead's assignment (a frozen deck and a due date) that members play at their own pace.
 * One attempt per member, resumable; an attempt begun before the due date may be finished after it,
 * but nobody starts late. 1 point per correct answer, no speed.
 */
export class HomeworkService {
  constructor(
    private readonly bank: QuestionBank,
    private readonly store: HomeworkStore,
    private readonly opts: HomeworkOptions,
  ) {}

  private get now(): number {
    return this.opts.now();
  }

  async create(input: { title: string; deck: DeckSpec; count: number; dueAt: number; outline: OutlineId }): Promise<Outcome<{ assignment: AssignmentInfo; leadToken: string }>> {
    const now = this.now;
    if (input.dueAt < now + HOMEWORK_LIMITS.minLeadMs) return refuse('BAD_REQUEST', 'dueAt: the due date must be at least a minute in the future');
    if (input.dueAt > now + HOMEWORK_LIMITS.maxAheadMs) return refuse('BAD_REQUEST', 'dueAt: the due date must be within a year');
    const seed = this.opts.seed?.() ?? (Math.random() * 2 ** 32) >>> 0;
    const deck = resolveHomeworkDeck(input.deck, input.count, this.bank, input.outline, seed, new Date(now).toISOString().slice(0, 10));
    if (!deck.ok) return deck;
    const leadToken = nanoid(32);
    const a: Assignment = {
      id: nanoid(12),
      title: input.title,
      createdAt: now,
      dueAt: input.dueAt,
      outline: input.outline,
      leadTokenHash: hashSecret(leadToken),
      deck: { kind: input.deck.kind, requested: input.deck.kind === 'ids' || input.deck.kind === 'upload' ? deck.questions.length : input.count },
      questions: deck.questions,
    };
    await this.store.create(a);
    return { ok: true, assignment: this.info(a), leadToken };
  }

  async describe(id: string): Promise<Outcome<{ assignment: AssignmentInfo }>> {
    const a = await this.store.load(id);
    return a ? { ok: true, assignment: this.info(a) } : this.missing();
  }

  /** Starts the member's attempt, or resumes it; refuses a finished one and late starts. */
  async start(id: string, who: Member, name: string | undefined): Promise<Outcome<StartReply>> {
    const a = await this.store.load(id);
    if (!a) return this.missing();
    const found = await this.find(a.id, who);
    if (found) return this.resume(a, found);
    if (this.now >= a.dueAt) return refuse('LATE', 'The due date has passed: this assignment no longer takes new attempts');
    let memberName: string;
    if (who.profile) memberName = who.profile.name;
    else {
      const checked = normalizeNickname(name ?? '');
      if (!checked.ok) return refuse('NICKNAME_INVALID', checked.reason);
      memberName = checked.nickname;
    }
    const token = who.profile ? null : nanoid(32);
    const attempt: Attempt = {
      id: nanoid(8),
      key: who.profile ? `p:${who.profile.id}` : `t:${hashSecret(token!)}`,
      name: memberName,
      profileId: who.profile?.id ?? null,
      startedAt: this.now,
      finishedAt: null,
      answers: [],
    };
    const out = await this.store.start(a.id, attempt, HOMEWORK_LIMITS.maxMembers);
    if ('full' in out) return refuse('ROOM_FULL', `This assignment already has ${HOMEWORK_LIMITS.maxMembers} members`);
    if (!out.created) return this.resume(a, out.attempt);
    return { ok: true, assignment: this.info(a), attempt: this.view(a, out.attempt), resumed: false, ...(token ? { memberToken: token } : {}) };
  }

  /** The member's attempt as it stands (a reload resumes here). */
  async current(id: string, who: Member): Promise<Outcome<{ assignment: AssignmentInfo; attempt: AttemptView | null }>> {
    const a = await this.store.load(id);
    if (!a) return this.missing();
    const found = await this.find(a.id, who);
    return { ok: true, assignment: this.info(a), attempt: found ? this.view(a, found) : null };
  }

  async answer(id: string, who: Member, index: number, choices: number[]): Promise<Outcome<HomeworkFeedback>> {
    const a = await this.store.load(id);
    if (!a) return this.missing();
    for (let attempt = 0; attempt < 8; attempt++) {
      const mine = await this.find(a.id, who);
      if (!mine) return refuse('SESSION_INVALID', 'Start the assignment first (or this browser lost its member token)');
      if (mine.finishedAt !== null) return refuse('ALREADY_SUBMITTED', 'You have finished this assignment: one attempt each');
      if (index < mine.answers.length) return refuse('ALREADY_ANSWERED', `Question ${index + 1} is already answered`);
      if (index > mine.answers.length) return refuse('NOT_SERVED', `Answer question ${mine.answers.length + 1} first`);
      const q = a.questions[index]!;
      const problem = selectionProblem(q.type, q.choices.length, choices);
      if (problem) return refuse('INVALID_CHOICE', problem);
      const picked = [...choices].sort((x, y) => x - y);
      const correct = isCorrectSelection(picked, q.answer);
      const last = index === a.questions.length - 1;
      const next: Attempt = { ...mine, answers: [...mine.answers, { choices: picked, correct, at: this.now }], finishedAt: last ? this.now : null };
      if (!(await this.store.replace(a.id, mine, next))) continue; // a racing write: read again
      if (last) await this.feedMisses(a, next);
      return { ok: true, correct, correctChoices: [...q.answer], explanation: q.explanation, sourceUrl: q.source.url, attempt: this.view(a, next) };
    }
    throw new Error('homework answer kept conflicting');
  }

  /** The lead's view: who did it, the grid, domain accuracy. */
  async results(id: string, leadToken: string): Promise<Outcome<{ results: HomeworkResults }>> {
    const a = await this.store.load(id);
    if (!a) return this.missing();
    if (hashSecret(leadToken) !== a.leadTokenHash) return refuse('NOT_HOST', "That is not this assignment's lead token");
    const attempts = await this.store.attempts(a.id);
    const cells = (i: number) => attempts.map((t) => t.answers[i]).filter((x) => x !== undefined);
    const acc = new Map<string, { answered: number; correct: number }>();
    a.questions.forEach((q, i) => {
      const d = outlineDomainOf(q, a.outline);
      const s = acc.get(d) ?? { answered: 0, correct: 0 };
      for (const c of cells(i)) {
        s.answered++;
        if (c.correct) s.correct++;
      }
      acc.set(d, s);
    });
    const results: HomeworkResults = {
      assignment: this.info(a),
      exportedAt: new Date(this.now).toISOString(),
      questions: a.questions.map((q, i) => ({
        index: i,
        id: q.id,
        domain: q.domain,
        domain2025: q.domain2025,
        topic: q.topic,
        type: q.type,
        prompt: q.prompt,
        choices: [...q.choices],
        correct: [...q.answer],
        explanation: q.explanation,
        sourceUrl: q.source.url,
        reviewed: q.reviewed,
        answered: cells(i).length,
        right: cells(i).filter((c) => c.correct).length,
      })),
      members: attempts.map((t) => ({
        id: t.id,
        name: t.name,
        profiled: t.profileId !== null,
        status: t.finishedAt === null ? 'in-progress' : 'finished',
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        score: t.answers.filter((x) => x.correct).length,
        answered: t.answers.length,
        grid: a.questions.map((_, i) => (t.answers[i] ? (t.answers[i].correct ? 'right' : 'wrong') : null)),
        choices: a.questions.map((_, i) => t.answers[i]?.choices ?? null),
      })),
      domains: outlineDomainIds(a.outline)
        .filter((d) => acc.has(d))
        .map((domain) => {
          const { answered, correct } = acc.get(domain)!;
          return { domain, answered, correct, accuracy: answered === 0 ? null : correct / answered };
        }),
    };
    return { ok: true, results };
  }

  private missing(): Refusal {
    return refuse('NOT_FOUND', 'There is no such assignment: check the link');
  }

  private async find(id: string, who: Member): Promise<Attempt | null> {
    if (who.profile) return this.store.attempt(id, `p:${who.profile.id}`);
    return who.token ? this.store.attempt(id, `t:${hashSecret(who.token)}`) : null;
  }

  private resume(a: Assignment, t: Attempt): Outcome<StartReply> {
    if (t.finishedAt !== null) return refuse('ALREADY_SUBMITTED', 'You have already done this assignment: one attempt each');
    return { ok: true, assignment: this.info(a), attempt: this.view(a, t), resumed: true };
  }

  private async feedMisses(a: Assignment, t: Attempt): Promise<void> {
    if (!t.profileId || !this.opts.onMisses) return;
    const misses = t.answers.flatMap((x, i) => {
      const q = a.questions[i]!;
      return !x.correct && q.reviewed ? [{ profileId: t.profileId!, questionId: q.id, key: `hw:${a.id}:${q.id}`, picked: x.choices.map((c) => q.choices[c]!) }] : [];
    });
    if (misses.length) await this.opts.onMisses(misses);
  }

  private info(a: Assignment): AssignmentInfo {
    const now = this.now;
    return {
      id: a.id,
      title: a.title,
      createdAt: a.createdAt,
      dueAt: a.dueAt,
      serverTime: now,
      outline: a.outline,
      questionCount: a.questions.length,
      reviewed: a.questions.every((q) => q.reviewed),
      open: now < a.dueAt,
    };
  }

  private view(a: Assignment, t: Attempt): AttemptView {
    const index = t.answers.length;
    const q = t.finishedAt === null ? a.questions[index] : undefined;
    return {
      name: t.name,
      status: t.finishedAt === null ? 'in-progress' : 'finished',
      index,
      total: a.questions.length,
      score: t.answers.filter((x) => x.correct).length,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      question: q ? { ...publicPart(q), reviewed: q.reviewed } : null,
    };
  }
}
