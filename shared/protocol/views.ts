import type { OutlineDomainId } from '../curriculum.js';
import type { DomainId } from '../domains.js';
import type { PublicQuestion, QuestionType } from '../question.js';
import type { GameMode, RoomSettings } from '../settings.js';
import type { ExamResult } from './practice-views.js';
import type { MyProtestView, ProtestView } from './protests.js';
import type { DeckSummary } from './decks.js';

export type Role = 'host' | 'player' | 'spectator';
/** `exam`: a room mock exam is running (one shared clock, free navigation, no feedback). */
export type Phase = 'lobby' | 'question' | 'exam' | 'reveal' | 'leaderboard' | 'finished';

export interface PlayerSummary {
  id: string;
  name: string;
  team: string | null;
  score: number;
  rank: number;
  connected: boolean;
}

export interface TeamSummary {
  name: string;
  /** Average of its members' scores, rounded. */
  score: number;
  members: number;
  rank: number;
}

export interface BuzzView {
  holder: string | null;
  holderDeadline: number | null;
  adjudicating: boolean;
  lockedOut: string[];
}

/** An open question as clients see it: never the answer or anything derived from it. */
export interface QuestionView {
  index: number;
  total: number;
  id: string;
  domain: DomainId;
  topic: string;
  difficulty: 1 | 2 | 3;
  type: QuestionType;
  /**
   * Server time the question opens after its "get ready" count; null once open (or with no count).
   * Until then only the announcement is here: prompt '' and choices null, nothing answerable.
   */
  opensAt: number | null;
  /** Time left of the get-ready count at serverTime (frozen while paused); null once open. */
  opensInMs: number | null;
  /** The revealed part of the prompt (Buzz-in reveals word by word); the whole prompt otherwise. */
  prompt: string;
  promptComplete: boolean;
  /** Null while hidden (Buzz-in reading, unless you hold the floor). */
  choices: string[] | null;
  /** Server time when the answer window ends; null while reading or when there is no timer. */
  deadline: number | null;
  /** Time left at serverTime (frozen while paused or while a buzzer holds the floor). */
  remainingMs: number | null;
  timeLimitMs: number | null;
  /** From a deck the host uploaded: not reviewed (the screens show a badge). */
  unreviewed?: true;
  answeredCount: number;
  eligibleCount: number;
  buzz: BuzzView | null;
}

export interface PlayerResult {
  playerId: string;
  choices: number[] | null;
  correct: boolean;
  points: number;
  elapsedMs: number | null;
}

export interface RevealView {
  questionId: string;
  correct: number[];
  /** How many players picked each choice. */
  distribution: number[];
  answeredCount: number;
  correctCount: number;
  explanation: string;
  sourceUrl: string;
  /** Per player, host view only. */
  results: PlayerResult[] | null;
  /** Voided after a protest: it counts for nobody. */
  voided?: boolean;
}

export interface DomainAccuracy {
  /** A domain of the room's outline. */
  domain: OutlineDomainId;
  answered: number;
  correct: number;
  /** correct / answered, 0-1; null when nothing was answered. */
  accuracy: number | null;
}

export interface MissedQuestion {
  questionId: string;
  domain: DomainId;
  prompt: string;
  correctRate: number;
  answered: number;
  /** The question's choices (on-screen order) and the correct ones: the game is over. */
  choices: string[];
  correct: number[];
  explanation: string;
  sourceUrl: string;
}

/** One played question of the end-of-game report, with its answer. */
export interface ReportQuestion {
  index: number;
  questionId: string;
  /** Its domain in the room's outline. */
  domain: OutlineDomainId;
  topic: string;
  prompt: string;
  choices: string[];
  correct: number[];
  explanation: string;
  sourceUrl: string;
  answered: number;
  correctCount: number;
  /** Players in the room when it closed. */
  participants: number;
  voided: boolean;
}

/** A cell of the player × question grid; `void`: voided after a protest. */
export type GridMark = 'right' | 'wrong' | 'none' | 'void';

/** One player's row of the grid, in the report's question order. */
export interface ReportRow {
  playerId: string;
  name: string;
  team: string | null;
  marks: GridMark[];
  /** What they picked per question (on-screen indices); null = no answer. */
  choices: (number[] | null)[];
  right: number;
  answered: number;
}

export interface FinalView {
  podium: PlayerSummary[];
  teams: TeamSummary[];
  domainAccuracy: DomainAccuracy[];
  mostMissed: MissedQuestion[];
  /** Every played question with its answer: host always, phones in Study mode (big rooms stay small). */
  questions: ReportQuestion[] | null;
  /** Host only: the player × question grid, join order. */
  grid: ReportRow[] | null;
  /** Players: their own row of the grid. */
  mine: ReportRow | null;
}

export interface MeView {
  playerId: string;
  name: string;
  team: string | null;
  score: number;
  rank: number;
  streak: number;
  /** Your answer to the open question (what you sent, not whether it is right). */
  myChoices: number[] | null;
  lockedOut: boolean;
  holdsFloor: boolean;
  /** Your result for the last revealed question; present from its reveal on. */
  lastResult: PlayerResult | null;
  /** Your protest of the last revealed question, if you filed one. */
  protest?: MyProtestView | null;
}

/** Your own answer sheet while a room exam runs (on-screen choice indices, question order). */
export interface ExamSheetView {
  answers: (number[] | null)[];
  flags: boolean[];
  submitted: boolean;
}

/** One player's progress as the host sees it during a room exam: counts only, never choices. */
export interface ExamProgress {
  playerId: string;
  name: string;
  answered: number;
  submitted: boolean;
  connected: boolean;
}

/** The host's view of a finished room exam. */
export interface ExamGroupView {
  /** Across all players: correct answers / (questions in the domain × players); unanswered counts as wrong. */
  /** Domains of the room's outline. */
  byDomain: { domain: OutlineDomainId; correct: number; total: number; accuracy: number | null }[];
  players: { playerId: string; name: string; correct: number; total: number; percent: number; passed: boolean; submitted: boolean }[];
}

/** A room mock exam. Before its end nothing in it depends on a solution. */
export interface RoomExamView {
  total: number;
  durationMs: number;
  /** Server time the exam ends (moves on when the host resumes after a pause). */
  deadline: number;
  /** Time left at serverTime (frozen while paused); 0 once ended. */
  remainingMs: number;
  passPercent: number;
  passMarkOfficial: false;
  ended: boolean;
  submittedCount: number;
  /** Players, while the exam runs: the questions without solutions (the projector never shows them). */
  questions: PublicQuestion[] | null;
  /** Players, while the exam runs. */
  mine: ExamSheetView | null;
  /** Host, while the exam runs. */
  progress: ExamProgress[] | null;
  /** Players, after the end: your own debrief. */
  result: ExamResult | null;
  /** Host, after the end: the group's debrief. */
  group: ExamGroupView | null;
}

/** Where phones join a room; computed by the server, host view only. */
export interface JoinLinks {
  /** The one join URL for the QR code and the text: PUBLIC_URL when set, else the address the host used. */
  url: string;
  /** The same link on each of the server machine's network addresses (IPv4 first), for a host on localhost. */
  lanUrls: string[];
  /** `url` only works on the server machine itself (localhost, 127.x, ::1): the lobby should warn. */
  loopbackOnly: boolean;
  source: 'public-url' | 'host-address';
}

export interface RoomView {
  protocol: number;
  code: string;
  role: Role;
  mode: GameMode;
  phase: Phase;
  paused: boolean;
  locked: boolean;
  settings: RoomSettings;
  /** The room's deck: its kind and size, never its questions. */
  deck: DeckSummary;
  serverTime: number;
  playerCount: number;
  /** Everyone for the host; the top of the leaderboard for others (big rooms stay small on the wire). */
  leaderboard: PlayerSummary[];
  teams: TeamSummary[];
  question: QuestionView | null;
  reveal: RevealView | null;
  final: FinalView | null;
  /** Exam mode, from the start on. */
  exam: RoomExamView | null;
  me: MeView | null;
  /** Host only: the join link (kept across a reload: the room remembers it). */
  join: JoinLinks | null;
  /** Host only: every protest in filing order, open and decided. */
  protests?: ProtestView[] | null;
  /** Host only: who was kicked (seat, profile and nickname stay out until `host:unban`). */
  bans?: BanView[] | null;
}

export interface BanView {
  playerId: string;
  name: string;
  at: number;
}
