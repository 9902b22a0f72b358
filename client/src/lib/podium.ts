import type { PlayerSummary } from '../../../shared/protocol/views.js';

export interface PodiumStep {
  /** 1, 2 or 3: players with equal scores share a place (competition ranking: 1, 1, 3). */
  place: number;
  players: PlayerSummary[];
}

/**
 * The podium from the final standings: every player whose place is 1-3, grouped by place, so a tie
 * for second puts both on the silver step and leaves bronze empty rather than demoting one of them.
 */
export function podiumSteps(standings: readonly PlayerSummary[]): PodiumStep[] {
  const sorted = [...standings].sort((a, b) => b.score - a.score);
  const steps: PodiumStep[] = [];
  sorted.forEach((p, i) => {
    const place = i > 0 && p.score === sorted[i - 1]!.score ? steps[steps.length - 1]!.place : i + 1;
    if (place > 3) return;
    const step = steps.find((s) => s.place === place);
    if (step) step.players.push(p);
    else steps.push({ place, players: [p] });
  });
  return steps;
}

/** Order in which the show reveals the steps: third, then second, then first. */
export function revealOrder(steps: readonly PodiumStep[]): PodiumStep[] {
  return [...steps].sort((a, b) => b.place - a.place);
}

/** Rank movement since the previous leaderboard: positive = moved up. Null for players new to the board. */
export function rankChanges(previous: ReadonlyMap<string, number>, current: readonly PlayerSummary[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const p of current) {
    const before = previous.get(p.id);
    out.set(p.id, before === undefined ? null : before - p.rank);
  }
  return out;
}
