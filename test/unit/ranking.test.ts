import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRoomState, type RoomState } from '../../server/game/state.js';
import { rankOf, rankPlayers, topPlayers } from '../../server/game/summary.js';
import { createProjector } from '../../server/game/view.js';

/** A room whose players have these scores (in join order); some seats were removed (kicked) from `players`. */
function roomWith(scores: number[], removed: number[]): RoomState {
  const s = createRoomState({ code: 'ABCDEF', seed: 1, now: 0 });
  const players: RoomState['players'] = {};
  const order = scores.map((score, i) => {
    const id = `p${i}`;
    if (!removed.includes(i)) players[id] = { id, name: `P${i}`, nameKey: `p${i}`, team: null, score, streak: 0, connected: true, droppedAt: null, joinedAt: 0, profileId: null };
    return id;
  });
  return { ...s, players, playerOrder: order };
}

describe('ranking one view without ranking the room', () => {
  it('the top rows and a player\'s rank are those of the full ranking (ties share a rank and keep join order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x * 250), { maxLength: 40 }), fc.array(fc.nat(39), { maxLength: 5 }), fc.integer({ min: 1, max: 12 }), (scores, removed, k) => {
        const state = roomWith(scores, removed);
        const full = rankPlayers(state);
        expect(topPlayers(state, k)).toEqual(full.slice(0, k));
        for (const row of full) expect(rankOf(state, row.id)).toBe(row.rank);
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
