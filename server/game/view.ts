import { revealedPrompt } from '../../shared/prompt.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/events.js';
import type { FinalView, JoinLinks, MeView, PlayerResult, PlayerSummary, QuestionView, ReportQuestion, ReportRow, RevealView, Role, RoomView } from '../../shared/protocol/views.js';
import { createExamProjector } from './exam-view.js';
import { deckSummary } from './decks.js';
import type { MyProtestView, ProtestView } from '../../shared/protocol/protests.js';
import { protestsOf } from './protests.js';
import { bansOf } from './bans.js';
import { reportGrid, reportQuestions } from './report.js';
import { finalView, rankOf as rankOfPlayer, rankPlayers, rankTeams, shorten, topPlayers } from './summary.js';
import { currentQuestion, type GameQuestion, type RoomState } from './state.js';
import { own } from './own.js';

/** How many leaderboard rows non-hosts get: enough for a phone, small for a 2,000-player room. */
export const LEADERBOARD_TOP = 10;

function remaining(state: RoomState, now: number): number | null {
  const round = state.round!;
  if (round.deadline === null) return null;
  const frozenAt = state.pausedAt ?? round.frozenAt;
  const clock = frozenAt === null ? now : Math.min(now, frozenAt);
  return Math.max(0, round.deadline - clock);
}

/** The open question without its solution. Buzz-in shows only revealed words, and choices once the prompt is complete. */
function questionView(state: RoomState, playerId: string | null, now: number): QuestionView | null {
  const gq = currentQuestion(state);
  const round = state.round;
  if (!gq || !round || state.phase === 'lobby' || state.phase === 'finished') return null;
  const q = gq.question;
  const b = round.buzz;
  const open = state.phase === 'question';
  const opensAt = open ? (round.opensAt ?? null) : null;
  if (opensAt !== null) return { ...announcement(state, gq, round.index, opensAt, now), eligibleCount: state.playerOrder.length };
  const promptComplete = !b || b.revealedWords >= b.words || state.phase !== 'question';
  const holdsFloor = b?.floor?.playerId === playerId && playerId !== null;
  // The host screen is the projector: it sees what the room sees.
  const choicesVisible = promptComplete || holdsFloor;
  return {
    index: round.index,
    total: state.questions.length,
    id: q.id,
    domain: q.domain,
    topic: q.topic,
    difficulty: q.difficulty,
    type: q.type,
    ...(q.unreviewed ? { unreviewed: true as const } : {}),
    opensAt: null,
    opensInMs: null,
    prompt: promptComplete ? q.prompt : revealedPrompt(q.prompt, b!.revealedWords),
    promptComplete,
    choices: choicesVisible ? [...q.choices] : null,
    deadline: open ? round.deadline : null,
    remainingMs: open ? remaining(state, now) : null,
    timeLimitMs: state.settings.timeLimitSec > 0 ? state.settings.timeLimitSec * 1000 : null,
    answeredCount: b ? b.attempts.length : Object.keys(round.answers).length,
    eligibleCount: state.playerOrder.length,
    buzz: b && {
      holder: b.floor?.playerId ?? null,
      holderDeadline: b.floor?.deadline ?? null,
      adjudicating: b.adjudicateAt !== null,
      lockedOut: [...b.lockedOut],
    },
  };
}

/** "Get ready": which question comes (number, domain, topic), never its prompt or choices. */
function announcement(state: RoomState, gq: GameQuestion, index: number, opensAt: number, now: number): Omit<QuestionView, 'eligibleCount'> {
  const clock = state.pausedAt === null ? now : Math.min(now, state.pausedAt);
  return {
    index,
    total: state.questions.length,
    id: gq.question.id,
    domain: gq.question.domain,
    topic: gq.question.topic,
    difficulty: gq.question.difficulty,
    type: gq.question.type,
    opensAt,
    opensInMs: Math.max(0, opensAt - clock),
    prompt: '',
    promptComplete: false,
    choices: null,
    deadline: null,
    remainingMs: null,
    timeLimitMs: state.settings.timeLimitSec > 0 ? state.settings.timeLimitSec * 1000 : null,
    answeredCount: 0,
    buzz: null,
  };
}

/** Exists only from the reveal on: the one place a solution enters a view. */
function revealView(state: RoomState, role: Role): RevealView | null {
  if (state.phase !== 'reveal' && state.phase !== 'leaderboard') return null;
  const gq = currentQuestion(state);
  const result = state.results.at(-1);
  if (!gq || !result || result.questionId !== gq.question.id) return null;
  const per = Object.entries(result.perPlayer);
  return {
    questionId: gq.question.id,
    correct: [...gq.solution.answer],
    distribution: [...result.distribution],
    answeredCount: per.filter(([, r]) => r.choices !== null).length,
    correctCount: per.filter(([, r]) => r.correct).length,
    explanation: gq.solution.explanation,
    sourceUrl: gq.solution.sourceUrl,
    results: role === 'host' ? per.map(([playerId, r]) => ({ playerId, ...r })) : null,
    voided: result.voided === true,
  };
}

/** The host's list: protests exist only for revealed questions, so nothing here is early. */
function hostProtests(state: RoomState): ProtestView[] {
  return protestsOf(state).map((p) => ({
    id: p.id,
    playerId: p.playerId,
    name: own(state.players, p.playerId)?.name ?? 'a removed player',
    questionId: p.questionId,
    questionIndex: p.questionIndex,
    prompt: shorten(state.questions[p.questionIndex]?.question.prompt ?? '', 140),
    reason: p.reason,
    at: p.at,
    decision: p.decision,
    decidedAt: p.decidedAt,
  }));
}

/** The player's own protest of the last revealed question. */
function myProtest(state: RoomState, playerId: string): MyProtestView | null {
  const last = state.results.at(-1);
  if (!last) return null;
  const p = protestsOf(state).find((x) => x.id === `${last.index}:${playerId}`);
  return p ? { id: p.id, questionId: p.questionId, decision: p.decision } : null;
}

function meView(state: RoomState, playerId: string, rank: number): MeView | null {
  const p = own(state.players, playerId);
  if (!p) return null;
  const round = state.round;
  const b = round?.buzz;
  const inQuestion = state.phase === 'question' && round;
  const revealed = state.phase === 'reveal' || state.phase === 'leaderboard' || state.phase === 'finished';
  const last = state.results.at(-1);
  const lastResult: PlayerResult | null =
    revealed && last ? { playerId, ...(own(last.perPlayer, playerId) ?? { choices: null, correct: false, points: 0, elapsedMs: null }) } : null;
  const myAttempt = b?.attempts.find((a) => a.playerId === playerId);
  return {
    playerId,
    name: p.name,
    team: p.team,
    score: p.score,
    rank,
    streak: p.streak,
    myChoices: inQuestion ? (own(round.answers, playerId)?.choices ?? myAttempt?.choices ?? null) : null,
    lockedOut: !!inQuestion && !!b?.lockedOut.includes(playerId),
    holdsFloor: !!inQuestion && b?.floor?.playerId === playerId,
    lastResult,
    protest: revealed ? myProtest(state, playerId) : null,
  };
}

export type Projector = (role: Role, playerId: string | null) => RoomView;

/**
 * The final report per role, from a finished state only: the host gets every question and the
 * grid; phones their own row, and the questions in Study mode (a quiz night's big room stays small).
 */
function createFinalProjector(state: RoomState, final: FinalView): (role: Role, playerId: string | null) => FinalView {
  let questions: ReportQuestion[] | null = null;
  let rows: Map<string, ReportRow> | null = null;
  const allQuestions = () => (questions ??= reportQuestions(state));
  const grid = () => (rows ??= new Map(reportGrid(state).map((r) => [r.playerId, r])));
  return (role, playerId) => {
    if (role === 'host') return { ...final, questions: allQuestions(), grid: [...grid().values()] };
    const mine = role === 'player' && playerId !== null ? (grid().get(playerId) ?? null) : null;
    return { ...final, questions: state.settings.mode === 'study' ? allQuestions() : null, mine };
  };
}

/**
 * Projections of one state at one instant. The shared parts (ranking, teams, final report) are
 * computed once, so broadcasting to a big room costs one ranking, not one per socket.
 */
export function createProjector(state: RoomState, now: number, join: JoinLinks | null = null, opts: { single?: boolean } = {}): Projector {
  // One view (an ack) ranks nobody it does not show: the top rows and the player's own rank, by counting.
  let everyone: PlayerSummary[] | null = null;
  let rankById: Map<string, number> | null = null;
  const ranked = () => (everyone ??= rankPlayers(state));
  const top = opts.single ? topPlayers(state, LEADERBOARD_TOP) : ranked().slice(0, LEADERBOARD_TOP);
  const rankFor = (playerId: string) => {
    if (opts.single) return rankOfPlayer(state, playerId);
    rankById ??= new Map(ranked().map((p) => [p.id, p.rank]));
    return rankById.get(playerId) ?? 0;
  };
  const teams = rankTeams(state);
  const final = state.phase === 'finished' ? finalView(state) : null;
  const finalFor = final && createFinalProjector(state, final);
  const sharedQuestion = questionView(state, null, now);
  const deck = deckSummary(state.deck);
  const examFor = createExamProjector(state, now);
  let protestList: ProtestView[] | null = null;
  const hostProtestList = () => (protestList ??= hostProtests(state));
  const reveals = new Map<Role, RevealView | null>();
  const revealFor = (role: Role) => {
    if (!reveals.has(role)) reveals.set(role, revealView(state, role));
    return reveals.get(role)!;
  };
  return (role, playerId) => {
    const holdsFloor = playerId !== null && state.round?.buzz?.floor?.playerId === playerId;
    return {
      protocol: PROTOCOL_VERSION,
      code: state.code,
      role,
      mode: state.settings.mode,
      phase: state.phase,
      paused: state.pausedAt !== null,
      locked: state.locked,
      settings: state.settings,
      deck,
      serverTime: now,
      playerCount: state.playerOrder.length,
      leaderboard: role === 'host' ? ranked() : top,
      teams,
      question: holdsFloor ? questionView(state, playerId, now) : sharedQuestion,
      reveal: revealFor(role),
      final: finalFor ? finalFor(role, playerId) : null,
      exam: examFor(role, playerId),
      me: role === 'player' && playerId !== null ? meView(state, playerId, rankFor(playerId)) : null,
      join: role === 'host' ? join : null,
      protests: role === 'host' ? hostProtestList() : null,
      bans: role === 'host' ? bansOf(state).map((b) => ({ playerId: b.playerId, name: b.name, at: b.at })) : null,
    };
  };
}

/**
 * What one client may see, as a pure projection. Before the reveal nothing in it depends on the
 * solution: no correct index, no per-choice counts, no per-player correctness.
 */
export function viewFor(state: RoomState, role: Role, playerId: string | null, now: number): RoomView {
  return createProjector(state, now)(role, playerId);
}
