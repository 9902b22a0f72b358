import { z } from 'zod';
import { OutlineDomainIdSchema } from '../curriculum-schema.js';
import { DomainIdSchema } from '../question.js';
import { GAME_MODES, RoomSettingsObject } from '../settings.js';
import {
  DeckSummarySchema,
  DifficultySchema,
  ExamResultSchema,
  MyProtestViewSchema,
  ProtestViewSchema,
  PublicQuestionSchema,
  QuestionTypeSchema,
} from './view-parts.js';

/**
 * What a socket sees (`room:view`, and the `view` of acks). The schemas are the contract: the types
 * below derive from them, the server's projections are typed with them, and the AsyncAPI document
 * and the events reference are generated from them.
 */

const at = (description: string) => z.number().meta({ description });
const Choices = z.array(z.int().min(0));

export const RoleSchema = z.enum(['host', 'player', 'spectator']);
export type Role = z.infer<typeof RoleSchema>;
/** `exam`: a room mock exam is running (one shared clock, free navigation, no feedback). */
export const PhaseSchema = z.enum(['lobby', 'question', 'exam', 'reveal', 'leaderboard', 'finished']);
export type Phase = z.infer<typeof PhaseSchema>;

export const PlayerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  team: z.string().nullable(),
  score: z.number(),
  rank: z.int(),
  connected: z.boolean(),
});
export type PlayerSummary = z.infer<typeof PlayerSummarySchema>;

export const TeamSummarySchema = z.object({
  name: z.string(),
  score: z.number().meta({ description: "Average of its members' scores, rounded" }),
  members: z.int(),
  rank: z.int(),
});
export type TeamSummary = z.infer<typeof TeamSummarySchema>;

export const BuzzViewSchema = z.object({
  holder: z.string().nullable().meta({ description: 'Player id holding the floor' }),
  holderDeadline: z.number().nullable(),
  adjudicating: z.boolean().meta({ description: 'A buzz arrived; the server is still waiting out latency compensation before naming the winner' }),
  lockedOut: z.array(z.string()),
});
export type BuzzView = z.infer<typeof BuzzViewSchema>;

export const QuestionViewSchema = z
  .object({
    index: z.int(),
    total: z.int(),
    id: z.string(),
    domain: DomainIdSchema,
    topic: z.string(),
    difficulty: DifficultySchema,
    type: QuestionTypeSchema,
    opensAt: z.number().nullable().meta({ description: 'Server time the question opens after its "get ready" count; null once open. Until then prompt is "" and choices null' }),
    opensInMs: z.number().nullable().meta({ description: 'Time left of the get-ready count at serverTime (frozen while paused); null once open' }),
    prompt: z.string().meta({ description: 'The revealed part of the prompt (Buzz-in reveals word by word); the whole prompt otherwise' }),
    promptComplete: z.boolean(),
    choices: z.array(z.string()).nullable().meta({ description: 'Null while hidden (Buzz-in reading, unless you hold the floor)' }),
    deadline: z.number().nullable().meta({ description: 'Server time the answer window ends; null while reading or without a timer' }),
    remainingMs: z.number().nullable().meta({ description: 'Time left at serverTime (frozen while paused or while a buzzer holds the floor)' }),
    timeLimitMs: z.number().nullable(),
    unreviewed: z.literal(true).optional().meta({ description: 'From a deck the host uploaded: not reviewed' }),
    answeredCount: z.int(),
    eligibleCount: z.int(),
    buzz: BuzzViewSchema.nullable(),
  })
  .meta({ description: 'An open question as clients see it: never the answer or anything derived from it' });
export type QuestionView = z.infer<typeof QuestionViewSchema>;

export const PlayerResultSchema = z.object({
  playerId: z.string(),
  choices: Choices.nullable(),
  correct: z.boolean(),
  points: z.number(),
  elapsedMs: z.number().nullable(),
});
export type PlayerResult = z.infer<typeof PlayerResultSchema>;

export const RevealViewSchema = z.object({
  questionId: z.string(),
  correct: Choices,
  distribution: z.array(z.int()).meta({ description: 'How many players picked each choice' }),
  answeredCount: z.int(),
  correctCount: z.int(),
  explanation: z.string(),
  sourceUrl: z.string(),
  results: z.array(PlayerResultSchema).nullable().meta({ description: 'Per player: the host view only (players get their own in me.lastResult)' }),
  voided: z.boolean().optional().meta({ description: 'Voided after a protest: it counts for nobody' }),
});
export type RevealView = z.infer<typeof RevealViewSchema>;

export const DomainAccuracySchema = z.object({
  domain: OutlineDomainIdSchema.meta({ description: "A domain of the room's outline" }),
  answered: z.int(),
  correct: z.int(),
  accuracy: z.number().nullable().meta({ description: 'correct / answered, 0-1; null when nothing was answered' }),
});
export type DomainAccuracy = z.infer<typeof DomainAccuracySchema>;

export const MissedQuestionSchema = z.object({
  questionId: z.string(),
  domain: DomainIdSchema,
  prompt: z.string(),
  correctRate: z.number(),
  answered: z.int(),
  choices: z.array(z.string()),
  correct: Choices,
  explanation: z.string(),
  sourceUrl: z.string(),
});
export type MissedQuestion = z.infer<typeof MissedQuestionSchema>;

export const ReportQuestionSchema = z.object({
  index: z.int(),
  questionId: z.string(),
  domain: OutlineDomainIdSchema,
  topic: z.string(),
  prompt: z.string(),
  choices: z.array(z.string()),
  correct: Choices,
  explanation: z.string(),
  sourceUrl: z.string(),
  answered: z.int(),
  correctCount: z.int(),
  participants: z.int().meta({ description: 'Players in the room when it closed' }),
  voided: z.boolean(),
});
export type ReportQuestion = z.infer<typeof ReportQuestionSchema>;

/** A cell of the player × question grid; `void`: voided after a protest. */
export const GridMarkSchema = z.enum(['right', 'wrong', 'none', 'void']);
export type GridMark = z.infer<typeof GridMarkSchema>;

export const ReportRowSchema = z.object({
  playerId: z.string(),
  name: z.string(),
  team: z.string().nullable(),
  marks: z.array(GridMarkSchema),
  choices: z.array(Choices.nullable()).meta({ description: 'What they picked per question (on-screen indices); null = no answer' }),
  right: z.int(),
  answered: z.int(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const FinalViewSchema = z.object({
  podium: z.array(PlayerSummarySchema),
  teams: z.array(TeamSummarySchema),
  domainAccuracy: z.array(DomainAccuracySchema),
  mostMissed: z.array(MissedQuestionSchema),
  questions: z.array(ReportQuestionSchema).nullable().meta({ description: 'Every played question with its answer: host always, phones in Study mode' }),
  grid: z.array(ReportRowSchema).nullable().meta({ description: 'Host only: the player × question grid, join order' }),
  mine: ReportRowSchema.nullable().meta({ description: 'Players: their own row of the grid' }),
});
export type FinalView = z.infer<typeof FinalViewSchema>;

export const MeViewSchema = z.object({
  playerId: z.string(),
  name: z.string(),
  team: z.string().nullable(),
  score: z.number(),
  rank: z.int(),
  streak: z.int(),
  myChoices: Choices.nullable().meta({ description: 'Your answer to the open question (what you sent, not whether it is right)' }),
  lockedOut: z.boolean(),
  holdsFloor: z.boolean(),
  lastResult: PlayerResultSchema.nullable().meta({ description: 'Your result for the last revealed question, from its reveal on' }),
  protest: MyProtestViewSchema.nullable().optional().meta({ description: 'Your protest of the last revealed question, if you filed one' }),
});
export type MeView = z.infer<typeof MeViewSchema>;

export const ExamSheetViewSchema = z.object({
  answers: z.array(Choices.nullable()),
  flags: z.array(z.boolean()),
  submitted: z.boolean(),
});
export type ExamSheetView = z.infer<typeof ExamSheetViewSchema>;

export const ExamProgressSchema = z.object({
  playerId: z.string(),
  name: z.string(),
  answered: z.int(),
  submitted: z.boolean(),
  connected: z.boolean(),
});
export type ExamProgress = z.infer<typeof ExamProgressSchema>;

export const ExamGroupViewSchema = z.object({
  byDomain: z.array(z.object({ domain: OutlineDomainIdSchema, correct: z.int(), total: z.int(), accuracy: z.number().nullable() })),
  players: z.array(
    z.object({ playerId: z.string(), name: z.string(), correct: z.int(), total: z.int(), percent: z.number(), passed: z.boolean(), submitted: z.boolean() }),
  ),
});
export type ExamGroupView = z.infer<typeof ExamGroupViewSchema>;

export const RoomExamViewSchema = z
  .object({
    total: z.int(),
    durationMs: z.number(),
    deadline: at('Server time the exam ends (moves on when the host resumes after a pause)'),
    remainingMs: z.number().meta({ description: 'Time left at serverTime (frozen while paused); 0 once ended' }),
    passPercent: z.number(),
    passMarkOfficial: z.literal(false),
    ended: z.boolean(),
    submittedCount: z.int(),
    questions: z.array(PublicQuestionSchema).nullable().meta({ description: 'Players, while the exam runs: the questions without solutions' }),
    mine: ExamSheetViewSchema.nullable().meta({ description: 'Players, while the exam runs: your own sheet' }),
    progress: z.array(ExamProgressSchema).nullable().meta({ description: 'Host, while the exam runs: counts only, never choices' }),
    result: ExamResultSchema.nullable().meta({ description: 'Players, after the end: your own debrief' }),
    group: ExamGroupViewSchema.nullable().meta({ description: "Host, after the end: the group's debrief" }),
  })
  .meta({ description: 'A room mock exam. Before its end nothing in it depends on a solution' });
export type RoomExamView = z.infer<typeof RoomExamViewSchema>;

export const JoinLinksSchema = z.object({
  url: z.string().meta({ description: 'The one join URL for the QR code and the text: PUBLIC_URL when set, else the address the host used' }),
  lanUrls: z.array(z.string()).meta({ description: "The same link on each of the server machine's network addresses (IPv4 first)" }),
  loopbackOnly: z.boolean().meta({ description: '`url` only works on the server machine itself: the lobby should warn' }),
  source: z.enum(['public-url', 'host-address']),
});
export type JoinLinks = z.infer<typeof JoinLinksSchema>;

export const BanViewSchema = z.object({ playerId: z.string(), name: z.string(), at: at('Server time of the kick') });
export type BanView = z.infer<typeof BanViewSchema>;

export const RoomViewSchema = z
  .object({
    protocol: z.int(),
    code: z.string(),
    role: RoleSchema,
    mode: z.enum(GAME_MODES),
    phase: PhaseSchema,
    paused: z.boolean(),
    locked: z.boolean(),
    settings: RoomSettingsObject,
    deck: DeckSummarySchema.meta({ description: "The room's deck: its kind and size, never its questions" }),
    serverTime: at('Server clock when the view was made (clients keep an offset from it)'),
    playerCount: z.int(),
    leaderboard: z.array(PlayerSummarySchema).meta({ description: 'Everyone for the host; the top 10 for others' }),
    teams: z.array(TeamSummarySchema),
    question: QuestionViewSchema.nullable(),
    reveal: RevealViewSchema.nullable(),
    final: FinalViewSchema.nullable(),
    exam: RoomExamViewSchema.nullable().meta({ description: 'Exam mode, from the start on' }),
    me: MeViewSchema.nullable().meta({ description: 'Players: your own seat' }),
    join: JoinLinksSchema.nullable().meta({ description: 'Host only: the join link' }),
    protests: z.array(ProtestViewSchema).nullable().optional().meta({ description: 'Host only: every protest in filing order, open and decided' }),
    bans: z.array(BanViewSchema).nullable().optional().meta({ description: 'Host only: who was kicked (seat, profile and nickname stay out until host:unban)' }),
  })
  .meta({ description: 'A full snapshot of what this socket may see' });
export type RoomView = z.infer<typeof RoomViewSchema>;
