import type { Socket } from 'socket.io';
import {
  clientEventSchemas,
  type AckFor,
  type ClientEventName,
  type ClientToServerEvents,
  type ParsedPayload,
  type ServerToClientEvents,
} from '../../shared/protocol/events.js';
import { fail } from '../../shared/protocol/errors.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { isStoreOutage } from '../storage/outage.js';
import type { EventBudget } from './event-budget.js';
import type { LatencyTracker } from './latency.js';

export interface SocketData {
  roomCode: string | null;
  role: 'host' | 'player' | null;
  playerId: string | null;
  latency: LatencyTracker;
  /** Events this socket may still send in the current window. */
  budget: EventBudget;
  /** Rejections in a row for flooding; past a limit the socket is cut off. */
  strikes: number;
  /** Seats this socket held in rooms that kicked them: a join from it names the seat, which stays banned. */
  kickedFrom: Map<string, string>;
  /** The room whose seat (or host control) another connection took from this socket, until it binds again. */
  replacedIn: string | null;
}

export type GameSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Who may send an event: anyone, a socket bound as host of a room, or one bound as a player. */
export type Requirement = 'none' | 'host' | 'player';

export type Handler<E extends ClientEventName> = (socket: GameSocket, payload: ParsedPayload<E>) => AckFor<E> | Promise<AckFor<E>>;

export interface WrapperDeps {
  log: Logger;
  /** Flood strikes after which the socket is disconnected. */
  maxStrikes: number;
  metrics?: Metrics;
}

/** Fields a person types: a problem with them is said in their words, not the schema's. */
const TYPED_FIELDS: Record<string, string> = {
  code: 'That is not a room code: it has 6 letters and digits, as shown on the big screen',
  nickname: 'Keep your nickname to 24 characters or fewer',
  team: 'A team name has 1-24 characters',
};

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const path = issue.path.map(String).join('.');
  const typed = Object.hasOwn(TYPED_FIELDS, path) ? TYPED_FIELDS[path] : undefined;
  return typed ?? (path ? `${path}: ${issue.message}` : issue.message);
}

interface Entry {
  requirement: Requirement;
  handler: Handler<ClientEventName>;
  schema: (typeof clientEventSchemas)[ClientEventName];
  /** Metric children, looked up once per event (not per socket, not per message). */
  counted: { event: { inc(): void }; seconds: { startTimer(): () => void }; ok: { inc(): void } } | null;
}

/**
 * The one way handlers are registered: rate-limit, validate with the event's zod schema, check the
 * caller's role, run, and always answer through the typed ack. A handler that throws answers
 * INTERNAL; nothing a client sends can crash the process. The table is made once per server and
 * each socket gets one listener for all events: a phone costs no closure per event (at 10,000
 * phones that was 20 closures and 60 metric objects each).
 */
export class EventTable {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: WrapperDeps) {}

  on<E extends ClientEventName>(event: E, requirement: Requirement, handler: Handler<E>): void {
    const m = this.deps.metrics;
    const counted = m ? { event: m.events.labels({ event }), seconds: m.handlerSeconds.labels({ event }), ok: m.acks.labels({ event, code: 'ok' }) } : null;
    this.entries.set(event, { requirement, handler: handler as unknown as Handler<ClientEventName>, schema: clientEventSchemas[event], counted });
  }

  /** Every event the socket sends goes through the table; unknown ones are refused. */
  attach(socket: GameSocket): void {
    socket.onAny((event: string, ...args: unknown[]) => {
      const entry = typeof event === 'string' ? this.entries.get(event) : undefined;
      if (entry) run(socket, this.deps, event as ClientEventName, entry, args);
      else refuseUnknown(socket, this.deps, String(event), args);
    });
  }
}

function run(socket: GameSocket, deps: WrapperDeps, event: ClientEventName, entry: Entry, args: unknown[]): void {
  type R = AckFor<ClientEventName>;
  const { counted, requirement, schema, handler } = entry;
  counted?.event.inc();
  const ack = args.at(-1);
  const endTimer = counted?.seconds.startTimer();
  const reply = (r: R) => {
    if (typeof ack !== 'function') return; // every event is request/response; without an ack nobody hears
    endTimer?.();
    if (r.ok) counted?.ok.inc();
    else deps.metrics?.acks.inc({ event, code: r.error.code });
    (ack as (r: R) => void)(r);
  };
  const failed = (err: unknown) => {
    if (isStoreOutage(err)) {
      deps.log.warn({ err: (err as Error).message, event }, 'store unavailable for a client event');
      return reply(fail('STORE_UNAVAILABLE', 'The server cannot reach its database for a moment: try again shortly') as R);
    }
    deps.log.error({ err, event, socket: socket.id }, 'handler failed');
    reply(fail('INTERNAL', 'Something went wrong on the server: try again') as R);
  };
  // Every event costs budget, answered or not: leaving out the ack is no way around the limit.
  if (!withinBudget(socket, deps, event)) return reply(fail('RATE_LIMITED', 'Slow down a little and try again') as R);
  if (typeof ack !== 'function') return;
  if (args.length !== 2) return reply(fail('BAD_REQUEST', 'send exactly one payload object, then the acknowledgement') as R);
  const payload = args[0];
  if (payload && typeof payload === 'object' && 'protocol' in payload && (payload as { protocol: unknown }).protocol !== PROTOCOL_VERSION) {
    return reply(fail('UNSUPPORTED_PROTOCOL', `This page is out of date (the server speaks protocol ${PROTOCOL_VERSION}): reload it`) as R);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return reply(fail('BAD_REQUEST', firstIssue(parsed.error)) as R);
  if (requirement !== 'none') {
    if (socket.data.replacedIn && !socket.data.roomCode) {
      return reply(fail('SESSION_REPLACED', 'This seat is open on another device (or tab): continue there, or reload here to take it back') as R);
    }
    if (!socket.data.roomCode || !socket.data.role) return reply(fail('NOT_IN_ROOM', 'Join or host a room first') as R);
    if (socket.data.role !== requirement) {
      return reply(fail(requirement === 'host' ? 'NOT_HOST' : 'NOT_IN_ROOM', `only a ${requirement} can do that`) as R);
    }
  }
  // A handler that answers at once (a room this node runs, in memory) is acked at once: no promise.
  let out: R | Promise<R>;
  try {
    out = handler(socket, parsed.data as ParsedPayload<ClientEventName>);
  } catch (err) {
    return failed(err);
  }
  if (out instanceof Promise) out.then(reply, failed);
  else reply(out);
}

/**
 * Takes one event from the socket's budget. Past it the event is refused; after `maxStrikes`
 * refusals in a row the socket is cut off.
 */
function withinBudget(socket: GameSocket, deps: WrapperDeps, event: string): boolean {
  if (socket.data.budget.take(performance.now())) {
    socket.data.strikes = 0;
    return true;
  }
  socket.data.strikes++;
  if (socket.data.strikes >= deps.maxStrikes) {
    deps.log.warn({ socket: socket.id, event: event.slice(0, 40) }, 'flooding socket disconnected');
    socket.disconnect(true);
  }
  return false;
}

/** Unknown events get an UNKNOWN_EVENT ack when they carry one, and count against the rate limit. */
function refuseUnknown(socket: GameSocket, deps: WrapperDeps, event: string, args: unknown[]): void {
  deps.metrics?.events.inc({ event: 'unknown' });
  const ack = args.at(-1);
  const allowed = withinBudget(socket, deps, event);
  if (typeof ack !== 'function') return;
  (ack as (r: unknown) => void)(allowed ? fail('UNKNOWN_EVENT', `unknown event "${event.slice(0, 40)}"`) : fail('RATE_LIMITED', 'Slow down a little and try again'));
}
