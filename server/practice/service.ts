import { DEFAULT_OUTLINE, outline as outlineOf, outlineDomainIds, outlineDomainOf, outlineWeights, type OutlineDomainId, type OutlineId } from '../../shared/curriculum.js';
import { isCorrectSelection, publicPart, selectionProblem, type PublicQuestion, type QuestionRecord } from '../../shared/question.js';
import type { QuestionBank } from '../game/bank.js';
import { Rng } from '../game/rng.js';
import type { Rating } from '../rating/glicko2.js';
import { initialQuestionRating, isProvisional } from '../rating/practice-rating.js';
import { isoWeek } from '../storage/types.js';
import type { AnswerFeedback, DomainReport, MissedQuestion, PracticeStats } from '../../shared/protocol/practice-views.js';
import { applyAnswer, domainRating, domainStats, dueReviews, serve, type AnswerOutcome, type PlayerPractice } from './engine.js';
import type { PracticeStore } from './practice-store.js';
import { nextQuestion, type Offset } from './selection.js';
import { addRoomMisses, type RoomMiss } from './room-misses.js';

export interface NextOptions {
  /** The outline whose domains `domains` names and whose weights the draw follows; default cca-2024. */
  outline?: OutlineId;
  domains: OutlineDomainId[];
  offset: Offset;
}

export type PracticeRefusal = { ok: false; code: 'NOT_SERVED' | 'ALREADY_ANSWERED' | 'NO_QUESTIONS' | 'INVALID_CHOICE'; message: string };

/** Rated answers each domain needs before readiness shows a figure. */
export const READINESS_MIN_RATED = 5;

const readinessMethod = (outline: OutlineId) =>
  `Based on your rating in each domain of the ${outlineOf(outline).name}, once each has at least ${READINESS_MIN_RATED} rated practice answers: the chance of answering a typical exam question right, weighted by the blueprint.`;

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
    const outline = opts.outline ?? DEFAULT_OUTLINE;
    const where = (q: QuestionRecord) => outlineDomainOf(q, outline);
    const pool = this.bank.questions.filter((q) => opts.domains.length === 0 || opts.domains.includes(where(q)));
    const ratings = await this.store.questionRatings(pool.map((q) => q.id), this.fallback);
    const attempted = new Set(player.attempted);
    const candidate = (q: QuestionRecord) => ({ id: q.id, domain: where(q), rating: ratings.get(q.id)?.rating ?? 1500, ...(q.fact ? { fact: q.fact } : {}) });
    const candidates = pool.filter((q) => !attempted.has(q.id)).map(candidate);
    const reviewIds = dueReviews(player, this.now()).filter((id) => pool.some((q) => q.id === id));
    const reviewCandidates = reviewIds.map((id) => candidate(this.bank.byId.get(id)!));
    const recentFacts = new Set(player.recent.flatMap((id) => this.bank.byId.get(id)?.fact ?? []));
    const pick = nextQuestion(
      {
        questions: [...candidates, ...reviewCandidates],
        ratingFor: (d) => (domainRating(player, d) ?? player.overall).rating,
        offset: opts.offset,
        domains: opts.domains,
        weights: outlineWeights(outline),
        recent: new Set(player.recent),
        recentFacts,
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
      const r = applyAnswer(p, rating!, { questionId, domain: q.domain, domain2025: q.domain2025, correct, choices, now, week: isoWeek(new Date(now)) });
      return r.ok ? { player: r.player, question: r.question, result: { ok: true, outcome: r.outcome } } : { abort: { ok: false, code: r.code } };
    });
    if (!result.ok) {
      const message = result.code === 'ALREADY_ANSWERED' ? 'you already answered this question' : 'that question was not served to you';
      return { ok: false, code: result.code, message };
    }
    return { ok: true, correct, correctChoices: [...q.answer], explanation: q.explanation, sourceUrl: q.source.url, outcome: result.outcome };
  }

  /**
   * Room misses into each profile's review queue: one atomic update per profile, a no-op for keys
   * already fed (so a replayed result or a retried write adds nothing). Returns the cards added or lapsed.
   */
  async feedRoomMisses(misses: readonly RoomMiss[]): Promise<number> {
    const byProfile = new Map<string, RoomMiss[]>();
    for (const m of misses) {
      if (!this.bank.byId.has(m.questionId)) continue; // not a bank question (nothing to serve later)
      byProfile.set(m.profileId, [...(byProfile.get(m.profileId) ?? []), m]);
    }
    let added = 0;
    for (const [profileId, mine] of byProfile) {
      added += await this.store.update<number>(profileId, null, null, (p) => {
        const out = addRoomMisses(p, mine, this.now(), (id) => this.bank.byId.get(id)?.choices);
        return out ? { player: out.player, result: out.added } : { abort: 0 };
      });
    }
    return added;
  }

  /** Domain reports and readiness in the given outline (records from before the 5-domain outline start fresh there). */
  async stats(profileId: string, outline: OutlineId = DEFAULT_OUTLINE): Promise<PracticeStats> {
    const p = await this.store.load(profileId);
    const rated = new Map<OutlineDomainId, number>();
    for (const id of p.attempted) {
      const q = this.bank.byId.get(id);
      if (q) rated.set(outlineDomainOf(q, outline), (rated.get(outlineDomainOf(q, outline)) ?? 0) + 1);
    }
    const domains = outlineDomainIds(outline).map((domain) => domainReport(p, domain, rated.get(domain) ?? 0)).sort((a, b) => weakness(a) - weakness(b));
    const now = this.now();
    const missed = Object.values(p.reviews)
      .sort((a, b) => a.due.localeCompare(b.due))
      .flatMap((card): MissedQuestion[] => {
        const q = this.bank.byId.get(card.questionId);
        if (!q) return [];
        const recorded = card.answer !== undefined && (card.answer ?? []).every((c) => c < q.choices.length);
        return [
          {
            questionId: q.id,
            domain: outlineDomainOf(q, outline),
            prompt: q.prompt,
            type: q.type,
            choices: [...q.choices],
            correctChoices: [...q.answer],
            yourAnswer: recorded ? (card.answer ?? null) : null,
            answerRecorded: recorded,
            explanation: q.explanation,
            sourceUrl: q.source.url,
            due: card.due,
          },
        ];
      });
    const domainsReady = domains.filter((d) => d.rated >= READINESS_MIN_RATED).length;
    return {
      outline,
      rating: Math.round(p.overall.rating),
      deviation: Math.round(p.overall.deviation),
      provisional: isProvisional(p.overall),
      trend: p.history,
      domains,
      readiness: {
        percent: domainsReady === domains.length ? readiness(p, outline) : null,
        provisional: domains.some((d) => d.provisional),
        method: readinessMethod(outline),
        minRatedPerDomain: READINESS_MIN_RATED,
        domainsReady,
        domainsTotal: domains.length,
      },
      dueReviews: dueReviews(p, now).length,
      missed,
    };
  }
}

function domainReport(p: PlayerPractice, domain: OutlineDomainId, rated: number): DomainReport {
  const s = domainStats(p, domain);
  const own = domainRating(p, domain);
  const r = own ?? p.overall;
  return {
    domain,
    answered: s?.answered ?? 0,
    accuracy: s && s.answered > 0 ? s.correct / s.answered : null,
    averageMs: s && s.answered > 0 ? Math.round(s.totalTimeMs / s.answered) : null,
    rating: Math.round(r.rating),
    deviation: Math.round(r.deviation),
    provisional: !own || isProvisional(r),
    rated,
  };
}

/** Unpractised domains first (they are unknown), then the lowest ratings. */
const weakness = (d: DomainReport) => (d.answered === 0 ? -1e6 : d.rating);

/** Expected score on an exam of average (1500) questions weighted by the outline, from the domain ratings. */
function readiness(p: PlayerPractice, outline: OutlineId): number {
  let sum = 0;
  for (const d of outlineOf(outline).domains) {
    const r = (domainRating(p, d.id as OutlineDomainId) ?? p.overall).rating;
    sum += (d.weight / 100) * (1 / (1 + 10 ** ((1500 - r) / 400)));
  }
  return Math.round(sum * 100);
}
