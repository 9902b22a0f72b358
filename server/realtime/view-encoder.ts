import type { Socket } from 'socket.io';
import type { RoomView } from '../../shared/protocol/views.js';

/** Socket.IO's text packet for an event on the main namespace without an ack: `2["event",arg]`. */
const EVENT_PREFIX = '2["room:view",';

/**
 * Encodes one broadcast's `room:view` packets. The views of a broadcast share their room parts
 * (question, leaderboard, teams, settings, reveal: the same objects), so each shared part is
 * stringified once and every socket's packet is joined from pieces; only its own parts (`me`, a
 * floor holder's question) are stringified per socket. Socket.IO's own `emit` walks and stringifies
 * the whole view for every socket, which in a 10,000-phone room is most of a broadcast's cost.
 * The text is what `JSON.stringify` makes of the view (keys in the same order, `undefined` left out).
 */
export function createViewEncoder(): (view: RoomView) => string {
  const pieces = new Map<object, string>();
  const keyPrefixes = new Map<string, string>();
  const piece = (value: unknown): string | undefined => {
    if (value === null) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value !== 'object') return JSON.stringify(value);
    let json = pieces.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      pieces.set(value, json);
    }
    return json;
  };
  return (view) => {
    let out = `${EVENT_PREFIX}{`;
    let first = true;
    // for…in, not Object.entries: no pair arrays per view (a broadcast makes one view per socket).
    for (const key in view) {
      const value = (view as Record<string, unknown>)[key];
      const json = piece(value);
      if (json === undefined) continue; // undefined, a function or a symbol: JSON leaves the key out
      let prefix = keyPrefixes.get(key);
      if (prefix === undefined) {
        prefix = `${JSON.stringify(key)}:`;
        keyPrefixes.set(key, prefix);
      }
      out += (first ? '' : ',') + prefix + json;
      first = false;
    }
    return `${out}}]`;
  };
}

/** What Socket.IO's adapter itself calls to write a broadcast's packet, encoded once, to one socket. */
interface EngineWriter {
  writeToEngine(encodedPackets: string[], opts: { preEncoded: true; compress?: boolean; volatile?: boolean }): void;
}

/**
 * Sends one broadcast's views, each to its socket: the bytes `socket.emit('room:view', view)` sends,
 * with the shared parts encoded once. Like the adapter's broadcasts it skips `onAnyOutgoing`
 * listeners; the server registers none.
 */
export function sendViews(views: Iterable<[Socket, RoomView]>): void {
  const encode = createViewEncoder();
  for (const [socket, view] of views) (socket.client as unknown as EngineWriter).writeToEngine([encode(view)], { preEncoded: true, compress: true });
}
