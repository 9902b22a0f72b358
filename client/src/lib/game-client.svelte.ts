import { io, type Socket } from 'socket.io-client';
import type { AckFor, ClientEventName, ClientPayload, ClientToServerEvents, HostCommand, ServerToClientEvents } from '../../../shared/protocol/events.js';
import type { GameExport } from '../../../shared/protocol/export.js';
import type { ProtocolError } from '../../../shared/protocol/errors.js';
import type { ProtestDecision } from '../../../shared/protocol/protests.js';
import type { DeckSpec } from '../../../shared/protocol/decks.js';
import type { HttpReply } from '../../../shared/protocol/http-routes.js';
import { http, type HttpResult } from './http.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.js';
import type { ExamSheetView, RoomView } from '../../../shared/protocol/views.js';
import type { RoomSettingsPatch } from '../../../shared/settings.js';
import { humanError, isTooLate } from './messages.js';
import { ServerClock } from './server-clock.js';
import type { SessionStore } from './session.js';

export type GameSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** Refusals that pass on their own (a room moving between servers, a store hiccup, a busy server). */
const RETRYABLE = new Set<ProtocolError['code']>(['ROOM_UNAVAILABLE', 'STORE_UNAVAILABLE', 'RATE_LIMITED']);

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting';
type Identity = { kind: 'host'; code: string; hostToken: string } | { kind: 'player'; code: string; sessionToken: string };
type Result<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/**
 * The fate of the player's tap on the open question. `sending` lasts through a dropped connection:
 * the answer waits in the outbox and goes out once the seat is resumed.
 */
export interface AnswerDelivery {
  questionId: string;
  choices: number[];
  state: 'sending' | 'locked' | 'late' | 'refused';
  message: string | null;
  /** It waited in the outbox through a dropped connection (the phone says it got through). */
  resent: boolean;
}
/** Refusals that mean "not now, on this connection": keep the answer and send it after the resume. */
const RESEND_AFTER_RESUME = new Set<ProtocolError['code']>(['INTERNAL', 'NOT_IN_ROOM', 'ROOM_UNAVAILABLE', 'STORE_UNAVAILABLE', 'RATE_LIMITED']);

/**
 * The browser's side of a room: one socket, the latest view the server sent, and the actions a
 * host or player can take. After any reconnect it re-attaches with the stored token, so a locked
 * phone or a Wi-Fi drop resumes the same seat and score.
 */
export class GameClient {
  view = $state<RoomView | null>(null);
  status = $state<ConnectionStatus>('connecting');
  /** The last refusal, in words, for a toast. */
  notice = $state<string | null>(null);
  /** `replaced`: this seat (or host control) was opened on another device or tab; this one stops. */
  ended = $state<null | 'kicked' | 'ended' | 'expired' | 'replaced'>(null);
  playerId = $state<string | null>(null);
  // Raw: replaced whole, never mutated, so identity tells whether a reply is for the latest tap.
  delivery = $state.raw<AnswerDelivery | null>(null);
  readonly clock = new ServerClock();
  private identity: Identity | null = null;
  private readonly socket: GameSocket;

  constructor(
    private readonly sessions: SessionStore,
    socket?: GameSocket,
  ) {
    this.socket = socket ?? io({ transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', () => {
      this.status = 'reconnecting';
    });
    this.socket.on('room:view', (view) => {
      this.view = view;
    });
    this.socket.on('room:kicked', ({ code }) => {
      this.sessions.forgetPlayer(code);
      this.identity = null;
      this.ended = 'kicked';
    });
    // The token stays stored: the other tab or device holds the same seat. No resume from here
    // (identity is gone), or two screens would take the seat from each other in turn.
    this.socket.on('session:replaced', () => {
      this.identity = null;
      this.ended = 'replaced';
    });
    this.socket.on('room:closed', ({ reason }) => {
      this.identity = null;
      this.ended = reason;
    });
    this.socket.on('net:ping', (t, ack) => ack(t));
    if (this.socket.connected) void this.onConnect();
  }

  get code(): string | null {
    return this.identity?.code ?? this.view?.code ?? null;
  }

  private async onConnect(): Promise<void> {
    // Only a seat held before this connection needs re-attaching; one taken while the clock
    // synced (a join) is current already, and a late resume could bring back an older view.
    const held = this.identity;
    await this.syncClock();
    if (held && held === this.identity) await this.reattach(held);
    this.status = 'online';
    await this.flushOutbox();
  }

  private async syncClock(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const sent = Date.now();
      const r = await this.call('time:sync', { clientTime: sent });
      if (r.ok) this.clock.observe(sent, r.value.serverTime, Date.now());
    }
  }

  /**
   * While a room moves to another server (its node stopped), resuming is refused for a few seconds
   * with a "try again" code: keep the seat and retry instead of dropping it.
   */
  private async reattach(id: Identity): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.reattachOnce(id);
      if (outcome !== 'retry') return outcome === 'ok';
      if (attempt >= 20 || this.identity !== id) return false;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  private async reattachOnce(id: Identity): Promise<'ok' | 'retry' | 'gone'> {
    const r =
      id.kind === 'host'
        ? await this.call('host:attach', { protocol: PROTOCOL_VERSION, code: id.code, hostToken: id.hostToken })
        : await this.call('room:resume', { protocol: PROTOCOL_VERSION, code: id.code, sessionToken: id.sessionToken });
    if (r.ok) {
      const value: { view: RoomView; playerId?: string } = r.value;
      if (value.playerId) this.playerId = value.playerId;
      this.view = value.view;
      return 'ok';
    }
    if (RETRYABLE.has(r.error.code)) return 'retry';
    this.forget(id, r.error);
    return 'gone';
  }

  private forget(id: Identity, error: ProtocolError): void {
    this.identity = null;
    if (id.kind === 'player') this.sessions.forgetPlayer(id.code);
    else this.sessions.forgetHost(id.code);
    if (error.code === 'KICKED') this.ended = 'kicked';
    if (error.code === 'ROOM_NOT_FOUND' || error.code === 'SESSION_INVALID') this.ended = 'expired';
  }

  /** Every request goes through here: a typed ack, or a protocol error when the server is unreachable. */
  private async call<E extends ClientEventName>(event: E, payload: ClientPayload<E>, quiet = false): Promise<Result<Omit<Extract<AckFor<E>, { ok: true }>, 'ok'>>> {
    try {
      const timed = this.socket.timeout(8_000);
      const ack = await (timed.emitWithAck as (e: E, p: ClientPayload<E>) => Promise<AckFor<E>>).call(timed, event, payload);
      if (ack.ok) {
        const { ok: _ok, ...value } = ack as Extract<AckFor<E>, { ok: true }>;
        return { ok: true, value: value as Omit<Extract<AckFor<E>, { ok: true }>, 'ok'> };
      }
      if (!quiet) this.notice = humanError(ack.error);
      return { ok: false, error: ack.error };
    } catch {
      const error: ProtocolError = { code: 'INTERNAL', message: 'No answer from the server: check your connection' };
      if (!quiet) this.notice = error.message;
      return { ok: false, error };
    }
  }

  // --- host -------------------------------------------------------------------------------

  async createRoom(settings: RoomSettingsPatch): Promise<Result<{ code: string; joinUrl: string }>> {
    const r = await this.call('room:create', { protocol: PROTOCOL_VERSION, settings });
    if (!r.ok) return r;
    this.identity = { kind: 'host', code: r.value.code, hostToken: r.value.hostToken };
    this.sessions.saveHost(r.value.code, r.value.hostToken);
    this.view = r.value.view;
    return { ok: true, value: { code: r.value.code, joinUrl: r.value.joinUrl } };
  }

  /** Takes control of a room this browser created (after a reload). */
  async resumeHost(code: string): Promise<boolean> {
    const hostToken = this.sessions.hostToken(code);
    if (!hostToken) return false;
    this.identity = { kind: 'host', code, hostToken };
    return this.reattach(this.identity);
  }

  command(command: HostCommand) {
    return this.call('host:command', { command }).then((r) => this.adopt(r));
  }

  configure(settings: RoomSettingsPatch) {
    return this.call('host:configure', { settings }).then((r) => this.adopt(r));
  }

  /** The room's deck, over HTTP (an upload is bigger than a socket message may be); the new view follows on the socket. */
  async setDeck(deck: DeckSpec): Promise<HttpResult<HttpReply<'roomDeck'>>> {
    const id = this.identity;
    if (id?.kind !== 'host') return { ok: false, code: 'NOT_HOST', message: 'Only the host can choose the deck' };
    return http('roomDeck', 'POST', `/api/rooms/${id.code}/deck`, { token: id.hostToken, body: { deck } });
  }

  kick(playerId: string) {
    return this.call('host:kick', { playerId }).then((r) => this.adopt(r));
  }

  /** Lifts a kick's ban: that person may join again. */
  unban(playerId: string) {
    return this.call('host:unban', { playerId }).then((r) => this.adopt(r));
  }

  lock(locked: boolean) {
    return this.call('host:lock', { locked }).then((r) => this.adopt(r));
  }

  async exportResults(): Promise<GameExport | null> {
    const r = await this.call('host:export', {});
    return r.ok ? r.value.export : null;
  }

  // --- player -----------------------------------------------------------------------------

  /** `profileToken`: a practice profile on this device, so the room's answers count towards its stats. */
  async join(code: string, nickname: string, team?: string, profileToken?: string): Promise<Result<{ playerId: string }>> {
    const r = await this.call('room:join', { protocol: PROTOCOL_VERSION, code, nickname, ...(team ? { team } : {}), ...(profileToken ? { profileToken } : {}) });
    if (!r.ok) return r;
    this.identity = { kind: 'player', code: r.value.view.code, sessionToken: r.value.sessionToken };
    this.sessions.savePlayer({ code: r.value.view.code, playerId: r.value.playerId, sessionToken: r.value.sessionToken });
    this.playerId = r.value.playerId;
    this.view = r.value.view;
    return { ok: true, value: { playerId: r.value.playerId } };
  }

  /** Rejoins with the token this browser stored for the room; false when there is none or it is refused. */
  async resumePlayer(code: string): Promise<boolean> {
    const s = this.sessions.player(code);
    if (!s) return false;
    this.identity = { kind: 'player', code, sessionToken: s.sessionToken };
    return this.reattach(this.identity);
  }

  setTeam(team: string | null) {
    return this.call('player:team', { team }).then((r) => this.adopt(r));
  }

  /**
   * Answers the open question. While the connection is down the answer waits in the outbox (socket.io
   * would otherwise send it on the new connection before the seat is resumed, where it is refused).
   */
  async answer(choices: number[]): Promise<boolean> {
    const q = this.view?.question;
    if (!q) return false;
    const sorted = [...choices].sort((a, b) => a - b);
    this.delivery = { questionId: q.id, choices: sorted, state: 'sending', message: null, resent: false };
    if (this.status !== 'online' || !this.socket.connected) return false;
    return this.send(this.delivery);
  }

  private async send(d: AnswerDelivery): Promise<boolean> {
    const r = await this.call('player:answer', { questionId: d.questionId, choices: d.choices }, true);
    if (this.delivery !== d) return r.ok; // a newer tap replaced this one
    if (r.ok) {
      this.delivery = { ...d, state: 'locked' };
      // The server does not send a view for an accepted answer: the ack is the confirmation.
      const view = this.view;
      if (view?.me && view.question?.id === d.questionId) this.view = { ...view, me: { ...view.me, myChoices: d.choices } };
      return true;
    }
    if (RESEND_AFTER_RESUME.has(r.error.code)) {
      // Stays `sending`; the next (re)connection flushes it, and a live socket retries shortly.
      if (this.socket.connected && r.error.code !== 'NOT_IN_ROOM') setTimeout(() => void this.flushOutbox(), 1_000);
      return false;
    }
    this.delivery = { ...d, state: isTooLate(r.error.code) ? 'late' : 'refused', message: humanError(r.error) };
    if (!isTooLate(r.error.code)) this.notice = humanError(r.error);
    return false;
  }

  /** After a resume: send the waiting answer, unless the resumed view shows it already counted. */
  private async flushOutbox(): Promise<void> {
    const d = this.delivery;
    if (!d || d.state !== 'sending' || this.status !== 'online' || !this.identity || this.identity.kind !== 'player') return;
    const view = this.view;
    const counted =
      (view?.question?.id === d.questionId && view.me?.myChoices) ||
      (view?.reveal?.questionId === d.questionId && view.me?.lastResult?.choices);
    if (counted) {
      this.delivery = { ...d, state: 'locked', resent: true };
      return;
    }
    const resent = { ...d, resent: true };
    this.delivery = resent;
    await this.send(resent);
  }

  async buzz(): Promise<boolean> {
    const q = this.view?.question;
    if (!q) return false;
    return (await this.call('player:buzz', { questionId: q.id })).ok;
  }

  // --- room exam ----------------------------------------------------------------------------

  /** Sets (or with no choices clears) an exam answer; like `answer`, the ack is the confirmation. */
  async examAnswer(questionId: string, choices: number[]): Promise<boolean> {
    const r = await this.call('exam:answer', { questionId, choices });
    const chosen = choices.length > 0 ? [...choices].sort((a, b) => a - b) : null;
    if (r.ok) this.patchSheet(questionId, (sheet, i) => ({ ...sheet, answers: sheet.answers.map((a, j) => (j === i ? chosen : a)) }));
    return r.ok;
  }

  async examFlag(questionId: string, flagged: boolean): Promise<boolean> {
    const r = await this.call('exam:flag', { questionId, flagged });
    if (r.ok) this.patchSheet(questionId, (sheet, i) => ({ ...sheet, flags: sheet.flags.map((f, j) => (j === i ? flagged : f)) }));
    return r.ok;
  }

  examSubmit() {
    return this.call('exam:submit', {}).then((r) => this.adopt(r));
  }

  private patchSheet(questionId: string, change: (sheet: ExamSheetView, index: number) => ExamSheetView): void {
    const view = this.view;
    const exam = view?.exam;
    const index = exam?.questions?.findIndex((q) => q.id === questionId) ?? -1;
    if (!view || !exam?.mine || index < 0) return;
    this.view = { ...view, exam: { ...exam, mine: change(exam.mine, index) } };
  }

  async flag(questionId: string, reason: string): Promise<boolean> {
    return (await this.call('question:flag', { questionId, reason })).ok;
  }

  /** A protest of my judged answer; the refusal (if any) is returned for the form to show, not as a banner. */
  async protest(questionId: string, reason: string): Promise<ProtocolError | null> {
    const r = await this.call('player:protest', { questionId, reason }, true);
    if (r.ok) this.view = r.value.view;
    return r.ok ? null : r.error;
  }

  decideProtest(protestId: string, decision: ProtestDecision) {
    return this.call('host:protest', { protestId, decision }).then((r) => this.adopt(r));
  }

  private adopt(r: Result<{ view: RoomView }>): boolean {
    if (r.ok) this.view = r.value.view;
    return r.ok;
  }

  dismissNotice(): void {
    this.notice = null;
  }

  disconnect(): void {
    this.socket.disconnect();
  }
}
