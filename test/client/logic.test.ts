import { describe, expect, it } from 'vitest';
import { keyIntent, pickChoice } from '../../client/src/lib/answer-pad.js';
import { formatClock, modePatch, sheetCounts, submitQuestion } from '../../client/src/lib/exam.js';
import { answersCsv, csvCell, domainsCsv, playersCsv } from '../../client/src/lib/export.js';
import { parsePrompt } from '../../client/src/lib/prompt.js';
import { normalizeCode } from '../../client/src/lib/room-code.js';
import { ordinal, playerScreen, secondsLeft } from '../../client/src/lib/screens.js';
import { ServerClock } from '../../client/src/lib/server-clock.js';
import { SessionStore, type KeyValue } from '../../client/src/lib/session.js';
import type { GameExport } from '../../shared/protocol/export.js';
import type { RoomView } from '../../shared/protocol/views.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { Harness } from '../helpers/harness.js';
import { makeBank } from '../helpers/questions.js';

describe('prompt rendering', () => {
  it('splits text, inline code and fenced blocks', () => {
    expect(parsePrompt('Read `cilium status`:\n```yaml\nkind: X\n```\nWhat now?')).toEqual([
      { kind: 'text', parts: [{ code: false, text: 'Read ' }, { code: true, text: 'cilium status' }, { code: false, text: ':' }] },
      { kind: 'block', lang: 'yaml', code: 'kind: X' },
      { kind: 'text', parts: [{ code: false, text: 'What now?' }] },
    ]);
  });
  it('keeps an unclosed fence (a prompt still revealing) as code', () => {
    expect(parsePrompt('Policy:\n```yaml\nspec:')).toEqual([
      { kind: 'text', parts: [{ code: false, text: 'Policy:' }] },
      { kind: 'block', lang: 'yaml', code: 'spec:' },
    ]);
  });
  it('never turns text into markup', () => {
    const [seg] = parsePrompt('<img src=x onerror=alert(1)>');
    expect(seg).toEqual({ kind: 'text', parts: [{ code: false, text: '<img src=x onerror=alert(1)>' }] });
  });
});

describe('answer pad and keys', () => {
  it('sends single choice at once and toggles multiple choice until confirmed', () => {
    expect(pickChoice('single', 4, [], 2)).toEqual({ selected: [2], send: [2] });
    expect(pickChoice('true-false', 2, [], 1)).toEqual({ selected: [1], send: [1] });
    let s = pickChoice('multiple', 4, [], 3);
    s = pickChoice('multiple', 4, s.selected, 0);
    expect(s).toEqual({ selected: [0, 3], send: null });
    expect(pickChoice('multiple', 4, s.selected, 3).selected).toEqual([0]);
    expect(pickChoice('single', 4, [1], 7)).toEqual({ selected: [1], send: null });
  });
  it('maps Space, 1-6 and Enter', () => {
    expect(keyIntent(' ')).toEqual({ kind: 'buzz' });
    expect(keyIntent('3')).toEqual({ kind: 'pick', index: 2 });
    expect(keyIntent('Enter')).toEqual({ kind: 'confirm' });
    expect(keyIntent('7')).toBeNull();
    expect(keyIntent('a')).toBeNull();
  });
});

describe('server clock', () => {
  it('takes the offset from the fastest round trip', () => {
    let local = 1_000;
    const clock = new ServerClock(() => local);
    clock.observe(1_000, 5_100, 1_200); // rtt 200: offset 4000
    expect(clock.offsetMs).toBe(4_000);
    clock.observe(2_000, 6_020, 2_040); // rtt 40: offset 4000
    clock.observe(3_000, 9_999, 3_500); // rtt 500: ignored
    expect(clock.offsetMs).toBe(4_000);
    local = 2_000;
    expect(clock.remaining(7_000)).toBe(1_000);
    expect(clock.remaining(5_000)).toBe(0);
  });
});

describe('session storage', () => {
  it('keeps player and host tokens per room and survives garbage', () => {
    const m = new Map<string, string>();
    const kv: KeyValue = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
    const s = new SessionStore(kv);
    s.savePlayer({ code: 'ABCDEF', playerId: 'p1', sessionToken: 't'.repeat(32) });
    s.saveHost('GHJKMN', 'h'.repeat(32));
    expect(s.player('ABCDEF')?.playerId).toBe('p1');
    expect(s.player('GHJKMN')).toBeNull();
    expect(s.hostToken('GHJKMN')).toBe('h'.repeat(32));
    m.set('cca-quiz:player:ZZZZZZ', '{not json');
    expect(s.player('ZZZZZZ')).toBeNull();
    s.forgetPlayer('ABCDEF');
    expect(s.player('ABCDEF')).toBeNull();
  });
  it('normalizes typed room codes', () => {
    expect(normalizeCode(' k7w-q3m ')).toBe('K7WQ3M');
  });
});

describe('results export', () => {
  const e: GameExport = {
    code: 'ABCDEF',
    mode: 'classic',
    exportedAt: '2026-11-21T10:00:00.000Z',
    players: [
      { id: 'a', name: 'Ana, "the boss"', team: 'Red', score: 1925, rank: 1 },
      { id: 'b', name: '=HYPERLINK("x")', team: null, score: 0, rank: 2 },
    ],
    questions: [{ index: 0, id: 'q1', domain: 'ebpf', topic: 't', type: 'single', prompt: 'p', choices: ['w', 'x', 'y'], correct: [1], distribution: [1, 1, 0], explanation: 'e', sourceUrl: 'https://docs.cilium.io/' }],
    answers: [
      { questionIndex: 0, questionId: 'q1', playerId: 'a', name: 'Ana, "the boss"', choices: [1], correct: true, points: 925, elapsedMs: 3000 },
      { questionIndex: 0, questionId: 'q1', playerId: 'b', name: '=HYPERLINK("x")', choices: [0], correct: false, points: 0, elapsedMs: 1000 },
    ],
    domains: [{ domain: 'ebpf', answered: 2, correct: 1, accuracy: 0.5 }],
  };
  it('quotes cells and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell(null)).toBe('');
  });
  it('writes answers, players and domains', () => {
    expect(answersCsv(e).split('\r\n')[1]).toBe('1,q1,eBPF,"Ana, ""the boss""",Red,B,B,yes,925,3000');
    expect(answersCsv(e).split('\r\n')[2]).toBe(`1,q1,eBPF,"'=HYPERLINK(""x"")",,A,B,no,0,1000`);
    expect(playersCsv(e).split('\r\n')[1]).toBe('1,"Ana, ""the boss""",Red,1925,1,1');
    expect(domainsCsv(e)).toBe('domain,answered,correct,accuracy_percent\r\neBPF,2,1,50\r\n');
  });
});

describe('player screens', () => {
  const bank = makeBank(4);
  it('follows a Classic question from choosing to the reveal', () => {
    const h = new Harness(bank, { streakBonus: false });
    h.join('Ana', 'Ben');
    expect(playerScreen(h.view('player', 'ana'))).toBe('lobby');
    h.host('start');
    expect(playerScreen(h.view('player', 'ana'))).toBe('choose');
    h.answer('ana', h.correct);
    expect(playerScreen(h.view('player', 'ana'))).toBe('answered');
    h.answer('ben', h.wrong);
    expect(playerScreen(h.view('player', 'ana'))).toBe('reveal');
    h.host('next');
    expect(playerScreen(h.view('player', 'ana'))).toBe('leaderboard');
  });
  it('follows Buzz-in: buzz, floor, waiting, locked out', () => {
    const h = new Harness(bank, { mode: 'buzz', wordsPerSecond: 0, buzzCompensation: false });
    h.join('Ana', 'Ben', 'Cai');
    h.host('start');
    expect(playerScreen(h.view('player', 'ana'))).toBe('buzz');
    h.buzz('ana');
    expect(playerScreen(h.view('player', 'ana'))).toBe('floor');
    expect(playerScreen(h.view('player', 'ben'))).toBe('waiting');
    h.answer('ana', h.wrong);
    expect(playerScreen(h.view('player', 'ana'))).toBe('locked-out');
    expect(playerScreen(h.view('player', 'ben'))).toBe('buzz');
  });
  it('counts down to the server deadline and freezes while paused', () => {
    const h = new Harness(bank, { timeLimitSec: 20 });
    h.join('Ana');
    h.host('start');
    const v = h.view('player', 'ana');
    expect(secondsLeft(v, h.now + 4_500)).toBe(16);
    h.advance(5_000);
    h.host('pause');
    const paused: RoomView = h.view('player', 'ana');
    expect(secondsLeft(paused, h.now + 60_000)).toBe(15);
  });
  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
  });
});

describe('prompt unwrapping', () => {
  it('joins hard-wrapped lines, keeps paragraphs and list items', () => {
    expect(parsePrompt('In a typical mesh, every packet\npasses a proxy. What\ndoes Cilium do?\n\nChoose two.\n- first\n- second')).toEqual([
      { kind: 'text', parts: [{ code: false, text: 'In a typical mesh, every packet passes a proxy. What does Cilium do?' }] },
      { kind: 'text', parts: [{ code: false, text: 'Choose two.\n- first\n- second' }] },
    ]);
  });
});

describe('room exam on the client', () => {
  const bank = makeBank(4);
  it('shows the exam screen while it runs and the finished screen after', () => {
    const h = new Harness(bank, { mode: 'exam', questionCount: 3 });
    h.join('Ana');
    h.host('start');
    expect(playerScreen(h.view('player', 'ana'))).toBe('exam');
    h.ok({ type: 'exam-submit', playerId: 'ana' });
    expect(playerScreen(h.view('player', 'ana'))).toBe('finished');
  });
  it('formats the shared clock and names what is left in the submit confirmation', () => {
    expect([90 * 60_000, 61_999, 9_000, 0, -5].map(formatClock)).toEqual(['90:00', '1:01', '0:09', '0:00', '0:00']);
    const counts = sheetCounts({ answers: [[0], null, [1, 2], null], flags: [true, false, false, true] });
    expect(counts).toEqual({ answered: 2, unanswered: 2, flagged: 2 });
    expect(submitQuestion(counts)).toBe('Submit with 2 unanswered and 2 flagged?');
    expect(submitQuestion({ unanswered: 0, flagged: 1 })).toBe('Submit with 1 flagged?');
    expect(submitQuestion({ unanswered: 0, flagged: 0 })).toBe('Submit? Every question is answered.');
  });
  it('fills 60 questions when the host picks the exam, and a valid count and timer when leaving it', () => {
    expect(modePatch('exam', DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toEqual({ mode: 'exam', questionCount: 60 });
    const exam = { ...DEFAULT_SETTINGS, mode: 'exam' as const, questionCount: 60, timeLimitSec: 0 };
    expect(modePatch('classic', exam, DEFAULT_SETTINGS)).toEqual({ mode: 'classic', questionCount: 10, timeLimitSec: 20 });
    expect(modePatch('study', exam, DEFAULT_SETTINGS)).toEqual({ mode: 'study', questionCount: 10, timeLimitSec: 0 });
    expect(modePatch('study', DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toEqual({ mode: 'study', timeLimitSec: 0 });
    expect(modePatch('buzz', { ...DEFAULT_SETTINGS, questionCount: 7 }, DEFAULT_SETTINGS)).toEqual({ mode: 'buzz', timeLimitSec: 20 });
  });
});
