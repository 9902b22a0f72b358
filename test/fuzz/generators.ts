/**
 * Seeded generators for the socket fuzz test: a small PRNG and the random, malformed and hostile
 * payloads. Everything derives from one seed so a failing run replays with FUZZ_SEED.
 */
import { PROTO_KEYS } from './seed.js';
import { HOST_COMMANDS, PROTOCOL_VERSION, ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../../shared/protocol/events.js';
import { DOMAIN_IDS } from '../../shared/domains.js';

/** mulberry32: tiny, fast and good enough to pick fuzz cases. */
export class Rng {
  constructor(private s: number) {
    this.s = s >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks a key by weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((t, [, w]) => t + w, 0);
    for (const [k, w] of entries) {
      if ((r -= w) < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}

/** A per-client seed from the master seed (splitmix-style mixing so neighbours differ). */
export function deriveSeed(master: number, index: number): number {
  let z = (master + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export const VALID_EVENTS = [
  'room:create',
  'host:attach',
  'host:configure',
  'host:command',
  'host:kick',
  'host:unban',
  'host:lock',
  'room:join',
  'room:resume',
  'player:team',
  'player:answer',
  'player:buzz',
  'time:sync',
  'host:export',
  'question:flag',
  'player:protest',
  'host:protest',
] as const;

/** Events socket.io reserves or that look like internals; the server must treat them like any unknown name. */
const ODD_EVENT_NAMES = ['', ' ', 'room:create ', 'ROOM:CREATE', 'room', 'admin:drop', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'net:ping', 'room:view', 'error', 'message', 'x'.repeat(300), '💥', 'room:join\u0000'];

export const MAX_PAYLOAD_BYTES = 16 * 1024;

const UNICODE_BITS = ['a', 'Z', '0', ' ', '\u200B', '\u202E', '\u0000', '\n', '👍', '漢', 'é', '\uFEFF', '\u3164', '"', '\\', '<script>', "'; DROP TABLE", '%s', '${x}'];

export function randomString(rng: Rng, maxLen = 40): string {
  // Strings double as ids and map keys: sometimes exactly a name of Object.prototype.
  if (rng.bool(0.08)) return rng.pick(PROTO_KEYS);
  const len = rng.int(0, maxLen);
  let s = '';
  while (s.length < len) s += rng.bool(0.7) ? String.fromCharCode(rng.int(32, 126)) : rng.pick(UNICODE_BITS);
  return s;
}

export function randomCode(rng: Rng): string {
  let s = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) s += ROOM_CODE_ALPHABET[rng.int(0, ROOM_CODE_ALPHABET.length - 1)];
  return s;
}

export function randomToken(rng: Rng): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  if (rng.bool(0.05)) return rng.pick(PROTO_KEYS);
  let s = '';
  for (let i = rng.int(16, 40); i > 0; i--) s += chars[rng.int(0, chars.length - 1)];
  return s;
}

/** Scalars JSON cannot carry faithfully, boundary numbers and wrong-type stand-ins. */
function oddScalar(rng: Rng): unknown {
  return rng.pick<unknown>([
    null,
    undefined,
    NaN,
    Infinity,
    -Infinity,
    'NaN',
    'Infinity',
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_SAFE_INTEGER,
    0.5,
    -1,
    2 ** 31,
    true,
    false,
    '',
    '0',
    '1',
    [],
    {},
    [null],
    { length: 3 },
  ]);
}

/** Any JSON-ish value, up to `depth` levels of nesting. */
export function randomValue(rng: Rng, depth = 2): unknown {
  const kind = rng.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return oddScalar(rng);
    case 1:
      return randomString(rng);
    case 2:
      return rng.bool() ? rng.int(-10, 10) : rng.next() * 1e6 - 5e5;
    case 3:
      return rng.bool();
    case 4:
      return null;
    case 5:
      return Array.from({ length: rng.int(0, 6) }, () => randomValue(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 4); i > 0; i--) o[rng.bool(0.5) ? rng.pick(['protocol', 'code', 'nickname', 'questionId', 'choices', 'settings', 'command']) : randomString(rng, 12)] = randomValue(rng, depth - 1);
      return o;
    }
  }
}

/** Room settings: mostly valid and quick to play (short timers, few questions), sometimes not. */
export function randomSettings(rng: Rng, forCreate: boolean): Record<string, unknown> {
  const mode = rng.pick(['classic', 'classic', 'buzz', 'study'] as const);
  const s: Record<string, unknown> = {
    mode,
    questionCount: rng.int(1, 4),
    timeLimitSec: mode === 'study' && rng.bool(0.3) ? 0 : rng.int(5, 8),
    wordsPerSecond: rng.pick([0, 20, 20, 10]),
    buzzAnswerSec: 3,
    // Sometimes a short "get ready": answers and buzzes in it are refused (NOT_OPEN_YET).
    getReadySec: rng.pick([0, 0, 0, 1]),
    buzzCompensation: rng.bool(),
    speedScoring: rng.bool(0.8),
    streakBonus: rng.bool(0.8),
  };
  if (rng.bool(0.3)) s.teams = rng.pick([[], ['Red', 'Blue'], ['Red', 'red'], ['A', 'B', 'C']]);
  if (rng.bool(0.2)) s.domains = rng.bool(0.8) ? [rng.pick(DOMAIN_IDS)] : ['not-a-domain'];
  if (rng.bool(0.2)) s.difficulties = rng.pick([[1], [2, 3], [], [4]]);
  if (rng.bool(0.1)) s.blueprintWeighted = rng.bool();
  if (rng.bool(0.1)) s.buzzCompensationCapMs = rng.pick([0, 250, 1000, 5000]);
  // A few invalid settings: INVALID_SETTINGS or BAD_REQUEST, never a crash.
  if (rng.bool(forCreate ? 0.08 : 0.25)) s[rng.pick(['questionCount', 'timeLimitSec', 'mode', 'wordsPerSecond', 'teams', 'bogus'])] = randomValue(rng, 1);
  // A partial patch: drop a few keys.
  for (const k of Object.keys(s)) if (rng.bool(forCreate ? 0.1 : 0.5)) delete s[k];
  return s;
}

/** A schema-shaped payload for a known event with random field values (often valid, often not). */
export function randomFieldsPayload(rng: Rng, event: (typeof VALID_EVENTS)[number], codes: string[]): unknown {
  const code = () => (codes.length && rng.bool(0.7) ? rng.pick(codes) : rng.bool() ? randomCode(rng) : (randomValue(rng, 1) as string));
  const maybe = <T>(v: T): T | unknown => (rng.bool(0.85) ? v : randomValue(rng, 1));
  const protocol = () => (rng.bool(0.85) ? PROTOCOL_VERSION : rng.pick<unknown>([0, 2, '1', null, 99]));
  switch (event) {
    case 'room:create':
      return { protocol: protocol(), ...(rng.bool(0.8) ? { settings: randomSettings(rng, true) } : {}) };
    case 'host:attach':
      return { protocol: protocol(), code: code(), hostToken: maybe(randomToken(rng)) };
    case 'host:configure':
      return { settings: maybe(randomSettings(rng, false)) };
    case 'host:command':
      return { command: rng.bool(0.8) ? rng.pick(HOST_COMMANDS) : randomValue(rng, 1) };
    case 'host:kick':
    case 'host:unban':
      return { playerId: rng.bool(0.3) ? rng.pick(PROTO_KEYS) : maybe(randomString(rng, 10)) };
    case 'host:lock':
      return { locked: maybe(rng.bool()) };
    case 'room:join':
      return { protocol: protocol(), code: code(), nickname: rng.bool(0.1) ? rng.pick(PROTO_KEYS) : maybe(randomString(rng, 30)), ...(rng.bool(0.2) ? { team: maybe(rng.pick(['Red', 'Blue', 'Nope'])) } : {}) };
    case 'room:resume':
      return { protocol: protocol(), code: code(), sessionToken: maybe(randomToken(rng)) };
    case 'player:team':
      return { team: rng.bool(0.3) ? null : maybe(rng.pick(['Red', 'Blue', 'A', 'Nope'])) };
    case 'player:answer':
      return { questionId: maybe(randomString(rng, 20)), choices: maybe(Array.from({ length: rng.int(0, 7) }, () => rng.int(-1, 6))) };
    case 'player:buzz':
      return { questionId: rng.bool(0.1) ? rng.pick(PROTO_KEYS) : maybe(randomString(rng, 20)) };
    case 'time:sync':
      return { clientTime: maybe(rng.bool() ? Date.now() : oddScalar(rng)) };
    case 'host:export':
      return rng.bool(0.7) ? {} : { extra: randomValue(rng, 1) };
    case 'question:flag':
      return { questionId: maybe(randomString(rng, 20)), reason: maybe(randomString(rng, 300)) };
    case 'player:protest':
      return { questionId: maybe(randomString(rng, 20)), reason: maybe(randomString(rng, 320)) };
    case 'host:protest':
      return { protestId: maybe(rng.bool() ? `${rng.int(0, 3)}:${randomString(rng, 8)}` : randomString(rng, 12)), decision: maybe(rng.pick(['void', 'rescore', 'reject', 'maybe'])) };
  }
}

export type MalformedKind =
  | 'wrong-type'
  | 'missing-fields'
  | 'extra-field'
  | 'string-under-limit'
  | 'string-over-limit'
  | 'deep-nesting'
  | 'big-array'
  | 'proto-keys'
  | 'odd-scalars'
  | 'null'
  | 'buffer'
  | 'big-buffer';

export interface Malformed {
  kind: MalformedKind;
  payload: unknown;
  /** Over the 16 KB buffer limit: the server closes the connection instead of answering. */
  closesSocket: boolean;
}

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A hostile payload for a known event. */
export function malformedPayload(rng: Rng, event: string): Malformed {
  const kind = rng.weighted<MalformedKind>({
    'wrong-type': 10,
    'missing-fields': 6,
    'extra-field': 5,
    'string-under-limit': 5,
    'string-over-limit': 0.6,
    'deep-nesting': 4,
    'big-array': 4,
    'proto-keys': 6,
    'odd-scalars': 6,
    null: 4,
    buffer: 3,
    'big-buffer': 0.4,
  });
  const base = randomFieldsPayload(rng, rng.pick(VALID_EVENTS), []) as Record<string, unknown>;
  switch (kind) {
    case 'wrong-type':
      return { kind, closesSocket: false, payload: rng.pick<unknown>([randomString(rng), rng.int(-5, 5), true, [1, 2, 3], 'answer please', () => 1]) };
    case 'missing-fields':
      return { kind, closesSocket: false, payload: rng.bool() ? {} : { protocol: PROTOCOL_VERSION } };
    case 'extra-field':
      return { kind, closesSocket: false, payload: { ...base, [randomString(rng, 8) || 'x']: randomValue(rng) } };
    case 'string-under-limit': {
      // Large, but the whole packet stays under 16 KB: refused by the schema, the socket survives.
      const field = rng.pick(['nickname', 'code', 'questionId', 'reason', 'hostToken', 'command']);
      return { kind, closesSocket: false, payload: { protocol: PROTOCOL_VERSION, code: 'ABCDEF', [field]: 'x'.repeat(rng.int(1_000, 15_000)) } };
    }
    case 'string-over-limit':
      return { kind, closesSocket: true, payload: { protocol: PROTOCOL_VERSION, nickname: 'y'.repeat(rng.int(MAX_PAYLOAD_BYTES + 100, 200_000)) } };
    case 'deep-nesting':
      // Deep enough to hurt a recursive walker, shallow enough for the client's own encoder and 16 KB.
      return { kind, closesSocket: false, payload: nested(rng.int(50, 1_500), rng.pick([1, 'x', null]), rng.bool()) };
    case 'big-array': {
      const n = rng.int(1_000, 3_000);
      const arr = Array.from({ length: n }, () => rng.int(0, 5));
      return { kind, closesSocket: false, payload: rng.bool() ? { questionId: 'q', choices: arr } : arr };
    }
    case 'proto-keys': {
      const evil = JSON.parse(
        rng.pick([
          '{"__proto__":{"polluted":1,"ok":true}}',
          '{"constructor":{"prototype":{"polluted":1}}}',
          '{"protocol":1,"code":"ABCDEF","nickname":"x","__proto__":{"isAdmin":true}}',
          '{"settings":{"__proto__":{"mode":"buzz"},"constructor":{"prototype":{"x":1}}},"protocol":1}',
          '{"command":"start","__proto__":{"command":"end"}}',
          '{"toString":1,"valueOf":2,"hasOwnProperty":3}',
        ]),
      ) as unknown;
      return { kind, closesSocket: false, payload: evil };
    }
    case 'odd-scalars': {
      const o: Record<string, unknown> = { ...base };
      for (const k of Object.keys(o)) if (rng.bool(0.6)) o[k] = oddScalar(rng);
      return { kind, closesSocket: false, payload: o };
    }
    case 'null':
      return { kind, closesSocket: false, payload: rng.pick<unknown>([null, undefined]) };
    case 'buffer':
      return { kind, closesSocket: false, payload: rng.bool() ? Buffer.from(randomString(rng, 200)) : { questionId: Buffer.alloc(rng.int(1, 4000), 7), choices: [0] } };
    case 'big-buffer':
      return { kind, closesSocket: true, payload: Buffer.alloc(rng.int(MAX_PAYLOAD_BYTES + 1, 100_000), 1) };
  }
  void event;
}

/** A random event name: unknown, odd or a near-miss of a real one. */
export function randomEventName(rng: Rng): string {
  if (rng.bool(0.4)) return rng.pick(ODD_EVENT_NAMES);
  if (rng.bool(0.5)) return `${rng.pick(VALID_EVENTS)}${rng.pick(['x', ':', 's', '2'])}`;
  return randomString(rng, 24);
}
