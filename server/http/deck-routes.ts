import express, { type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { clientAddress } from '../realtime/limits.js';
import { DECK_LIMITS, DeckRequestSchema, type BankTopicsResponse, type DeckProblem, type DeckResponse } from '../../shared/protocol/decks.js';
import { RoomCodeSchema } from '../../shared/protocol/events.js';
import type { ErrorCode } from '../../shared/protocol/errors.js';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import type { QuestionBank } from '../game/bank.js';
import { resolveDeck, roomDeck, type DomainAccuracy } from '../game/decks.js';
import type { RoomCall, CallResult } from '../realtime/room-calls.js';
import type { DeckSummary } from '../../shared/protocol/decks.js';

export interface DeckRouteDeps {
  bank: QuestionBank;
  rooms: { call(code: string, call: RoomCall): CallResult | Promise<CallResult> };
  /** Domain reports of practice profiles (absent: "weakest domains" finds no answers). */
  profileDomains?: (profileId: string) => Promise<{ domain: string; answered: number; accuracy: number | null }[]>;
  now: () => number;
}

/** JSON escaping (newlines, quotes) grows YAML text; the schema then checks the YAML's own bytes. */
const BODY_LIMIT_BYTES = Math.ceil(DECK_LIMITS.maxUploadBytes * 1.5) + 4096;

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  NOT_HOST: 403,
  ROOM_NOT_FOUND: 404,
  WRONG_PHASE: 409,
  DECK_TOO_LARGE: 413,
  DECK_INVALID: 422,
  DECK_EMPTY: 422,
  RATE_LIMITED: 429,
};

function send(res: Response, code: ErrorCode, message: string, problems?: DeckProblem[]): void {
  const body: DeckResponse = { ok: false, error: { code, message }, ...(problems ? { problems } : {}) };
  res.status(STATUS[code] ?? 503).json(body);
}

const bearer = (req: Request) => /^Bearer ([A-Za-z0-9_-]{16,64})$/.exec(req.headers.authorization ?? '')?.[1] ?? null;

/** The group's accuracy per domain, summed over the profiles' practice reports. */
async function groupAccuracy(deps: DeckRouteDeps, profileIds: string[]): Promise<DomainAccuracy[]> {
  const totals = new Map<DomainId, DomainAccuracy>();
  if (!deps.profileDomains) return [];
  for (const id of profileIds) {
    // A profile whose report cannot be read (store down) is left out rather than failing the deck.
    const domains = await deps.profileDomains(id).catch(() => []);
    for (const d of domains) {
      if (!DOMAIN_IDS.includes(d.domain as DomainId) || d.accuracy === null || d.answered === 0) continue;
      const t = totals.get(d.domain as DomainId) ?? { domain: d.domain as DomainId, answered: 0, correct: 0 };
      totals.set(t.domain, { ...t, answered: t.answered + d.answered, correct: t.correct + Math.round(d.accuracy * d.answered) });
    }
  }
  return [...totals.values()];
}

/** GET /api/bank/topics and POST /api/rooms/:code/deck (host token as a bearer token). */
export function deckRouter(deps: DeckRouteDeps): express.Router {
  const r = express.Router();
  const topics: BankTopicsResponse = {
    topics: [...new Map(deps.bank.questions.map((q) => [q.topic, q.domain])).entries()]
      .map(([topic, domain]) => ({ topic, domain, count: deps.bank.questions.filter((q) => q.topic === topic).length }))
      .sort((a, b) => DOMAIN_IDS.indexOf(a.domain) - DOMAIN_IDS.indexOf(b.domain) || a.topic.localeCompare(b.topic)),
  };
  r.get('/bank/topics', (_req, res) => void res.json(topics));

  // Parsing a deck costs CPU: bodies are read only within a per-address budget, and decks parsed only for
  // a real host (token checked first), at most a few a minute per room.
  const perAddress = new RateLimiterMemory({ points: 120, duration: 60 });
  const perRoom = new RateLimiterMemory({ points: 20, duration: 60 });
  const within = (limit: RateLimiterMemory, key: string) => limit.consume(key).then(() => true, () => false);
  const guard = async (req: Request, res: Response, next: NextFunction) => {
    if (await within(perAddress, clientAddress(req, 0))) return next();
    send(res, 'RATE_LIMITED', 'Too many deck requests from your network: wait a minute');
  };

  r.post('/rooms/:code/deck', guard, express.json({ limit: BODY_LIMIT_BYTES }), async (req, res) => {
    const code = RoomCodeSchema.safeParse(req.params.code);
    if (!code.success) return send(res, 'BAD_REQUEST', 'That is not a room code');
    const hostToken = bearer(req);
    if (!hostToken) return send(res, 'NOT_HOST', 'Send the host token as "Authorization: Bearer <token>"');
    const parsed = DeckRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const tooLarge = issues.some((i) => i.path.join('.') === 'deck.yaml' && (i.code === 'too_big' || i.code === 'custom'));
      const problems = issues.map((i) => ({ field: i.path.join('.') || 'deck', message: i.message }));
      return send(res, tooLarge ? 'DECK_TOO_LARGE' : 'BAD_REQUEST', tooLarge ? `A deck holds at most ${DECK_LIMITS.maxUploadBytes / 1024} KB of YAML` : 'That is not a deck', problems);
    }
    const spec = parsed.data.deck;
    // The host token first (and the profiles a weakest-domains deck needs): nothing is parsed for anyone else.
    const found = await deps.rooms.call(code.data, { op: 'profiles', hostToken });
    if (!found.ok) return send(res, found.error.code, found.error.message);
    if (!(await within(perRoom, code.data))) return send(res, 'RATE_LIMITED', 'Too many deck changes for this room: wait a minute');
    const domainAccuracy = spec.kind === 'weakest' ? await groupAccuracy(deps, (found as { profileIds: string[] }).profileIds) : [];
    const result = resolveDeck(spec, deps.bank, { domainAccuracy, today: new Date(deps.now()).toISOString().slice(0, 10) });
    if (!result.ok) {
      const n = result.problems.length;
      const message = result.code === 'DECK_INVALID' ? `The deck has ${n} problem${n === 1 ? '' : 's'}: nothing was changed` : (result.problems[0]?.message ?? 'The deck was refused');
      return send(res, result.code, message, result.problems.slice(0, 200));
    }
    if (result.questions.length === 0) return send(res, 'DECK_EMPTY', 'The deck selects no question');
    const set = await deps.rooms.call(code.data, { op: 'deck', hostToken, deck: roomDeck(spec, result) });
    if (!set.ok) return send(res, set.error.code, set.error.message);
    const body: DeckResponse = { ok: true, deck: (set as { deck: DeckSummary }).deck };
    res.json(body);
  });

  // The body parser's refusals (too large, not JSON) in the same shape as every other refusal.
  r.use((err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') return send(res, 'DECK_TOO_LARGE', `A deck holds at most ${DECK_LIMITS.maxUploadBytes / 1024} KB of YAML`);
    if (err?.status === 400) return send(res, 'BAD_REQUEST', 'The request body is not JSON');
    next(err);
  });
  return r;
}
