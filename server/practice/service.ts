import { DOMAINS, DOMAIN_IDS, DOMAIN_WEIGHT, type DomainId } from '../../shared/domains.js';
import { isCorrectSelection, publicPart, selectionProblem, type PublicQuestion } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import { Rng } from '../game/rng.js';
import type { Rating } from '../rating/glicko2.js';
import { initialQuestionRating, isProvisional } from '../rating/practice-rating.js';
import { isoWeek } from '../storage/types.js';
import type { AnswerFeedback, DomainReport, PracticeStats } from '../../shared/protocol/practice-views.js';
import { applyAnswer, dueReviews, serve, type AnswerOutcome, type PlayerPractice } from './engine.js';
import type { PracticeStore } from './practice-store.js';
import { nextQuestion, type Offset } from './selection.js';

export interface NextOptions {
  domains: DomainId[];
  offset: Offset;
}

export type PracticeRefusal = { ok: false; code: 'NOT_SERVED' | 'ALREADY_ANSWERED' | 'NO_QUESTIONS' | 'INVALID_CHOICE'; message: string };

const READINESS_METHOD =
  'The chance of answering a typical exam question right in each domain, from your domain rating, weighted by the exam blueprint.';

/** Solo practice: serve, answer and report, on top of the pure engine and a store. */
export class PracticeService {
  constructor(
    private readonly bank: QuestionBank,
    private readonly store: PracticeStore,
    private readonly now: () => number = Date.now,
    private readonly rng: Rng = new Rng((Math.random() * 2 ** 32) >>> 0),
  ) {}

  private fallback = (id: string): Rating => initialQuestionRating(this.bank.byId.get(id)?.difficulty ?? 2);

  async next(profileId: string, opts: NextOptions): Promise<{ ok: true; question: PublicQuestion; reason: 'review' | 'new' } | PracticeRefusal> {
    const player = await this.store.load(profileId);
    const pool = this.bank.questions.filter((q) => opts.domains.length === 0 || opts.domains.includes(q.domain));
    const ratings = await this.store.questionRatings(pool.map((q) => q.id), this.fallback);
    const attempted = new Set(player.attempted);
    const candidates = pool.filter((q) => !attempted.has(q.id)).map((q) => ({ id: q.id, domain: q.domain, rating: ratings.get(q.id)!.rating }));
    const reviewIds = dueReviews(player, this.now()).filter((id) => pool.some((q) => q.id === id));
    const reviewCandidates = reviewIds.map((id) => ({ id, domain: this.bank.byId.get(id)!.domain, rating: ratings.get(id)?.rating ?? 1500 }));
    const pick = nextQuestion(
      {
        questions: [...candidates, ...reviewCandidates],
        ratingFor: (d) => (player.byDomain[d] ?? player.overall).rating,
        offset: opts.offset,
        domains: opts.domains,
        recent: new Set(player.recent),
        due: reviewIds,
      },
      this.rng,
    );
    if (!pick) return { ok: false, code: 'NO_QUESTIONS', message: 'you have answered every question in these domains: pick others or wait for reviews' };
    await this.store.update(profileId, null, null, (p) => ({ player: serve(p, pick.id, this.now()), result: null }));
    return { ok: true, question: publicPart(this.bank.byId.get(pick.id)!), reason: pick.reason };
  }

  async answer(profileId: string, questionId: string, choices: number[]): Promise<({ ok: true } & AnswerFeedback) | PracticeRefusal> {
    const q = this.bank.byId.get(questionId);
    if (!q) return { ok: false, code: 'NOT_SERVED', message: 'that question was not served to you' };
    const problem = selectionProblem(q.type, q.choices.length, choices);
    if (problem) return { ok: false, code: 'INVALID_CHOICE', message: problem };
    const correct = isCorrectSelection(choices, q.answer);
    const now = this.now();
    type Recorded = { ok: true; outcome: AnswerOutcome } | { ok: false; code: 'NOT_SERVED' | 'ALREADY_ANSWERED' };
    const result = await this.store.update<Recorded>(profileId, questionId, this.fallback(questionId), (p, rating) => {
      const r = applyAnswer(p, rating!, { questionId, domain: q.domain, correct, now, week: isoWeek(new Date(now)) });
      return r.ok ? { player: r.player, question: r.question, result: { ok: true, outcome: r.outcome } } : { abort: { ok: false, code: r.code } };
    });
    if (!result.ok) {
      const message = result.code === 'ALREADY_ANSWERED' ? 'you already answered this question' : 'that question was not served to you';
      return { ok: false, code: result.code, message };
    }
    return { ok: true, correct, correctChoices: [...q.answer], explanation: q.explanation, sourceUrl: q.source.url, outcome: result.outcome };
  }

  async stats(profileId: string): Promise<PracticeStats> {
    const p = await this.store.load(profileId);
    const domains = DOMAIN_IDS.map((domain) => domainReport(p, domain)).sort((a, b) => weakness(a) - weakness(b));
    const now = this.now();
    const missed = Object.values(p.reviews)
      .sort((a, b) => a.due.localeCompare(b.due))
      .map((card) => {
        const q = this.bank.byId.get(card.questionId);
        return q && { questionId: q.id, domain: q.domain, prompt: q.prompt, explanation: q.explanation, sourceUrl: q.source.url, due: card.due };
      })
      .filter((m): m is NonNullable<typeof m> => !!m);
    return {
      rating: Math.round(p.overall.rating),
      provisional: isProvisional(p.overall),
      trend: p.history,
      domains,
      readiness: { percent: readiness(p), provisional: domains.some((d) => d.provisional), method: READINESS_METHOD },
      dueReviews: dueReviews(p, now).length,
      missed,
    };
  }
}

function domainReport(p: PlayerPractice, domain: DomainId): DomainReport {
  const s = p.stats[domain];
  const r = p.byDomain[domain] ?? p.overall;
  return {
    domain,
    answered: s?.answered ?? 0,
    accuracy: s && s.answered > 0 ? s.correct / s.answered : null,
    averageMs: s && s.answered > 0 ? Math.round(s.totalTimeMs / s.answered) : null,
    rating: Math.round(r.rating),
    provisional: !p.byDomain[domain] || isProvisional(r),
  };
}

/** Unpractised domains first (they are unknown), then the lowest ratings. */
const weakness = (d: DomainReport) => (d.answered === 0 ? -1e6 : d.rating);

/** Expected score on a blueprint-weighted exam of average (1500) questions, from the domain ratings. */
function readiness(p: PlayerPractice): number {
  let sum = 0;
  for (const d of DOMAINS) {
    const r = (p.byDomain[d.id] ?? p.overall).rating;
    sum += (DOMAIN_WEIGHT[d.id] / 100) * (1 / (1 + 10 ** ((1500 - r) / 400)));
  }
  return Math.round(sum * 100);
}
