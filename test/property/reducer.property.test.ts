import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOST_COMMANDS } from '../../shared/protocol/events.js';
import type { Role } from '../../shared/protocol/views.js';
import type { Action, ReduceResult } from '../../server/game/actions.js';
import { Harness } from '../helpers/harness.js';
import { FUZZ_SEED, PROTO_KEYS } from '../fuzz/seed.js';
import { makeBank } from '../helpers/questions.js';

const bank = makeBank(4);
const NAMES = ['Ana', 'Ben', 'Cai', 'Dee', 'Eve'];

// Weighted so random games really progress (correct answers, buzzes, `next`) and rarely end early.
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const command = fc.oneof(
  w(8, fc.record({ kind: fc.constant('right' as const), who: fc.nat(2) })),
  w(6, fc.record({ kind: fc.constant('host' as const), cmd: fc.constantFrom('next' as const, 'start' as const, 'reveal' as const) })),
  w(2, fc.record({ kind: fc.constant('host' as const), cmd: fc.constantFrom('pause' as const, 'resume' as const, 'skip' as const) })),
  w(1, fc.record({ kind: fc.constant('host' as const), cmd: fc.constant('end' as const) })),
  w(2, fc.record({ kind: fc.constant('join' as const), who: fc.nat(4) })),
  w(3, fc.record({ kind: fc.constant('answer' as const), who: fc.nat(4), choices: fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }), stale: fc.boolean() })),
  w(4, fc.record({ kind: fc.constant('buzz' as const), who: fc.nat(4), latency: fc.nat(400) })),
  w(1, fc.record({ kind: fc.constant('impostor' as const), who: fc.nat(4), cmd: fc.constantFrom(...HOST_COMMANDS) })),
  w(3, fc.record({ kind: fc.constant('advance' as const), ms: fc.nat(12_000) })),
  w(1, fc.record({ kind: fc.constant('kick' as const), who: fc.nat(4) })),
  w(1, fc.record({ kind: fc.constant('unban' as const), who: fc.nat(4) })),
  // Ids and names a client chose: names of Object.prototype members must find nothing and break nothing.
  w(2, fc.record({ kind: fc.constant('odd-id' as const), key: fc.constantFrom(...PROTO_KEYS), action: fc.constantFrom('kick' as const, 'unban' as const, 'answer' as const, 'buzz' as const, 'connection' as const, 'set-team' as const, 'protest' as const, 'exam-submit' as const) })),
  w(1, fc.record({ kind: fc.constant('odd-name' as const), key: fc.constantFrom(...PROTO_KEYS), n: fc.nat(3) })),
  w(2, fc.record({ kind: fc.constant('connection' as const), who: fc.nat(4), connected: fc.boolean() })),
  // Room exam: answers to any drawn question (or one not in the exam), flags, submits.
  w(4, fc.record({ kind: fc.constant('exam-answer' as const), who: fc.nat(4), q: fc.nat(6), choices: fc.array(fc.nat(4), { maxLength: 3 }), right: fc.boolean() })),
  w(1, fc.record({ kind: fc.constant('exam-flag' as const), who: fc.nat(4), q: fc.nat(6), flagged: fc.boolean() })),
  w(1, fc.record({ kind: fc.constant('exam-submit' as const), who: fc.nat(4) })),
  // Protests of any drawn question (revealed or not), and host decisions on any of them.
  w(2, fc.record({ kind: fc.constant('protest' as const), who: fc.nat(4), q: fc.nat(6) })),
  w(2, fc.record({ kind: fc.constant('decide' as const), n: fc.nat(4), decision: fc.constantFrom('void' as const, 'rescore' as const, 'reject' as const) })),
);

const settings = fc.record({
  mode: fc.constantFrom('classic' as const, 'buzz' as const, 'study' as const, 'exam' as const),
  examMinutes: fc.constantFrom(1, 2),
  questionCount: fc.integer({ min: 1, max: 5 }),
  timeLimitSec: fc.integer({ min: 5, max: 30 }),
  wordsPerSecond: fc.constantFrom(0, 2, 5),
  buzzCompensation: fc.boolean(),
  streakBonus: fc.boolean(),
  speedScoring: fc.boolean(),
  getReadySec: fc.constantFrom(0, 0, 3),
});

type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

/** Accepted and not a resend of an answer already recorded (those are acknowledged, never counted). */
const counted = (r: ReduceResult) => !r.error && !r.effects.some((e) => e.type === 'answer-repeated');

/** Plays a sequence; after every step checks the invariants the brief names. */
function play(s: object, cmds: Command[], seed: number) {
  const h = new Harness(bank, s, { seed });
  h.join('Ana', 'Ben');
  const accepted = new Map<string, number>();
  let lastQid = 'architecture-0';
  // The server gives every join a new seat id: a kicked player who comes back (after an unban) gets another.
  const seatOf = new Map<number, string>();
  const kickedSeat = new Map<number, string>();

  for (const c of cmds) {
    const before = h.state;
    const pid = 'who' in c ? (seatOf.get(c.who) ?? NAMES[c.who]!.toLowerCase()) : '';
    let r;
    switch (c.kind) {
      case 'join': {
        const seat = kickedSeat.get(c.who) === pid ? `${pid}-again-${h.state.version}` : pid;
        r = h.act({ type: 'join', playerId: seat, name: NAMES[c.who]! });
        if (!r.error) seatOf.set(c.who, seat);
        break;
      }
      case 'answer': {
        const qid = c.stale || !h.state.round ? lastQid : h.qid;
        r = h.act({ type: 'answer', playerId: pid, questionId: qid, choices: c.choices });
        if (counted(r)) accepted.set(`${pid}/${qid}`, (accepted.get(`${pid}/${qid}`) ?? 0) + 1);
        break;
      }
      case 'right':
        if (!h.state.round) continue;
        r = h.act({ type: 'answer', playerId: pid, questionId: h.qid, choices: h.correct });
        if (counted(r)) accepted.set(`${pid}/${h.qid}`, (accepted.get(`${pid}/${h.qid}`) ?? 0) + 1);
        break;
      case 'buzz':
        r = h.act({ type: 'buzz', playerId: pid, questionId: h.state.round ? h.qid : lastQid, latencyMs: c.latency });
        break;
      case 'host':
        r = h.act({ type: c.cmd, by: { role: 'host' } });
        break;
      case 'impostor':
        r = h.act({ type: c.cmd, by: { role: 'player', playerId: pid } });
        expect(r.error?.code).toBe('NOT_HOST');
        break;
      case 'advance':
        h.advance(c.ms);
        break;
      case 'kick':
        r = h.act({ type: 'kick', by: { role: 'host' }, playerId: pid });
        if (!r.error) kickedSeat.set(c.who, pid);
        break;
      case 'unban':
        r = h.act({ type: 'unban', by: { role: 'host' }, playerId: kickedSeat.get(c.who) ?? pid });
        break;
      case 'odd-id': {
        const id = c.key;
        const qid = h.state.round ? h.qid : lastQid;
        const actions: Record<typeof c.action, Action> = {
          kick: { type: 'kick', by: { role: 'host' }, playerId: id },
          unban: { type: 'unban', by: { role: 'host' }, playerId: id },
          answer: { type: 'answer', playerId: id, questionId: qid, choices: [0] },
          buzz: { type: 'buzz', playerId: id, questionId: qid, latencyMs: 0 },
          connection: { type: 'connection', playerId: id, connected: false },
          'set-team': { type: 'set-team', playerId: id, team: null },
          protest: { type: 'protest', playerId: id, questionId: qid, reason: 'wrong' },
          'exam-submit': { type: 'exam-submit', playerId: id },
        };
        r = h.act(actions[c.action]);
        expect(r.error?.code).toBe('UNKNOWN_PLAYER');
        break;
      }
      case 'odd-name':
        // A nickname is a client string too (the seat id stays the server's own).
        r = h.act({ type: 'join', playerId: `seat-${c.n}`, name: c.key });
        break;
      case 'connection':
        r = h.act({ type: 'connection', playerId: pid, connected: c.connected });
        break;
      case 'exam-answer': {
        const gq = h.state.questions[c.q];
        const choices = c.right && gq ? gq.solution.answer : c.choices;
        r = h.act({ type: 'exam-answer', playerId: pid, questionId: gq?.question.id ?? 'not-in-this-exam', choices });
        break;
      }
      case 'exam-flag':
        r = h.act({ type: 'exam-flag', playerId: pid, questionId: h.state.questions[c.q]?.question.id ?? 'not-in-this-exam', flagged: c.flagged });
        break;
      case 'exam-submit':
        r = h.act({ type: 'exam-submit', playerId: pid });
        break;
      case 'protest':
        r = h.act({ type: 'protest', playerId: pid, questionId: h.state.questions[c.q]?.question.id ?? 'not-in-this-game', reason: 'B is right too' });
        break;
      case 'decide': {
        const p = h.state.protests?.[c.n];
        r = h.act({ type: 'decide-protest', by: { role: 'host' }, protestId: p?.id ?? '9:nobody', decision: c.decision });
        break;
      }
    }
    if (r?.error) expect(r.state).toBe(before);
    if (h.state.round) lastQid = h.qid;
    checkInvariants(h, accepted);
  }
  return h;
}

function checkInvariants(h: Harness, accepted: Map<string, number>) {
  const { state } = h;
  // Scores equal the sum of scored events.
  for (const p of Object.values(state.players)) {
    const sum = state.scoreLog.filter((e) => e.playerId === p.id).reduce((s, e) => s + e.points, 0);
    expect(p.score).toBe(sum);
  }
  // A question voided after a protest scores for nobody; one protest per player and question.
  for (const r of state.results) if (r.voided) expect(state.scoreLog.filter((e) => e.questionId === r.questionId)).toEqual([]);
  const protestIds = (state.protests ?? []).map((p) => p.id);
  expect(new Set(protestIds).size).toBe(protestIds.length);
  // At most one counted answer per player per question.
  for (const n of accepted.values()) expect(n).toBeLessThanOrEqual(1);
  for (const r of state.results) {
    const attempts = state.round?.buzz && state.round.index === r.index ? state.round.buzz.attempts : [];
    const ids = attempts.map((a) => a.playerId);
    expect(new Set(ids).size).toBe(ids.length);
  }
  // A finished exam scores exactly the correct answers on each sheet.
  if (state.exam?.endedAt != null) {
    for (const p of Object.values(state.players)) {
      const answers = state.exam.sheets[p.id]?.answers ?? {};
      const right = state.questions.filter((q) => {
        const a = answers[q.question.id];
        return a !== undefined && a.length === q.solution.answer.length && a.every((i) => q.solution.answer.includes(i));
      }).length;
      expect(p.score).toBe(right);
    }
  }
  // Before the reveal (or while an exam runs) no projection carries a solution or anything derived from it.
  if (state.phase === 'question' || state.phase === 'lobby' || state.phase === 'exam') {
    const secret = state.round ? state.questions[state.round.index]!.solution.explanation : state.phase === 'exam' ? state.questions[0]!.solution.explanation : null;
    const viewers: [Role, string | null][] = [['host', null], ['spectator', null], ...state.playerOrder.map((id): [Role, string] => ['player', id])];
    for (const [role, id] of viewers) {
      const v = h.view(role, id);
      expect(v.reveal).toBeNull();
      expect(v.final).toBeNull();
      expect(v.exam?.result ?? null).toBeNull();
      expect(v.exam?.group ?? null).toBeNull();
      expect(v.me?.lastResult ?? null).toBeNull();
      const json = JSON.stringify(v);
      expect(json).not.toContain('"correct"');
      expect(json).not.toContain('"distribution"');
      if (secret) expect(json).not.toContain(secret);
    }
  }
}

describe(`reducer properties over random play (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('keeps scores, answer counts and secrecy invariant after every step', () => {
    fc.assert(
      fc.property(settings, fc.array(command, { minLength: 10, maxLength: 120, size: 'max' }), fc.nat(), (s, cmds, seed) => {
        play(s, cmds, seed);
      }),
      { numRuns: 300, seed: FUZZ_SEED },
    );
  });

  it('replays exactly from the same seed and actions', () => {
    fc.assert(
      fc.property(settings, fc.array(command, { minLength: 10, maxLength: 80, size: 'max' }), fc.nat(), (s, cmds, seed) => {
        expect(play(s, cmds, seed).state).toEqual(play(s, cmds, seed).state);
      }),
      { numRuns: 100, seed: FUZZ_SEED },
    );
  });
});
