import { isUploadedId } from '../../shared/protocol/decks.js';
import type { ServerToClientEvents } from '../../shared/protocol/events.js';
import type { JoinLinks, RoomView } from '../../shared/protocol/views.js';
import type { Action, Effect, ReduceResult } from '../game/actions.js';
import type { Reducer } from '../game/reducer.js';
import type { QuestionResult, RoomState } from '../game/state.js';
import { nextDeadline } from '../game/timers.js';
import { createProjector } from '../game/view.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { QuestionOutcome, Store } from '../storage/types.js';
import { outcomeId, outcomeWeek, protestEntry, questionCorrection } from './protest-records.js';
import { CoalescedTask } from './coalesce.js';
import { hashSecret } from './tokens.js';

export interface Member {
  socketId: string;
  /** The node the socket is connected to (several nodes may serve one room). */
  nodeId: string;
  role: 'host' | 'player';
  playerId: string | null;
}

/** How a room reaches sockets; the gateway implements it over Socket.IO. */
export interface Outbox {
  emit<E extends keyof ServerToClientEvents>(socketId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** The room no longer knows this socket: its player was kicked (no rejoining from it), or the room closed. */
  unbound(member: Member, kicked: boolean): void;
}

/** A closed question's answers by players who joined with a practice profile. */
export interface ProfiledAnswer {
  profileId: string;
  /** The bank question, so its 5-domain domain counts too. */
  questionId: string;
  domain: QuestionResult['domain'];
  correct: boolean;
  timeMs: number;
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
  snapshotTtlMs: number;
  /** Several nodes: snapshots are written only while this node owns the room (false = it no longer does). */
  saveSnapshot?: (code: string, data: string, ttlMs: number) => Promise<boolean>;
  onOwnershipLost?: (room: Room) => void;
}

/** Snapshots trail transitions by at most this long; phase changes and scores are written at once. */
const SNAPSHOT_DELAY_MS = 100;
/** After a takeover, how long players have to reconnect before they show as away. */
const RECONNECT_GRACE_MS = 15_000;
/** A store write that keeps failing (Redis down) is retried this long before it is given up. */
const PERSIST_RETRY_MS = 15 * 60_000;

export interface RoomSnapshot {
  v: 1;
  state: RoomState;
  hostTokenHash: string;
  sessions: [tokenHash: string, playerId: string][];
  profiles?: [playerId: string, profileId: string][];
  join?: JoinLinks | null;
}

/**
 * A live room: the only writer of its state. Every client action and timer expiry goes through
 * `dispatch`, which runs synchronously, so actions apply one at a time in arrival order; store
 * writes that follow are chained so they land in the same order.
 */
export class Room {
  private sessions = new Map<string, string>();
  /** Players who joined with a practice profile: their results also count for that profile. */
  private profiles = new Map<string, string>();
  private members = new Map<string, Member>();
  /** Where phones join, as the host's browser reached the server (host views show it). */
  private joinLinks: JoinLinks | null = null;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private readonly fanOut: CoalescedTask;
  private readonly snapshots: CoalescedTask;
  private persistChain: Promise<void> = Promise.resolve();
  /** Set when the room moved to another node or closed for good: no more timers, writes or emits. */
  private abandoned = false;
  lastActivity: number;

  constructor(
    public state: RoomState,
    readonly hostTokenHash: string,
    private readonly deps: RoomDeps,
  ) {
    this.lastActivity = deps.clock.now();
    this.fanOut = new CoalescedTask(deps.clock, deps.broadcastThrottleMs ?? 500, () => this.broadcast('hosts'));
    this.snapshots = new CoalescedTask(deps.clock, SNAPSHOT_DELAY_MS, () => this.saveSnapshot());
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

  addSession(token: string, playerId: string): void {
    this.sessions.set(hashSecret(token), playerId);
  }

  linkProfile(playerId: string, profileId: string): void {
    this.profiles.set(playerId, profileId);
  }

  /** Distinct practice profiles of the players in the room now. */
  profileIds(): string[] {
    return [...new Set([...this.profiles].filter(([playerId]) => this.state.players[playerId]).map(([, profileId]) => profileId))];
  }

  playerForSession(token: string): string | undefined {
    return this.sessions.get(hashSecret(token));
  }

  attach(member: Member): void {
    this.members.set(member.socketId, member);
    this.lastActivity = this.deps.clock.now();
    if (member.role === 'player' && member.playerId) this.dispatch({ type: 'connection', playerId: member.playerId, connected: true });
  }

  /** A socket left; its player shows as disconnected once their last socket is gone. */
  detach(socketId: string): void {
    const m = this.members.get(socketId);
    if (!m) return;
    this.members.delete(socketId);
    if (m.role === 'player' && m.playerId && !this.membersOf(m.playerId).length && this.state.players[m.playerId]) {
      this.dispatch({ type: 'connection', playerId: m.playerId, connected: false });
    }
  }

  /**
   * One seat, one socket: the seat's (or the host's) other sockets are told `session:replaced` and
   * let go, so only the newest connection acts for it.
   */
  replaceSeat(member: Member): void {
    for (const m of [...this.members.values()]) {
      if (m.socketId === member.socketId || m.role !== member.role || m.playerId !== member.playerId) continue;
      this.members.delete(m.socketId);
      this.deps.outbox.emit(m.socketId, 'session:replaced', { code: this.code, role: m.role });
      this.deps.outbox.unbound(m, false);
    }
  }

  hasMember(socketId: string): boolean {
    return this.members.has(socketId);
  }

  private membersOf(playerId: string): Member[] {
    return [...this.members.values()].filter((m) => m.playerId === playerId);
  }

  // --- actions ----------------------------------------------------------------------------

  dispatch(action: Action): ReduceResult {
    const now = this.deps.clock.now();
    const prev = this.state;
    const result = this.deps.reduce(prev, action, now);
    if (result.error || result.state === prev) return result;
    this.state = result.state;
    this.lastActivity = now;
    this.applyEffects(result.effects);
    this.arm();
    // Urgent changes reach everyone now; routine ones (answer counts, joins, who is online) only
    // matter to the host screen, which gets them at most once per throttle period.
    if (isUrgent(prev, this.state)) {
      this.fanOut.cancel();
      this.broadcast('everyone');
    } else this.fanOut.request(false);
    // Snapshots exist so another node can take the room over; an in-memory store has no other node.
    if (this.deps.store.persistent) this.snapshots.request(prev.phase !== this.state.phase || prev.scoreLog !== this.state.scoreLog);
    return result;
  }

  view(socketId: string): RoomView | null {
    const m = this.members.get(socketId);
    if (!m) return null;
    return createProjector(this.state, this.deps.clock.now(), this.joinLinks)(m.role, m.playerId);
  }

  /** A host attached: remember its join links; a loopback-only link never replaces one phones can reach. */
  setJoinLinks(links: JoinLinks): void {
    if (links.loopbackOnly && this.joinLinks && !this.joinLinks.loopbackOnly) return;
    this.joinLinks = links;
  }

  /** One timer per room, always for the earliest deadline in the state. */
  private arm(): void {
    const at = nextDeadline(this.state);
    if (at === this.timerAt) return;
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === null) return;
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.dispatch({ type: 'timeout' });
      this.arm();
    }, at - this.deps.clock.now());
  }

  private applyEffects(effects: Effect[]): void {
    for (const e of effects) {
      // An uploaded deck's questions count for this room's scores only: never weekly points, stats or review queues.
      if ((e.type === 'question-closed' || e.type === 'protest-decided') && isUploadedId(e.result.questionId)) {
        const scores = this.roomScores();
        this.persist('room scores', () => this.deps.store.setRoomScores(this.code, scores));
        if (e.type === 'protest-decided') this.persist('protest', () => this.deps.store.recordProtest(protestEntry(this.code, e.protest)));
        continue;
      }
      if (e.type === 'question-closed') {
        this.persist('record question', () => this.deps.store.recordQuestion(this.outcome(e.result)));
        const profiled = this.profiledAnswers(e.result);
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
      if (e.type === 'kicked') {
        for (const member of this.membersOf(e.playerId)) {
          this.members.delete(member.socketId);
          this.deps.outbox.emit(member.socketId, 'room:kicked', { code: this.code });
          this.deps.outbox.unbound(member, true);
        }
        this.persist('remove kicked player', () => this.deps.store.removeRoomPlayer(this.code, e.playerId));
      }
      if (e.type === 'finished') {
        this.persist('final scores', () => this.deps.store.setRoomScores(this.code, this.roomScores()));
        const fileExam = this.deps.onProfiledExam;
        const state = this.state;
        if (fileExam && state.settings.mode === 'exam' && this.profiles.size > 0 && !state.deck?.uploaded) this.persist('exam history', () => fileExam(state, [...this.profiles]));
      }
    }
  }

  private roomScores() {
    return Object.values(this.state.players).map((p) => ({ playerId: p.id, name: p.name, score: p.score }));
  }

  private outcome(result: QuestionResult): QuestionOutcome {
    const players = Object.values(this.state.players).map((p) => {
      const r = result.perPlayer[p.id];
      return {
        key: this.keyOf(p.id),
        name: p.name,
        points: r?.points ?? 0,
        answered: r !== undefined && (r.choices !== null || this.state.settings.mode === 'buzz'),
        correct: r?.correct ?? false,
        timeMs: r?.elapsedMs ?? 0,
      };
    });
    return {
      id: outcomeId(this.state, result.index),
      roomCode: this.code,
      week: outcomeWeek(result, this.deps.clock.now()),
      board: this.state.settings.mode === 'exam' ? 'exam' : 'quiz',
      domain: result.domain,
      scores: this.roomScores(),
      players,
    };
  }

  /** A person, never a nickname: two "Alex" are two rows, one profile is one row across rooms. */
  private keyOf(playerId: string): string {
    const profile = this.profiles.get(playerId);
    return profile !== undefined ? `profile:${profile}` : `seat:${playerId}`;
  }

  private profiledAnswers(result: QuestionResult): ProfiledAnswer[] {
    return Object.entries(result.perPlayer)
      .filter(([playerId, r]) => this.profiles.has(playerId) && (r.choices !== null || this.state.settings.mode === 'buzz'))
      .map(([playerId, r]) => ({ profileId: this.profiles.get(playerId)!, questionId: result.questionId, domain: result.domain, correct: r.correct, timeMs: r.elapsedMs ?? 0 }));
  }

  /**
   * Store writes run in order, off the action path; a failure is never thrown at players. With Redis
   * they are retried until Redis is back (every write is idempotent, so a retry never counts twice).
   */
  private persist(what: string, op: () => Promise<unknown>): void {
    this.persistChain = this.persistChain.then(() => this.withRetries(what, op));
  }

  private async withRetries(what: string, op: () => Promise<unknown>): Promise<void> {
    const started = this.deps.clock.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await op();
        if (attempt > 0) this.deps.log.info({ room: this.code, attempts: attempt + 1 }, `store write landed: ${what}`);
        return;
      } catch (err) {
        const giveUp = !this.deps.store.persistent || this.abandoned || this.deps.clock.now() - started > PERSIST_RETRY_MS;
        if (giveUp || attempt === 0) this.deps.log.error({ err, room: this.code }, `store write failed${giveUp ? '' : ', retrying'}: ${what}`);
        if (giveUp) return;
        await new Promise<void>((resolve) => this.deps.clock.setTimer(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  }

  /** Resolves when every store write queued so far has finished. */
  flushed(): Promise<void> {
    return this.persistChain;
  }

  // --- fan-out ----------------------------------------------------------------------------

  /** Each member gets their own projection; identical projections are computed once. */
  broadcast(to: 'everyone' | 'hosts' = 'everyone'): void {
    const project = createProjector(this.state, this.deps.clock.now(), this.joinLinks);
    const cache = new Map<string, RoomView>();
    for (const m of this.members.values()) {
      if (to === 'hosts' && m.role !== 'host') continue;
      const key = `${m.role}:${m.playerId ?? ''}`;
      let view = cache.get(key);
      if (!view) {
        view = project(m.role, m.playerId);
        cache.set(key, view);
      }
      this.deps.outbox.emit(m.socketId, 'room:view', view);
    }
  }

  // --- snapshots and shutdown ----------------------------------------------------------------

  snapshot(): RoomSnapshot {
    return { v: 1, state: this.state, hostTokenHash: this.hostTokenHash, sessions: [...this.sessions], profiles: [...this.profiles], join: this.joinLinks };
  }

  /** Rebuilds a room from its snapshot and re-arms its deadlines; nobody is connected until they attach. */
  static restore(snap: RoomSnapshot, deps: RoomDeps): Room {
    const room = new Room(snap.state, snap.hostTokenHash, deps);
    room.sessions = new Map(snap.sessions);
    room.profiles = new Map(snap.profiles ?? []);
    room.joinLinks = snap.join ?? null;
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

  private saveSnapshot(): void {
    if (this.abandoned) return;
    const data = JSON.stringify(this.snapshot());
    const { saveSnapshot, onOwnershipLost } = this.deps;
    if (!saveSnapshot) {
      this.persist('snapshot', () => this.deps.store.saveSnapshot(this.code, data, this.deps.snapshotTtlMs));
      return;
    }
    this.persist('snapshot', async () => {
      if (this.abandoned) return;
      const owned = await saveSnapshot(this.code, data, this.deps.snapshotTtlMs);
      if (!owned && !this.abandoned) onOwnershipLost?.(this);
    });
  }

  /** Saves the current state now (before a handover) and resolves once every queued write is done. */
  async checkpoint(): Promise<void> {
    this.snapshots.cancel();
    if (this.deps.store.persistent) this.saveSnapshot();
    await this.persistChain;
  }

  /** Another node runs the room from now on: stop timers and writes here, keep the members' sockets. */
  abandon(): void {
    this.stopTimers();
    this.abandoned = true;
  }

  private stopTimers(): void {
    if (this.timer !== null) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
    this.fanOut.cancel();
    this.snapshots.cancel();
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
    this.persist('drop snapshot', () => this.deps.store.deleteSnapshot(this.code));
  }
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
