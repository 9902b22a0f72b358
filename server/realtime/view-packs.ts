import type { RoomView } from '../../shared/protocol/views.js';

/**
 * One broadcast's views for the sockets on one other node, as one message: the first view whole,
 * each view as the fields where it differs from that one. Views of one broadcast share their room
 * parts (question, leaderboard, teams, settings: the same objects), so a 10,000-phone room crosses
 * to the other node as one room view and 5,000 small `me` parts, not 5,000 whole views.
 */
export interface ViewPack {
  /** The node whose sockets these are. */
  to: string;
  base: RoomView;
  views: [socketId: string, differs: Partial<RoomView>][];
}

export function packViews(to: string, views: [socketId: string, view: RoomView][]): ViewPack {
  const base = views[0]![1];
  const keys = Object.keys(base) as (keyof RoomView)[];
  return {
    to,
    base,
    views: views.map(([socketId, view]) => {
      const differs: Partial<Record<keyof RoomView, unknown>> = {};
      // Same object = same value; a different object may still be equal, and then travels twice.
      for (const key of keys) if (view[key] !== base[key]) differs[key] = view[key];
      return [socketId, differs as Partial<RoomView>];
    }),
  };
}

export function unpackViews(pack: ViewPack): [socketId: string, view: RoomView][] {
  return pack.views.map(([socketId, differs]) => [socketId, { ...pack.base, ...differs }]);
}
