import { io, type Socket } from 'socket.io-client';
import type { AckFor, ClientEventName, ClientPayload, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.js';
import type { RoomView } from '../../shared/protocol/views.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Received {
  event: string;
  payload: unknown;
}

/** A real socket.io-client that records everything it receives and lets tests await views. */
export class Bot {
  readonly received: Received[] = [];
  latest: RoomView | null = null;
  private waiters: { test: (v: RoomView) => boolean; resolve: (v: RoomView) => void }[] = [];

  private constructor(readonly socket: ClientSocket) {
    socket.onAny((event: string, ...args: unknown[]) => {
      this.received.push({ event, payload: args[0] });
    });
    socket.on('room:view', (view) => {
      this.latest = view;
      this.waiters = this.waiters.filter((w) => (w.test(view) ? (w.resolve(view), false) : true));
    });
    // Answer the server's latency pings like a browser would.
    socket.on('net:ping', (t, ack) => ack(t));
  }

  /** `headers`: e.g. X-Forwarded-For, to stand for a client behind a trusted proxy. */
  static connect(url: string, opts: { origin?: string; headers?: Record<string, string>; transports?: ('websocket' | 'polling')[] } = {}): Promise<Bot> {
    const headers = { ...opts.headers, ...(opts.origin ? { origin: opts.origin } : {}) };
    const socket: ClientSocket = io(url, {
      transports: opts.transports ?? ['websocket'],
      forceNew: true,
      reconnection: false,
      ...(Object.keys(headers).length ? { extraHeaders: headers } : {}),
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new Bot(socket)));
      socket.once('connect_error', reject);
    });
  }

  call<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<AckFor<E>> {
    return (this.socket.timeout(5_000).emitWithAck as (e: string, p: unknown) => Promise<AckFor<E>>)(event, payload);
  }

  /** Sends anything at all (malformed payloads) and returns the raw ack. */
  raw(event: string, ...args: unknown[]): Promise<unknown> {
    return (this.socket.timeout(5_000).emitWithAck as (e: string, ...a: unknown[]) => Promise<unknown>)(event, ...args);
  }

  /** Resolves with the first view (the latest one included) that passes `test`. */
  view(test: (v: RoomView) => boolean = () => true, timeoutMs = 5_000): Promise<RoomView> {
    if (this.latest && test(this.latest)) return Promise.resolve(this.latest);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching view within ${timeoutMs} ms; latest: ${JSON.stringify(this.latest)?.slice(0, 400)}`)), timeoutMs);
      this.waiters.push({ test, resolve: (v) => (clearTimeout(timer), resolve(v)) });
    });
  }

  views(): RoomView[] {
    return this.received.filter((r) => r.event === 'room:view').map((r) => r.payload as RoomView);
  }

  once<E extends keyof ServerToClientEvents>(event: E): Promise<Parameters<ServerToClientEvents[E]>[0]> {
    return new Promise((resolve) => this.socket.once(event as 'room:kicked', resolve as never));
  }

  disconnected(): Promise<string> {
    if (this.socket.disconnected) return Promise.resolve('already');
    return new Promise((resolve) => this.socket.once('disconnect', resolve));
  }

  close(): void {
    this.socket.disconnect();
  }
}
