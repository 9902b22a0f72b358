import { expect } from 'vitest';
import type { GameExport } from '../../shared/protocol/export.js';
import { isoWeek } from '../../server/storage/types.js';
import { apiCall } from '../helpers/http.js';

export * from '../helpers/cluster-table.js';

/**
 * The invariants after a game: each player's score is the sum of their scored answers, at most one
 * answer per player per question, and the weekly points Redis kept match the scores exactly
 * (a question recorded twice would double them).
 */
export async function expectConsistentResults(nodeUrl: string, exported: GameExport): Promise<void> {
  const seen = new Set<string>();
  for (const a of exported.answers) {
    const key = `${a.playerId}:${a.questionIndex}`;
    expect(seen.has(key), `two answers counted for ${key}`).toBe(false);
    seen.add(key);
  }
  for (const p of exported.players) {
    const sum = exported.answers.filter((a) => a.playerId === p.id).reduce((t, a) => t + a.points, 0);
    expect(p.score, `${p.name}'s score is the sum of their points`).toBe(sum);
  }
  const weekly = await apiCall(nodeUrl, 'GET', `/leaderboards/weekly?week=${isoWeek(new Date())}&limit=200`);
  expect(weekly.status).toBe(200);
  for (const p of exported.players) {
    const entry = (weekly.json.entries as { key: string; points: number }[]).find((e) => e.key === `seat:${p.id}`);
    expect(entry?.points ?? 0, `${p.name}'s weekly points in Redis`).toBe(p.score);
  }
}
