import type { PublicQuestion, QuestionSolution } from '../../shared/question.js';
import type { ProtestDecision } from '../../shared/protocol/protests.js';
import type { Phase } from '../../shared/protocol/views.js';
import { DEFAULT_SETTINGS, type RoomSettings } from '../../shared/settings.js';
import type { RoomDeck } from './decks.js';
import { own } from './own.js';

export type PlayerId = string;

export interface Player {
  id: PlayerId;
  name: string;
  /** Case- and width-folded name, for the uniqueness check. */
  nameKey: string;
  team: string | null;
  score: number;
  /** Consecutive correct answers (Classic streak bonus). */
  streak: number;
  connected: boolean;
  /**
   * When the connection dropped, while the presence grace runs: until `droppedAt + presenceGraceMs`
   * the player still counts as present (early closing waits for them). Null when connected or away.
   */
  droppedAt: number | null;
  joinedAt: number;
  /** The practice profile the player joined with (absent in snapshots from before bans). */
  profileId?: string | null;
}

/** A kick: the seat, its profile and its nickname may not join this room again until the host lifts it. */
export interface Ban {
  playerId: PlayerId;
  name: string;
  /** nicknameKey of the name: case- and compatibility-folded. */
  nameKey: string;
  profileId: string | null;
  at: number;
}

/** A drawn question with its choices already in on-screen order; the solution uses on-screen indices. */
export interface GameQuestion {
  question: PublicQuestion;
  solution: QuestionSolution;
}

export interface Answer {
  choices: number[];
  at: number;
  /** Server-measured time from the opening of the answer window (pauses excluded). */
  elapsedMs: number;
}

export interface PendingBuzz {
  playerId: PlayerId;
  arrivedAt: number;
  /** Arrival minus the player's capped one-way latency: when the press most likely happened. */
  effectiveAt: number;
}

export interface BuzzFloor {
  playerId: PlayerId;
  deadline: number;
  /** Buzzed before the choices appeared: power if right, neg if wrong. */
  beforeChoices: boolean;
}

export interface BuzzAttempt {
  playerId: PlayerId;
  choices: number[] | null;
  correct: boolean;
  points: number;
  at: number;
}

export interface BuzzRound {
  /** Prompt split into words; `revealedWords` of them are visible. */
  words: number;
  revealedWords: number;
  nextWordAt: number | null;
  msPerWord: number;
  /** When the choices appeared (prompt complete); null while reading. */
  choicesAt: number | null;
  pending: PendingBuzz[];
  adjudicateAt: number | null;
  floor: BuzzFloor | null;
  lockedOut: PlayerId[];
  attempts: BuzzAttempt[];
}

/** The open question. All timestamps shift together on resume and when a buzz freeze ends. */
export interface Round {
  index: number;
  /** "Get ready": the question is announced and opens (answer clock starts) at this time; null once open. */
  opensAt: number | null;
  /** Start of the answer window (choices visible); elapsed answer time is measured from here. */
  openedAt: number | null;
  deadline: number | null;
  /** Set while the question clock stands still for a buzz (adjudication or a player holding the floor). */
  frozenAt: number | null;
  answers: Record<PlayerId, Answer>;
  buzz: BuzzRound | null;
}

export interface ScoreEvent {
  playerId: PlayerId;
  questionId: string;
  points: number;
  reason: 'correct' | 'streak' | 'power' | 'neg';
}

export interface QuestionResult {
  index: number;
  questionId: string;
  domain: GameQuestion['question']['domain'];
  distribution: number[];
  perPlayer: Record<PlayerId, { choices: number[] | null; correct: boolean; points: number; elapsedMs: number | null }>;
  /** Players in the room when the question closed (the denominator for "most missed"). */
  participants: number;
  /** When it closed: corrections after a protest land in the same weekly board. */
  closedAt?: number;
  /** A protest voided it: it counts for nobody (points, accuracy, stats). */
  voided?: boolean;
}

/** A player's protest against their judged answer to a revealed question; the host decides. */
export interface Protest {
  /** `<question index>:<player id>`: one protest per player per question. */
  id: string;
  playerId: PlayerId;
  questionId: string;
  questionIndex: number;
  reason: string;
  at: number;
  decision: ProtestDecision | null;
  decidedAt: number | null;
}

/** One player's answer sheet in a room exam. */
export interface ExamSheet {
  /** On-screen choice indices by question id; absent = unanswered. */
  answers: Record<string, number[]>;
  flagged: string[];
  submittedAt: number | null;
}

/** A running (or ended) room exam: one clock for everyone; sheets appear on a player's first action. */
export interface ExamRound {
  startedAt: number;
  deadline: number;
  sheets: Record<PlayerId, ExamSheet>;
  /** When the exam ended for everyone (all submitted, the clock, or the host); null while it runs. */
  endedAt: number | null;
}

export interface RoomState {
  code: string;
  createdAt: number;
  /** Seeded randomness: the whole PRNG state, advanced only by the reducer. */
  rng: number;
  settings: RoomSettings;
  maxPlayers: number;
  /** How long a dropped player still counts as present for early closing. */
  presenceGraceMs: number;
  phase: Phase;
  locked: boolean;
  pausedAt: number | null;
  players: Record<PlayerId, Player>;
  /** Join order, so listings and tie-breaks are stable. */
  playerOrder: PlayerId[];
  banned: PlayerId[];
  /** What each kick bans (seat, profile, nickname); absent in snapshots from before bans. */
  bans?: Ban[];
  questions: GameQuestion[];
  round: Round | null;
  /** Exam mode only; null before the start (and in other modes). */
  exam: ExamRound | null;
  results: QuestionResult[];
  scoreLog: ScoreEvent[];
  /** Filing order. Absent in snapshots from before protests. */
  protests?: Protest[];
  /** The host's deck; absent or null = a random draw. An uploaded deck's questions live only here. */
  deck?: RoomDeck | null;
  /** Bumped on every accepted action: lets the shell and tests detect change cheaply. */
  version: number;
}

export interface CreateRoomOptions {
  code: string;
  seed: number;
  now: number;
  settings?: RoomSettings;
  maxPlayers?: number;
  presenceGraceMs?: number;
}

export const DEFAULT_MAX_PLAYERS = 300;
export const DEFAULT_PRESENCE_GRACE_MS = 15_000;

export function createRoomState(opts: CreateRoomOptions): RoomState {
  return {
    code: opts.code,
    createdAt: opts.now,
    rng: opts.seed >>> 0,
    settings: opts.settings ?? DEFAULT_SETTINGS,
    maxPlayers: opts.maxPlayers ?? DEFAULT_MAX_PLAYERS,
    presenceGraceMs: opts.presenceGraceMs ?? DEFAULT_PRESENCE_GRACE_MS,
    phase: 'lobby',
    locked: false,
    pausedAt: null,
    players: {},
    playerOrder: [],
    banned: [],
    bans: [],
    questions: [],
    round: null,
    exam: null,
    results: [],
    scoreLog: [],
    protests: [],
    version: 0,
  };
}

export function currentQuestion(state: RoomState): GameQuestion | null {
  return state.round ? (state.questions[state.round.index] ?? null) : null;
}

/** Connected, or dropped less than the presence grace ago: early closing waits for them. */
export function isPresent(p: Player): boolean {
  return p.connected || (p.droppedAt ?? null) !== null;
}

/** Players who are in the room now (kicked players are removed from `players`). */
export function activePlayers(state: RoomState): Player[] {
  return state.playerOrder.map((id) => own(state.players, id)).filter((p): p is Player => p !== undefined);
}

/**
 * Earliest drop time per `players` object. States are immutable and answers leave `players` alone,
 * so the scheduler's check after every answer in a 10,000-seat room is a lookup, not a scan.
 */
const earliestDrop = new WeakMap<RoomState['players'], number | null>();

/**
 * A transient window changed `before` into `after` inside `players` itself (the object is the same):
 * keeps its earliest drop true. A drop is never earlier than the earliest (time runs forward), so a
 * drop costs nothing; the earliest dropper coming back makes the next lookup scan again.
 */
export function playerChangedInPlace(players: RoomState['players'], before: Player, after: Player): void {
  const first = earliestDrop.get(players);
  if (first === undefined) return;
  const was = before.droppedAt ?? null;
  const is = after.droppedAt ?? null;
  if (is !== null && (first === null || is < first)) earliestDrop.set(players, is);
  else if (was !== null && was === first && is !== was) earliestDrop.delete(players);
}

/** When the earliest running presence grace ends; null when nobody is dropping. */
export function nextPresenceExpiry(state: RoomState): number | null {
  let first = earliestDrop.get(state.players);
  if (first === undefined) {
    first = null;
    for (const p of Object.values(state.players)) {
      const at = p.droppedAt ?? null;
      if (at !== null && (first === null || at < first)) first = at;
    }
    earliestDrop.set(state.players, first);
  }
  return first === null ? null : first + state.presenceGraceMs;
}
