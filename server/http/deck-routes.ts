import type { Express, Request } from 'express';
import { DECK_LIMITS, type DeckSummary } from '../../shared/protocol/decks.js';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import type { BankTopicsReply } from '../../shared/protocol/http-replies.js';
import { HTTP_ROUTES as R } from '../../shared/protocol/http-routes.js';
import type { QuestionBank } from '../game/bank.js';
import { resolveDeck, roomDeck, type DomainAccuracy } from '../game/decks.js';
import type { RoomCall, CallResult } from '../realtime/room-calls.js';
import { clientIp, limiter, within } from './limits.js';
import { mount, refuse, sendRefusal } from './route.js';

export interface DeckRouteDeps {
  bank: QuestionBank;
  rooms: { call(code: string, call: RoomCall): CallResult | Promise<CallResult> };
  /** Domain reports of practice profiles (absent: "weakest domains" finds no answers). */
  profileDomains?: (profileId: string) => Promise<{ domain: string; answered: number; accuracy: number | null }[]>;
  now: () => number;
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
export function mountDecks(app: Express, deps: DeckRouteDeps): void {
  const topics: BankTopicsReply = {
    topics: [...new Map(deps.bank.questions.map((q) => [q.topic, q.domain])).entries()]
      .map(([topic, domain]) => ({ topic, domain, count: deps.bank.questions.filter((q) => q.topic === topic).length }))
      .sort((a, b) => DOMAIN_IDS.indexOf(a.domain) - DOMAIN_IDS.indexOf(b.domain) || a.topic.localeCompare(b.topic)),
  };
  mount(app, R.bankTopics, () => topics);

  // Parsing a deck costs CPU: bodies are read only within a per-address budget, and decks parsed only for
  // a real host (token checked first), at most a few a minute per room. In this process only: a deck is
  // parsed on the node that took the request.
  const perAddress = limiter('http-deck', 120, undefined);
  const perRoom = limiter('http-deck-room', 20, undefined);
  const tooLarge = `A deck holds at most ${DECK_LIMITS.maxUploadBytes / 1024} KB of YAML`;

  mount(
    app,
    R.roomDeck,
    async ({ params, body }, req) => {
      const hostToken = bearer(req);
      if (!hostToken) return refuse('NOT_HOST', 'Send the host token as "Authorization: Bearer <token>"');
      const spec = body.deck;
      // The host token first (and the profiles a weakest-domains deck needs): nothing is parsed for anyone else.
      const found = await deps.rooms.call(params.code, { op: 'profiles', hostToken });
      if (!found.ok) return refuse(found.error.code, found.error.message);
      if (!(await within(perRoom, params.code))) return refuse('RATE_LIMITED', 'Too many deck changes for this room: wait a minute');
      const domainAccuracy = spec.kind === 'weakest' ? await groupAccuracy(deps, (found as { profileIds: string[] }).profileIds) : [];
      const result = resolveDeck(spec, deps.bank, { domainAccuracy, today: new Date(deps.now()).toISOString().slice(0, 10) });
      if (!result.ok) {
        const n = result.problems.length;
        const message = result.code === 'DECK_INVALID' ? `The deck has ${n} problem${n === 1 ? '' : 's'}: nothing was changed` : (result.problems[0]?.message ?? 'The deck was refused');
        return refuse(result.code, message, result.problems.slice(0, 200));
      }
      if (result.questions.length === 0) return refuse('DECK_EMPTY', 'The deck selects no question');
      const set = await deps.rooms.call(params.code, { op: 'deck', hostToken, deck: roomDeck(spec, result) });
      if (!set.ok) return refuse(set.error.code, set.error.message);
      return { deck: (set as { deck: DeckSummary }).deck };
    },
    {
      before: [
        async (req, res, next) => {
          try {
            if (await within(perAddress, clientIp(req))) return next();
            sendRefusal(res, 'RATE_LIMITED', 'Too many deck requests from your network: wait a minute');
          } catch (err) {
            next(err);
          }
        },
      ],
      tooLarge: 'DECK_TOO_LARGE',
      invalid: (where, error) => {
        const issues = error.issues;
        const problems = issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
        const big = issues.some((i) => i.path.join('.') === 'deck.yaml' && (i.code === 'too_big' || i.code === 'custom'));
        return big ? refuse('DECK_TOO_LARGE', tooLarge, problems) : where === 'body' ? refuse('BAD_REQUEST', 'That is not a deck', problems) : null;
      },
    },
  );
}
