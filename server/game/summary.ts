import { DEFAULT_OUTLINE, outlineDomainIds, outlineDomainOf, type OutlineDomainId } from '../../shared/curriculum.js';
import type { DomainAccuracy, FinalView, MissedQuestion, PlayerSummary, TeamSummary } from '../../shared/protocol/views.js';
import { activePlayers, type RoomState } from './state.js';
import { own } from './own.js';

/** Leaderboard in score order; ties share a rank and keep join order. */
export function rankPlayers(state: RoomState): PlayerSummary[] {
  const sorted = activePlayers(state)
    .map((p, order) => ({ p, order }))
    .sort((a, b) => b.p.score - a.p.score || a.order - b.order);
  let rank = 0;
  let previous: number | null = null;
  return sorted.map(({ p }, i) => {
    if (p.score !== previous) rank = i + 1;
    previous = p.score;
    return summaryOf(p, rank);
  });
}

const summaryOf = (p: ReturnType<typeof activePlayers>[number], rank: number): PlayerSummary => ({ id: p.id, name: p.name, team: p.team, score: p.score, rank, connected: p.connected });

/**
 * The first `k` rows of rankPlayers without ranking everyone: one pass, no row per player. A join's
 * view in a 10,000-seat room needs the top ten, not a sorted copy of the room.
 */
export function topPlayers(state: RoomState, k: number): PlayerSummary[] {
  const top: ReturnType<typeof activePlayers> = [];
  // Nobody has scored yet (every score changes with a score event): the first k in join order, all ranked 1.
  const unscored = state.scoreLog.length === 0;
  for (const id of state.playerOrder) {
    if (unscored && top.length === k) break;
    const p = own(state.players, id);
    if (!p) continue;
    if (top.length === k && p.score <= top[k - 1]!.score) continue;
    // After every player with at least this score: ties keep join order.
    let at = top.length;
    while (at > 0 && top[at - 1]!.score < p.score) at--;
    top.splice(at, 0, p);
    if (top.length > k) top.pop();
  }
  let rank = 0;
  return top.map((p, i) => {
    if (i === 0 || p.score !== top[i - 1]!.score) rank = i + 1;
    return summaryOf(p, rank);
  });
}

/** A player's rank in rankPlayers (1 + how many score more), by counting. */
export function rankOf(state: RoomState, playerId: string): number {
  const me = own(state.players, playerId);
  if (!me) return 0;
  if (state.scoreLog.length === 0) return 1; // nobody has scored: everyone shares the first place
  let higher = 0;
  for (const id of state.playerOrder) if ((own(state.players, id)?.score ?? -Infinity) > me.score) higher++;
  return higher + 1;
}

/** Team score = average of its members' scores (rounded); empty teams score 0. */
export function rankTeams(state: RoomState): TeamSummary[] {
  if (state.settings.teams.length === 0) return [];
  // One pass over the room (a join's view in a 10,000-seat room must not cost a pass per team).
  const sums = new Map(state.settings.teams.map((name) => [name, { total: 0, members: 0 }]));
  for (const p of activePlayers(state)) {
    const sum = p.team === null ? undefined : sums.get(p.team);
    if (sum) {
      sum.total += p.score;
      sum.members++;
    }
  }
  const teams = state.settings.teams.map((name) => {
    const { total, members } = sums.get(name)!;
    return { name, score: members === 0 ? 0 : Math.round(total / members), members, rank: 0 };
  });
  const sorted = [...teams].sort((a, b) => b.score - a.score);
  return sorted.map((t) => ({ ...t, rank: sorted.findIndex((x) => x.score === t.score) + 1 }));
}

/** The group's accuracy per domain of the room's outline. */
export function domainAccuracy(state: RoomState): DomainAccuracy[] {
  const outline = state.settings.outline ?? DEFAULT_OUTLINE;
  const questionOf = new Map(state.questions.map((q) => [q.question.id, q.question]));
  const acc = new Map<OutlineDomainId, { answered: number; correct: number }>();
  for (const r of state.results) {
    // A question voided after a protest counts for nobody.
    if (r.voided) continue;
    const q = questionOf.get(r.questionId);
    // A snapshot from before outlines has no outline setting: it counts by the 8-domain `domain` as before.
    const domain = q ? outlineDomainOf(q, outline) : r.domain;
    const a = acc.get(domain) ?? { answered: 0, correct: 0 };
    for (const res of Object.values(r.perPlayer)) {
      if (res.choices === null && state.settings.mode !== 'buzz') continue;
      a.answered++;
      if (res.correct) a.correct++;
    }
    acc.set(domain, a);
  }
  return outlineDomainIds(outline).filter((d) => acc.has(d)).map((domain) => {
    const { answered, correct } = acc.get(domain)!;
    return { domain, answered, correct, accuracy: answered === 0 ? null : correct / answered };
  });
}

/** Cuts at a word boundary with an ellipsis, so a summary never ends mid-word. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Questions the fewest players got right, relative to everyone in the room when they closed. */
export function mostMissed(state: RoomState, limit = 5): MissedQuestion[] {
  return state.results
    .filter((r) => !r.voided)
    .map((r) => {
      const answers = Object.values(r.perPlayer);
      const correct = answers.filter((a) => a.correct).length;
      const gq = state.questions[r.index];
      return {
        questionId: r.questionId,
        domain: r.domain,
        prompt: shorten(gq?.question.prompt ?? '', 220),
        correctRate: r.participants === 0 ? 0 : correct / r.participants,
        answered: answers.length,
        // Only built once the game is over: the answers may go with it.
        choices: gq ? [...gq.question.choices] : [],
        correct: gq ? [...gq.solution.answer] : [],
        explanation: gq?.solution.explanation ?? '',
        sourceUrl: gq?.solution.sourceUrl ?? '',
      };
    })
    .sort((a, b) => a.correctRate - b.correctRate)
    .slice(0, limit);
}

/** The shared part of the final report; the projection adds the questions, grid and own row per role. */
export function finalView(state: RoomState): FinalView {
  return {
    podium: rankPlayers(state).slice(0, 3),
    teams: rankTeams(state),
    domainAccuracy: domainAccuracy(state),
    mostMissed: mostMissed(state),
    questions: null,
    grid: null,
    mine: null,
  };
}
