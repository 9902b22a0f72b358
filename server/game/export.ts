import type { GameExport } from '../../shared/protocol/export.js';
import { protestsOf } from './protests.js';
import { DEFAULT_OUTLINE, outlineDomainOf } from '../../shared/curriculum.js';
import { reportGrid } from './report.js';
import { domainAccuracy, rankPlayers } from './summary.js';
import type { RoomState } from './state.js';

/** The results of a game for download; only ever built once the game has finished. */
export function gameExport(state: RoomState, now: number): GameExport {
  const byIndex = new Map(state.results.map((r) => [r.index, r]));
  const players = rankPlayers(state);
  const nameOf = new Map(players.map((p) => [p.id, p.name]));
  return {
    code: state.code,
    mode: state.settings.mode,
    exportedAt: new Date(now).toISOString(),
    players: players.map(({ id, name, team, score, rank }) => ({ id, name, team, score, rank })),
    questions: state.results.map((r) => {
      const { question: q, solution } = state.questions[r.index]!;
      return {
        index: r.index,
        id: q.id,
        domain: q.domain,
        topic: q.topic,
        type: q.type,
        prompt: q.prompt,
        choices: [...q.choices],
        correct: [...solution.answer],
        distribution: [...r.distribution],
        explanation: solution.explanation,
        sourceUrl: solution.sourceUrl,
        voided: r.voided === true,
        outlineDomain: outlineDomainOf(q, state.settings.outline ?? DEFAULT_OUTLINE),
      };
    }),
    answers: [...byIndex.values()].flatMap((r) =>
      Object.entries(r.perPlayer)
        .filter(([playerId]) => nameOf.has(playerId))
        .map(([playerId, a]) => ({ questionIndex: r.index, questionId: r.questionId, playerId, name: nameOf.get(playerId)!, ...a })),
    ),
    domains: domainAccuracy(state),
    outline: state.settings.outline ?? DEFAULT_OUTLINE,
    grid: reportGrid(state),
    // Kicked players keep their protests on record, by id.
    protests: protestsOf(state).map((p) => ({
      questionIndex: p.questionIndex,
      questionId: p.questionId,
      playerId: p.playerId,
      name: nameOf.get(p.playerId) ?? p.playerId,
      reason: p.reason,
      at: new Date(p.at).toISOString(),
      decision: p.decision,
      decidedAt: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
    })),
  };
}
