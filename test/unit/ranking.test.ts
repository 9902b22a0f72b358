import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRoomState, type RoomState } from '../../server/game/state.js';
import { rankOf, rankPlayers, rankTeams, topPlayers } from '../../server/game/summary.js';
import { createProjector } from '../../server/game/view.js';

const TEAMS = ['Red', 'Blue', 'Green'];

/**
 * A room whose players have these scores (in join order), each score from a score event as in a real
 * room; some seats were removed (kicked) from `players`, and players are spread over teams.
 */
function roomWith(scores: number[], removed: number[]): RoomState {
  const s = createRoomState({ code: 'ABCDEF', seed: 1, now: 0 });
  const players: RoomState['players'] = {};
  const order = scores.map((score, i) => {
    const id = `p${i}`;
    const team = i % 4 === 3 ? null : TEAMS[i % 3]!;
    if (!removed.includes(i)) players[id] = { id, name: `P${i}`, nameKey: `p${i}`, team, score, streak: 0, connected: true, droppedAt: null, joinedAt: 0, profileId: null };
    return id;
  });
  const scoreLog = scores.flatMap((points, i) => (points > 0 ? [{ playerId: `p${i}`, questionId: 'q1', points, reason: 'correct' as const }] : []));
  return { ...s, settings: { ...s.settings, teams: TEAMS }, players, playerOrder: order, scoreLog };
}

/** Team scores as the plain definition says: the rounded average of the members' scores, ties share a rank. */
function teamsByDefinition(state: RoomState) {
  const members = Object.values(state.players);
  const teams = state.settings.teams.map((name) => {
    const on = members.filter((p) => p.team === name);
    return { name, score: on.length === 0 ? 0 : Math.round(on.reduce((t, p) => t + p.score, 0) / on.length), members: on.length };
  });
  const sorted = [...teams].sort((a, b) => b.score - a.score);
  return sorted.map((t) => ({ ...t, rank: sorted.findIndex((x) => x.score === t.score) + 1 }));
}

describe('ranking one view without ranking the room', () => {
  it('the top rows and a player\'s rank are those of the full ranking (ties share a rank and keep join order)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.constant(0), { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x * 250), { maxLength: 40 })), fc.array(fc.nat(39), { maxLength: 5 }), fc.integer({ min: 1, max: 12 }), (scores, removed, k) => {
        const state = roomWith(scores, removed);
        const full = rankPlayers(state);
        expect(topPlayers(state, k)).toEqual(full.slice(0, k));
        for (const row of full) expect(rankOf(state, row.id)).toBe(row.rank);
        expect(rankTeams(state)).toEqual(teamsByDefinition(state));
      }),
    );
  });

  it('a single view (an ack) equals the same view made for a broadcast', () => {
    const state = roomWith([500, 1000, 1000, 0, 750, 1000, 250, 0, 0, 500, 750, 1000], [3]);
    for (const id of ['p0', 'p4', 'p11', 'p7']) {
      expect(createProjector(state, 5, null, { single: true })('player', id)).toEqual(createProjector(state, 5)('player', id));
    }
    expect(createProjector(state, 5, null, { single: true })('host', null)).toEqual(createProjector(state, 5)('host', null));
  });
});
