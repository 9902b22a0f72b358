import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import { QuestionRecordSchema, type QuestionRecord } from '../../shared/question.js';
import { DECK_LIMITS, UPLOAD_ID_PREFIX, type DeckKind, type DeckProblem, type DeckSpec, type DeckSummary } from '../../shared/protocol/decks.js';
import type { RoomSettings } from '../../shared/settings.js';
import { lintQuestion } from '../../questions/lint.js';
import type { QuestionBank } from './bank.js';
import { onePerFact, prepareQuestion } from './draw.js';
import type { Rng } from './rng.js';
import type { GameQuestion } from './state.js';

/** One domain's accuracy over the profiles in the room (rated answers). */
export interface DomainAccuracy {
  domain: DomainId;
  answered: number;
  correct: number;
}

export interface DeckContext {
  /** "Weakest domains": the group's accuracy per domain (from the players' practice profiles). */
  domainAccuracy?: readonly DomainAccuracy[];
  /** ISO date (injected time): stands in for `verified.on` of an uploaded question that has no `verified`. */
  today: string;
}

export type DeckFailureCode = 'DECK_INVALID' | 'DECK_TOO_LARGE' | 'DECK_EMPTY';

export type DeckResult =
  | { ok: true; questions: QuestionRecord[]; unreviewed: boolean; domains?: DomainId[] }
  | { ok: false; code: DeckFailureCode; problems: DeckProblem[] };

/**
 * Uploaded questions: the bank's schema with `verified` optional (a study lead may have no docs quote
 * or check date; the deck is marked not reviewed). `source.url` stays required: the reveal shows it.
 */
export const UploadQuestionSchema = QuestionRecordSchema.safeExtend({
  // safeExtend keeps the schema's refinements; its typing only allows narrowing, hence the cast.
  verified: QuestionRecordSchema.shape.verified.optional() as unknown as typeof QuestionRecordSchema.shape.verified,
});
type UploadedQuestion = Omit<QuestionRecord, 'verified'> & { verified?: QuestionRecord['verified'] };

/** Leaves room for the prefix inside the 80-character id limit. */
const MAX_UPLOAD_ID = 80 - UPLOAD_ID_PREFIX.length;

const fail = (code: DeckFailureCode, problems: DeckProblem[]): DeckResult => ({ ok: false, code, problems });

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function zodProblems(id: string, error: z.ZodError): DeckProblem[] {
  return error.issues.map((issue) => {
    const field = fieldPath(issue.path);
    return field ? { id, field, message: issue.message } : { id, message: issue.message };
  });
}

/** Parses and validates an uploaded deck: the bank's schema and per-question linter, ids prefixed. */
export function parseUploadedDeck(yaml: string, bank: QuestionBank, today: string): DeckResult {
  const bytes = Buffer.byteLength(yaml, 'utf8');
  if (bytes > DECK_LIMITS.maxUploadBytes) {
    return fail('DECK_TOO_LARGE', [{ message: `the deck is ${Math.ceil(bytes / 1024)} KB; at most ${DECK_LIMITS.maxUploadBytes / 1024} KB` }]);
  }
  const doc = parseDocument(yaml, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return fail('DECK_INVALID', doc.errors.slice(0, 20).map((e) => ({ message: `YAML: ${e.message.split('\n')[0]}` })));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return fail('DECK_INVALID', [{ message: `YAML: ${err instanceof Error ? err.message : 'unreadable'}` }]);
  }
  if (!Array.isArray(data)) return fail('DECK_INVALID', [{ message: 'the deck must be a YAML list of questions (see questions/FORMAT.md)' }]);
  if (data.length === 0) return fail('DECK_EMPTY', [{ message: 'the deck holds no questions' }]);
  if (data.length > DECK_LIMITS.maxUploadQuestions) {
    return fail('DECK_TOO_LARGE', [{ message: `the deck holds ${data.length} questions; at most ${DECK_LIMITS.maxUploadQuestions}` }]);
  }
  const problems: DeckProblem[] = [];
  const questions: QuestionRecord[] = [];
  const seen = new Set<string>();
  data.forEach((raw: unknown, index) => {
    const rawId = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id.slice(0, 80) : `#${index + 1}`;
    const parsed = UploadQuestionSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...zodProblems(rawId, parsed.error));
      return;
    }
    const q: UploadedQuestion = parsed.data;
    if (q.id.length > MAX_UPLOAD_ID) return void problems.push({ id: q.id, field: 'id', message: `an uploaded id has at most ${MAX_UPLOAD_ID} characters` });
    if (seen.has(q.id)) return void problems.push({ id: q.id, field: 'id', message: 'duplicate id in this deck' });
    seen.add(q.id);
    const id = UPLOAD_ID_PREFIX + q.id;
    if (bank.byId.has(id)) return void problems.push({ id: q.id, field: 'id', message: `collides with bank question ${id}: rename it` });
    const record: QuestionRecord = { ...q, id, verified: q.verified ?? { on: today, against: [q.source.url] } };
    // Lint messages name the id as the uploader wrote it.
    for (const p of lintQuestion({ record: { ...record, id: q.id }, file: '(upload)' })) problems.push({ id: q.id, ...(p.field ? { field: p.field } : {}), message: p.message });
    questions.push(record);
  });
  if (problems.length > 0) return fail('DECK_INVALID', problems);
  return { ok: true, questions, unreviewed: true };
}

/** The `count` weakest domains with answers, weakest first (ties: more answers first, then outline order). */
export function weakestDomains(accuracy: readonly DomainAccuracy[], count: number): DomainId[] {
  return accuracy
    .filter((a) => a.answered > 0 && DOMAIN_IDS.includes(a.domain))
    .map((a) => ({ ...a, rate: a.correct / a.answered }))
    .sort((a, b) => a.rate - b.rate || b.answered - a.answered || DOMAIN_IDS.indexOf(a.domain) - DOMAIN_IDS.indexOf(b.domain))
    .slice(0, count)
    .map((a) => a.domain);
}

/**
 * A deck's questions, pure: the whole bank for a random draw (the room's filters then apply), the bank
 * questions of the topics, the ids in order, the bank questions of the group's weakest domains, or an
 * uploaded deck (validated, ids prefixed, marked not reviewed). Refusals name question and field.
 */
export function resolveDeck(spec: DeckSpec, bank: QuestionBank, context: DeckContext): DeckResult {
  switch (spec.kind) {
    case 'random':
      return { ok: true, questions: [...bank.questions], unreviewed: false };
    case 'topics': {
      const wanted = new Set(spec.topics);
      const known = new Set(bank.questions.map((q) => q.topic));
      const unknown = spec.topics.filter((t) => !known.has(t));
      if (unknown.length > 0) return fail('DECK_INVALID', unknown.map((t) => ({ field: 'topics', message: `no bank question has topic "${t}"` })));
      return { ok: true, questions: bank.questions.filter((q) => wanted.has(q.topic)), unreviewed: false };
    }
    case 'ids': {
      const problems: DeckProblem[] = [];
      const seen = new Set<string>();
      const questions: QuestionRecord[] = [];
      spec.ids.forEach((id, i) => {
        const q = bank.byId.get(id);
        if (!q) problems.push({ id, field: `ids[${i}]`, message: 'not a bank question' });
        else if (seen.has(id)) problems.push({ id, field: `ids[${i}]`, message: 'listed twice' });
        else questions.push(q);
        seen.add(id);
      });
      if (problems.length > 0) return fail('DECK_INVALID', problems);
      return { ok: true, questions, unreviewed: false };
    }
    case 'weakest': {
      const domains = weakestDomains(context.domainAccuracy ?? [], spec.domains ?? DECK_LIMITS.defaultWeakestDomains);
      if (domains.length === 0) {
        return fail('DECK_EMPTY', [{ message: 'nobody in the room has practice answers yet: players join with a practice profile, or pick another kind of deck' }]);
      }
      const set = new Set<string>(domains);
      return { ok: true, questions: bank.questions.filter((q) => set.has(q.domain)), unreviewed: false, domains };
    }
    case 'upload':
      return parseUploadedDeck(spec.yaml, bank, context.today);
  }
}

/** A resolved deck as a room keeps it: bank decks by id, an uploaded deck with its records (only in that room). */
export interface RoomDeck {
  kind: DeckKind;
  /** Ids and uploads play in deck order, every question; topics and weakest are a pool to draw from. */
  ordered: boolean;
  ids: string[];
  uploaded?: QuestionRecord[];
  topics?: string[];
  domains?: DomainId[];
  unreviewed: boolean;
}

/** The room's copy of a resolved deck; null for a random draw (the room draws as before). */
export function roomDeck(spec: DeckSpec, result: Extract<DeckResult, { ok: true }>): RoomDeck | null {
  if (spec.kind === 'random') return null;
  const ordered = spec.kind === 'ids' || spec.kind === 'upload';
  return {
    kind: spec.kind,
    ordered,
    ids: result.questions.map((q) => q.id),
    ...(spec.kind === 'upload' ? { uploaded: result.questions } : {}),
    ...(spec.kind === 'topics' ? { topics: [...spec.topics] } : {}),
    ...(result.domains ? { domains: result.domains } : {}),
    unreviewed: result.unreviewed,
  };
}

export function deckSummary(deck: RoomDeck | null | undefined): DeckSummary {
  if (!deck) return { kind: 'random', size: null, unreviewed: false };
  return {
    kind: deck.kind,
    size: deck.ids.length,
    ...(deck.topics ? { topics: deck.topics } : {}),
    ...(deck.domains ? { domains: deck.domains } : {}),
    unreviewed: deck.unreviewed,
  };
}

/**
 * A game's questions from a deck: an ordered deck plays every question in order; a pool deck draws
 * `questionCount` at random (difficulty filter and one per fact). Uploaded questions carry `unreviewed`.
 */
export function drawFromDeck(deck: RoomDeck, bank: QuestionBank, settings: Pick<RoomSettings, 'difficulties' | 'questionCount'>, rng: Rng): GameQuestion[] {
  const records = deck.uploaded ?? deck.ids.map((id) => bank.byId.get(id)).filter((q): q is QuestionRecord => q !== undefined);
  let picked: QuestionRecord[];
  if (deck.ordered) picked = records;
  else {
    const difficulties = new Set<number>(settings.difficulties);
    const pool = records.filter((q) => difficulties.size === 0 || difficulties.has(q.difficulty));
    picked = rng.shuffle(onePerFact(pool, rng)).slice(0, settings.questionCount);
  }
  return picked.map((q) => {
    const g = prepareQuestion(q, rng);
    return deck.unreviewed ? { ...g, question: { ...g.question, unreviewed: true } } : g;
  });
}
