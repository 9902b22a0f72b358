import { isUploadedId } from '../../shared/protocol/decks.js';
import { fail } from '../../shared/protocol/errors.js';
import type { ServerToClientEvents } from '../../shared/protocol/events.js';
import type { JoinLinks, RoomView } from '../../shared/protocol/views.js';
import type { Action, Effect, ReduceResult } from '../game/actions.js';
import type { Reducer } from '../game/reducer.js';
import type { QuestionResult, RoomState } from '../game/state.js';
import { nextDeadline } from '../game/timers.js';
import { createProjector } from '../game/view.js';
import { Transient } from '../game/transient.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../storage/types.js';
import { profiledAnswers, protestEntry, questionCorrection, questionOutcome, roomScores } from './room-records.js';
import type { ProfiledAnswer } from './room-records.js';
import type { RoomJournal } from '../cluster/journal.js';
import type { Fence } from '../cluster/leases.js';
import { SNAPSHOT_VERSION, type LogEntry, type RoomSnapshot } from '../cluster/snapshot-schema.js';
import { CoalescedTask } from './coalesce.js';
import { own } from '../game/own.js';
import { Members } from './members.js';
import { StoreWrites } from './store-writes.js';
import { hashSecret } from './tokens.js';

export type { RoomSnapshot } from '../cluster/snapshot-schema.js';
export type { ProfiledAnswer } from './room-records.js';

export interface Member {
  socketId: string;
  /** The node the socket is connected to (several nodes may serve one room). */
  nodeId: string;
  role: 'host' | 'player';
  playerId: string | null;
}

export interface ViewDelivery {
  member: Member;
  view: RoomView;
}

/** How a room reaches sockets; the gateway implements it over Socket.IO. */
export interface Outbox {
  emit<E extends keyof ServerToClientEvents>(socketId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** One broadcast's views (`room:view`), so members on another node can get theirs in one message per node. */
  views?(deliveries: ViewDelivery[]): void;
  /** The room no longer knows this socket: its player was kicked (no rejoining from it), or the room closed. */
  unbound(member: Member, kicked: boolean): void;
}

export interface RoomDeps {
  /** Counts room answers towards practice profiles' stats (when practice is wired). */
  onProfiledAnswers?: (answers: ProfiledAnswer[]) => Promise<void>;
  /** A room mock exam ended: file it in the history of the players who joined with a profile. */
  onProfiledExam?: (state: RoomState, profiles: [playerId: string, profileId: string][]) => Promise<void>;
  /** A question closed: profiled players' misses feed their review queues (idempotent per room and question). */
  onProfiledMisses?: (state: RoomState, result: QuestionResult, profiles: [playerId: string, profileId: string][]) => Promise<void>;
  reduce: Reducer;
  clock: Clock;
  store: Store;
  log: Logger;
  outbox: Outbox;
  /** Routine changes (an answer, a join, a reconnect) reach host screens at most this often. */
  broadcastThrottleMs?: number;
  /** With a room log (Redis): writes a snapshot covering entries up to `seq`, fenced by the lease (false = refused). */
  saveSnapshot?: (code: string, fence: Fence, seq: number, data: string) => Promise<boolean>;
  /** The room's log refused or lost a write: this copy of the room must stop. */
  onLogFailed?: (room: Room, why: string) => void;
}

/**
 * A snapshot once the log has grown by this many entries, or by as many as the room has players if
 * that is more, at the first change with no question open: a long lobby or exam never replays a long
 * log, a snapshot (O(players) to write) costs O(1) per entry, also in a 10,000-phone room, and a
 * replay is at most that many entries and one question's answers. A short game needs none at all.
 */
const SNAPSHOT_EVERY_ENTRIES = 500;
/** While the lease is not proven valid, deadlines wait and are tried again this often. */
const LEASE_WAIT_RETRY_MS = 100;
/** From this many players a room's answers, joins and connection changes share one copy until state leaves (see Transient). */
const TRANSIENT_FROM_PLAYERS = 1_000;
const WINDOWED_ACTIONS: ReadonlySet<Action['type']> = new Set(['answer', 'join', 'connection']);
/** After a takeover, how long players have to reconnect before they show as away. */
const RECONNECT_GRACE_MS = 15_000;

/** A session a join creates, recorded in the same log entry as the join itself. */
export interface NewSession {
  token: string;
  playerId: string;
  profileId: string | null;
}

/**
 * A live room: the only writer of its state. Every client action and timer expiry goes through
 * `dispatch`, which runs synchronously, so actions apply one at a time in arrival order; store
 * writes that follow are chained so they land in the same order.
 *
 * With a room log (Redis), every accepted change is appended to the log before anyone hears of
 * it: acks (`settle`), views and store writes wait until its entry is durable.
 */
export class Room {
  private sessions = new Map<string, string>();
  /** Players who joined with a practice profile: their results also count for that profile. */
  private profiles = new Map<string, string>();
  private members = new Members();
  /** Where phones join, as the host's browser reached the server (host views show it). */
  private joinLinks: JoinLinks | null = null;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private readonly fanOut: CoalescedTask;
  private readonly writes: StoreWrites;
  /** Set when the room moved to another node or closed for good: no more timers, writes or emits. */
  private abandoned = false;
  private lastSnapshotSeq = 0;
  /** Open while a big room's answers, joins and connection changes may add to the copies it made; closed before any state leaves the room. */
  private transient: Transient | null = null;
  lastActivity: number;

  constructor(
    public state: RoomState,
    readonly hostTokenHash: string,
    private readonly deps: RoomDeps,
    /** The room's write-ahead log; null in memory mode (single node: acks leave at once). */
    readonly journal: RoomJournal | null = null,
  ) {
    this.lastActivity = deps.clock.now();
    this.fanOut = new CoalescedTask(deps.clock, deps.broadcastThrottleMs ?? 500, () => this.broadcast('hosts'));
    this.lastSnapshotSeq = journal?.seq ?? 0;
    this.writes = new StoreWrites({ clock: deps.clock, log: deps.log, store: deps.store, room: this.state.code, stopped: () => this.abandoned });
  }

  get code(): string {
    return this.state.code;
  }

  /** The room's clock (injected: tests drive it by hand). */
  now(): number {
    return this.deps.clock.now();
  }

  // --- membership -------------------------------------------------------------------------

  isHostToken(token: string): boolean {
    return hashSecret(token) === this.hostTokenHash;
  }

  /** Distinct practice profiles of the players in the room now. */
  profileIds(): string[] {
    return [...new Set([...this.profiles].filter(([playerId]) => this.state.players[playerId]).map(([, profileId]) => profileId))];
  }

  playerForSession(token: string): string | undefined {
    return this.sessions.get(hashSecret(token));
  }

  attach(member: Member): void {
    this.members.set(member);
    this.lastActivity = this.deps.clock.now();
    if (member.role === 'player' && member.playerId) this.dispatch({ type: 'connection', playerId: member.playerId, connected: true });
  }

  /** A socket left; its player shows as disconnected once their last socket is gone. */
  detach(socketId: string): void {
    const m = this.members.delete(socketId);
    if (!m) return;
    if (m.role === 'player' && m.playerId && !this.membersOf(m.playerId).length && own(this.state.players, m.playerId)) {
      this.dispatch({ type: 'connection', playerId: m.playerId, connected: false });
    }
  }

  /**
   * One seat, one socket: the seat's (or the host's) other sockets are told `session:replaced` and
   * let go, so only the newest connection acts for it.
   */
  replaceSeat(member: Member): void {
    for (const m of this.members.ofSeat(member.role, member.playerId)) {
      if (m.socketId === member.socketId) continue;
      this.members.delete(m.socketId);
      this.deps.outbox.emit(m.socketId, 'session:replaced', { code: this.code, role: m.role });
      this.deps.outbox.unbound(m, false);
    }
  }

  hasMember(socketId: string): boolean {
    return this.members.has(socketId);
  }

  private membersOf(playerId: string): Member[] {
    return this.members.ofSeat('player', playerId);
  }

  // --- actions ----------------------------------------------------------------------------

  /** `session`: a join's new seat, kept (and logged) only if the join is accepted. */
  dispatch(action: Action, session?: NewSession): ReduceResult {
    const now = this.deps.clock.now();
    const prev = this.state;
    // Partition fencing: without a lease proven valid now, another node may be running the room.
    if (this.journal && !this.journal.leaseValid()) return unavailable(prev);
    const result = this.deps.reduce(prev, action, now, this.transientWindow(action));
    if (result.error || result.state === prev) return result;
    if (session) {
      const tokenHash = hashSecret(session.token);
      this.journal?.record({ at: now, action, session: { tokenHash, playerId: session.playerId, profileId: session.profileId } });
      this.sessions.set(tokenHash, session.playerId);
      if (session.profileId) this.profiles.set(session.playerId, session.profileId);
    } else this.journal?.record({ at: now, action });
    this.state = result.state;
    this.lastActivity = now;
    if (result.effects.length > 0) this.transient = null;
    this.applyEffects(result.effects);
    this.arm();
    // Urgent changes reach everyone now; routine ones (answer counts, joins, who is online) only
    // matter to the host screen, which gets them at most once per throttle period.
    if (isUrgent(prev, this.state)) {
      this.fanOut.cancel();
      this.broadcast('everyone');
      // Every screen waits for this entry: it goes out now, not after the rest of a busy turn.
      this.journal?.writeSoon();
    } else this.fanOut.request(false);
    // Never while a question is open: its answers are not held up by an O(players) write.
    const due = this.journal && this.journal.seq - this.lastSnapshotSeq >= Math.max(SNAPSHOT_EVERY_ENTRIES, this.state.playerOrder.length);
    if (due && this.state.phase !== 'question') this.saveSnapshot();
    return result;
  }

  /**
   * A big room's answers, joins and connection changes share one transient window until state
   * leaves the room: a broadcast (the host screen's gets one at least every throttle period), a
   * snapshot, or effects (their store writes hold on to the state). Acks and views are projected
   * at once and hold no state. Other actions copy as always and may run inside it.
   */
  private transientWindow(action: Action): Transient | undefined {
    if (!WINDOWED_ACTIONS.has(action.type) || this.state.playerOrder.length < TRANSIENT_FROM_PLAYERS) return undefined;
    return (this.transient ??= new Transient());
  }

  /**
   * What a caller may be told: at once without a log or when nothing is pending, else once the
   * log holds every change so far (a refused write means the change may not have happened).
   */
  settle<T extends object>(result: T): T | Promise<T | ReturnType<typeof fail>> {
    const pending = this.journal?.pending();
    if (!pending) return result;
    return this.journal!.confirmedWithinLease(pending, () => {
      if (!this.abandoned) this.deps.onLogFailed?.(this, 'log write not confirmed within the lease');
    }).then((durable) => (durable ? result : fail('ROOM_UNAVAILABLE', 'The room is moving to another server: try again in a moment')));
  }

  /** Runs `send` once everything recorded so far is durable (never, if it is refused). */
  private whenDurable(send: () => void): void {
    const pending = this.journal?.pending();
    if (!pending) send();
    else void pending.then((durable) => durable && !this.abandoned && send());
  }

  view(socketId: string): RoomView | null {
    const m = this.members.get(socketId);
    if (!m) return null;
    return createProjector(this.state, this.deps.clock.now(), this.joinLinks, { single: true })(m.role, m.playerId);
  }

  /** A host attached: remember its join links; a loopback-only link never replaces one phones can reach. */
  setJoinLinks(links: JoinLinks): void {
    if (links.loopbackOnly && this.joinLinks && !this.joinLinks.loopbackOnly) return;
    if (JSON.stringify(links) === JSON.stringify(this.joinLinks)) return;
    this.joinLinks = links;
    this.journal?.record({ at: this.deps.clock.now(), links });
  }

  /** One timer per room, always for the earliest deadline in the state. */
  private arm(): void {
    const at = nextDeadline(this.state);
    if (at === this.timerAt) return;
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === null) return;
    this.timer = this.deps.clock.setTimer(() => this.deadlineReached(), at - this.deps.clock.now());
  }

  private deadlineReached(): void {
    this.timer = null;
    this.timerAt = null;
    if (this.abandoned) return;
    if (this.journal && !this.journal.leaseValid()) {
      // No deadlines without the lease: the node that holds it runs them.
      this.timer = this.deps.clock.setTimer(() => this.deadlineReached(), LEASE_WAIT_RETRY_MS);
      return;
    }
    this.dispatch({ type: 'timeout' });
    this.arm();
  }

  private applyEffects(effects: Effect[]): void {
    for (const e of effects) {
      if (e.type === 'kicked') {
        for (const member of this.membersOf(e.playerId)) {
          this.members.delete(member.socketId);
          this.whenDurable(() => {
            this.deps.outbox.emit(member.socketId, 'room:kicked', { code: this.code });
            this.deps.outbox.unbound(member, true);
          });
        }
      }
    }
    this.recordEffects(effects);
  }

  /** The store writes that follow from effects; also run for log entries replayed after a takeover (all idempotent). */
  private recordEffects(effects: Effect[]): void {
    for (const e of effects) {
      // An uploaded deck's questions count for this room's scores only: never weekly points, stats or review queues.
      if ((e.type === 'question-closed' || e.type === 'protest-decided') && isUploadedId(e.result.questionId)) {
        const scores = roomScores(this.state);
        this.persist('room scores', () => this.deps.store.setRoomScores(this.code, scores));
        if (e.type === 'protest-decided') this.persist('protest', () => this.deps.store.recordProtest(protestEntry(this.code, e.protest)));
        continue;
      }
      if (e.type === 'question-closed') {
        const outcome = questionOutcome(this.state, e.result, (id) => this.keyOf(id), this.deps.clock.now());
        this.persist('record question', () => this.deps.store.recordQuestion(outcome));
        const profiled = profiledAnswers(this.state, e.result, this.profiles);
        const record = this.deps.onProfiledAnswers;
        if (record && profiled.length > 0) this.persist('profile stats', () => record(profiled));
        const feed = this.deps.onProfiledMisses;
        const [state, profiles] = [this.state, [...this.profiles]];
        if (feed && profiles.length > 0) this.persist('review queue', () => feed(state, e.result, profiles));
      }
      if (e.type === 'protest-filed' || e.type === 'protest-decided') {
        const entry = protestEntry(this.code, e.protest);
        this.persist('protest', () => this.deps.store.recordProtest(entry));
      }
      if (e.type === 'protest-decided' && e.corrections.length > 0) {
        const c = questionCorrection(this.state, e.protest, e.result, e.corrections, (id) => this.keyOf(id), this.deps.clock.now());
        this.persist('protest correction', () => this.deps.store.correctQuestion(c));
      }
      if (e.type === 'kicked') this.persist('remove kicked player', () => this.deps.store.removeRoomPlayer(this.code, e.playerId));
      if (e.type === 'finished') {
        const scores = roomScores(this.state);
        this.persist('final scores', () => this.deps.store.setRoomScores(this.code, scores));
        const fileExam = this.deps.onProfiledExam;
        const state = this.state;
        if (fileExam && state.settings.mode === 'exam' && this.profiles.size > 0 && !state.deck?.uploaded) this.persist('exam history', () => fileExam(state, [...this.profiles]));
      }
    }
  }

  /** A person, never a nickname: two "Alex" are two rows, one profile is one row across rooms. */
  private keyOf(playerId: string): string {
    const profile = this.profiles.get(playerId);
    return profile !== undefined ? `profile:${profile}` : `seat:${playerId}`;
  }

  /** A store write that waits for the log entry it follows from (skipped if that entry is refused). */
  private persist(what: string, op: () => Promise<unknown>): void {
    this.writes.queue(what, op, this.journal?.pending() ?? null);
  }

  /** Resolves when every store write queued so far has finished. */
  flushed(): Promise<void> {
    return this.writes.flushed();
  }

  // --- fan-out ----------------------------------------------------------------------------

  /**
   * Each member gets their own projection of the state as it is now; identical projections are
   * computed once. With a log the views are made when they leave (once durable), so their server
   * time and remaining time are those of the moment they are sent.
   */
  broadcast(to: 'everyone' | 'hosts' = 'everyone'): void {
    this.transient = null; // the state leaves the room: nothing may add to it any more
    const [state, join] = [this.state, this.joinLinks];
    const targets = [...this.members.values()].filter((m) => to === 'everyone' || m.role === 'host');
    this.whenDurable(() => {
      const project = createProjector(state, this.deps.clock.now(), join);
      const cache = new Map<string, RoomView>();
      const deliveries: ViewDelivery[] = [];
      for (const m of targets) {
        const key = `${m.role}:${m.playerId ?? ''}`;
        let view = cache.get(key);
        if (!view) {
          view = project(m.role, m.playerId);
          cache.set(key, view);
        }
        deliveries.push({ member: m, view });
      }
      const { outbox } = this.deps;
      if (outbox.views) outbox.views(deliveries);
      else for (const d of deliveries) outbox.emit(d.member.socketId, 'room:view', d.view);
    });
  }

  // --- snapshots, replay and shutdown ----------------------------------------------------------

  snapshot(): RoomSnapshot {
    this.transient = null;
    return {
      v: SNAPSHOT_VERSION,
      seq: this.journal?.seq ?? 0,
      epoch: this.journal?.fence.epoch ?? 0,
      state: this.state,
      hostTokenHash: this.hostTokenHash,
      sessions: [...this.sessions],
      profiles: [...this.profiles],
      join: this.joinLinks,
    };
  }

  /**
   * Rebuilds a room from its snapshot and the log entries after it, through the same reducer with
   * the recorded times; the entries' store writes are issued again (they are idempotent, and the
   * previous owner may have died before they landed). Nobody is connected until they attach.
   */
  static restore(snap: RoomSnapshot, entries: LogEntry[], deps: RoomDeps, journal: RoomJournal | null): Room {
    const room = new Room(snap.state, snap.hostTokenHash, deps, journal);
    room.sessions = new Map(snap.sessions);
    room.profiles = new Map(snap.profiles);
    room.joinLinks = snap.join;
    // Replayed states are seen by nobody but the store writes of effects: a window lasts until the next effects.
    let window = new Transient();
    for (const entry of entries) if (room.replay(entry, window)) window = new Transient();
    room.lastSnapshotSeq = snap.seq;
    room.arm();
    // Players keep their "connected" mark while their phones find the new node: marking them all
    // away at once would close an open question early. Whoever has not come back by then is away.
    deps.clock.setTimer(() => {
      if (room.abandoned) return;
      for (const p of Object.values(room.state.players)) {
        if (p.connected && room.membersOf(p.id).length === 0) room.dispatch({ type: 'connection', playerId: p.id, connected: false });
      }
    }, RECONNECT_GRACE_MS);
    return room;
  }

  /** Applies one logged change as its owner applied it; a change the reducer now refuses means the log and the code disagree. */
  private replay(entry: LogEntry, window: Transient): boolean {
    if (entry.session) {
      this.sessions.set(entry.session.tokenHash, entry.session.playerId);
      if (entry.session.profileId) this.profiles.set(entry.session.playerId, entry.session.profileId);
    }
    if (entry.links) this.joinLinks = entry.links;
    if (!entry.action) return false;
    const result = this.deps.reduce(this.state, entry.action, entry.at, window);
    if (result.error) throw new ReplayError(entry.seq, `${entry.action.type} refused on replay: ${result.error.code}`);
    this.state = result.state;
    this.recordEffects(result.effects);
    return result.effects.length > 0;
  }

  /** Queues a snapshot of the room as it is now, written after the store writes before it (then the log up to it can go). */
  private saveSnapshot(): void {
    const { saveSnapshot, onLogFailed } = this.deps;
    const journal = this.journal;
    if (!journal || !saveSnapshot || this.abandoned) return;
    const snap = this.snapshot();
    this.lastSnapshotSeq = snap.seq;
    const data = JSON.stringify(snap);
    this.persist('snapshot', async () => {
      if (this.abandoned) return;
      const saved = await saveSnapshot(this.code, journal.fence, snap.seq, data);
      if (!saved && !this.abandoned) onLogFailed?.(this, 'snapshot refused: lease lost');
    });
  }

  /** Saves the current state now (before a handover) and resolves once every queued write is done. */
  async checkpoint(): Promise<void> {
    this.saveSnapshot();
    await this.writes.flushed();
  }

  /** Another node runs the room from now on: stop timers and writes here, keep the members' sockets. */
  abandon(): void {
    this.stopTimers();
    this.abandoned = true;
  }

  get isAbandoned(): boolean {
    return this.abandoned;
  }

  private stopTimers(): void {
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
    this.fanOut.cancel();
  }

  /** Tells every member the room is gone and stops its timers. */
  close(reason: 'ended' | 'expired'): void {
    this.stopTimers();
    this.abandoned = true;
    for (const member of this.members.values()) {
      this.deps.outbox.emit(member.socketId, 'room:closed', { code: this.code, reason });
      this.deps.outbox.unbound(member, false);
    }
    this.members.clear();
  }
}

/** A log entry that does not apply: the room is refused rather than half-restored. */
export class ReplayError extends Error {
  constructor(
    readonly seq: number,
    message: string,
  ) {
    super(message);
  }
}

function unavailable(state: RoomState): ReduceResult {
  return { state, effects: [], error: { code: 'ROOM_UNAVAILABLE', message: 'This server cannot prove it still runs the room: try again in a moment' } };
}

/**
 * Changes every phone must see at once. Answer counts, joins and who is online only matter to the
 * host screen: they wait for its throttle, so filling a 2,000-seat room is not 2,000 × 2,000 views.
 */
function isUrgent(prev: RoomState, next: RoomState): boolean {
  return (
    prev.phase !== next.phase ||
    prev.pausedAt !== next.pausedAt ||
    prev.round?.index !== next.round?.index ||
    prev.round?.buzz !== next.round?.buzz ||
    prev.round?.deadline !== next.round?.deadline ||
    prev.round?.opensAt !== next.round?.opensAt ||
    prev.scoreLog !== next.scoreLog ||
    // The host sees a protest at once; the protester sees the decision at once.
    prev.protests !== next.protests ||
    prev.settings !== next.settings ||
    prev.deck !== next.deck ||
    prev.locked !== next.locked
  );
}
