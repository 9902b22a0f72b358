import { nanoid } from 'nanoid';
import type { Server } from 'socket.io';
import type { Clock } from '../clock.js';
import type { CallResult } from '../realtime/room-calls.js';
import type { ViewPack } from '../realtime/view-packs.js';
import type { NodeLink, Notice, RoomAnswer, RoomRequest } from './directory.js';

/** Messages between nodes, through the Socket.IO adapter. */
export interface InterServerEvents {
  'cca:call': (message: { id: string; from: string; request: RoomRequest }) => void;
  'cca:reply': (message: { id: string; to: string; answer: CallResult }) => void;
  'cca:notice': (notice: Notice) => void;
  /** A broadcast's views for the sockets of node `to` (one message per node, see ViewPack). */
  'cca:views': (pack: ViewPack) => void;
}

/**
 * Calls between nodes as a request and a reply, both plain server-side emits: the owner's answer
 * arrives as soon as it is ready (the adapter's own acks wait for every node it knows, dead ones
 * included, for a fixed 5 s), and the asker stops waiting when the owner's lease runs out.
 */
export function socketNodeLink(
  // Only server-side emits and listeners are used: any Server with these inter-server events fits.
  io: Server<never, never, InterServerEvents>,
  nodeId: string,
  clock: Clock,
  answer: (request: RoomRequest) => RoomAnswer | Promise<RoomAnswer>,
  heard: (notice: Notice) => void,
): NodeLink {
  const waiting = new Map<string, (answer: CallResult) => void>();
  io.on('cca:call', ({ id, from, request }) => {
    void Promise.resolve(answer(request)).then((a) => {
      if (!('moved' in a)) io.serverSideEmit('cca:reply', { id, to: from, answer: a });
    });
  });
  io.on('cca:reply', ({ id, to, answer: a }) => {
    if (to === nodeId) waiting.get(id)?.(a);
  });
  io.on('cca:notice', (notice) => heard(notice));
  return {
    ask: (request, timeoutMs) =>
      new Promise((resolve) => {
        const id = nanoid(12);
        const timer = clock.setTimer(() => {
          waiting.delete(id);
          resolve([]);
        }, timeoutMs);
        waiting.set(id, (a) => {
          clock.clearTimer(timer);
          waiting.delete(id);
          resolve([a]);
        });
        io.serverSideEmit('cca:call', { id, from: nodeId, request });
      }),
    tell: (notice) => void io.serverSideEmit('cca:notice', notice),
  };
}
