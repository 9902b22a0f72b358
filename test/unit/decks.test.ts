import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DECK_LIMITS, DeckSpecSchema, formatDeckProblem, isUploadedId } from '../../shared/protocol/decks.js';
import { deckSummary, drawFromDeck, resolveDeck, roomDeck, weakestDomains, type DeckResult } from '../../server/game/decks.js';
import { QuestionBank } from '../../server/game/bank.js';
import { Rng } from '../../server/game/rng.js';
import { storedQuestion } from '../helpers/fixture-bank.js';
import { makeBank, makeQuestion } from '../helpers/questions.js';
import { expectRefused, Harness, HOST } from '../helpers/harness.js';
import { viewFor } from '../../server/game/view.js';

const base = makeBank(4);
const bank = new QuestionBank([
  ...base.questions,
  makeQuestion({ id: 'np-deny-a', domain: 'network-policy', topic: 'deny-policies' }),
  makeQuestion({ id: 'np-deny-b', domain: 'network-policy', topic: 'deny-policies' }),
  makeQuestion({ id: 'obs-hubble-a', domain: 'network-observability', topic: 'hubble' }),
]);
const ctx = { today: '2026-12-01' };

function problems(r: DeckResult) {
  if (r.ok) throw new Error('expected a refusal');
  return r.problems;
}

/** A valid upload question without `verified` (uploads may leave it out). */
function upload(id: string, over: Record<string, unknown> = {}) {
  const { verified: _v, ...q } = storedQuestion(id, over);
  return q;
}

describe('DeckSpecSchema', () => {
  it('accepts each kind and refuses unknown kinds or extra fields', () => {
    for (const spec of [{ kind: 'random' }, { kind: 'topics', topics: ['hubble'] }, { kind: 'ids', ids: ['np-deny-a'] }, { kind: 'weakest' }, { kind: 'weakest', domains: 3 }, { kind: 'upload', yaml: '- x' }]) {
      expect(DeckSpecSchema.safeParse(spec).success, JSON.stringify(spec)).toBe(true);
    }
    expect(DeckSpecSchema.safeParse({ kind: 'all' }).success).toBe(false);
    expect(DeckSpecSchema.safeParse({ kind: 'random', extra: 1 }).success).toBe(false);
    expect(DeckSpecSchema.safeParse({ kind: 'topics', topics: [] }).success).toBe(false);
  });

  it('refuses an upload over the byte limit (multi-byte characters count as bytes)', () => {
    expect(DeckSpecSchema.safeParse({ kind: 'upload', yaml: 'a'.repeat(DECK_LIMITS.maxUploadBytes + 1) }).success).toBe(false);
    expect(DeckSpecSchema.safeParse({ kind: 'upload', yaml: 'é'.repeat(DECK_LIMITS.maxUploadBytes / 2 + 1) }).success).toBe(false);
    expect(DeckSpecSchema.safeParse({ kind: 'upload', yaml: 'a'.repeat(DECK_LIMITS.maxUploadBytes) }).success).toBe(true);
  });
});

describe('resolveDeck', () => {
  it('random: the whole bank, reviewed', () => {
    const r = resolveDeck({ kind: 'random' }, bank, ctx);
    expect(r.ok && r.questions.length).toBe(bank.size);
    expect(r.ok && r.unreviewed).toBe(false);
  });

  it('topics: only those topics; an unknown topic is named', () => {
    const r = resolveDeck({ kind: 'topics', topics: ['deny-policies', 'hubble'] }, bank, ctx);
    expect(r.ok && r.questions.map((q) => q.id).sort()).toEqual(['np-deny-a', 'np-deny-b', 'obs-hubble-a']);
    expect(problems(resolveDeck({ kind: 'topics', topics: ['hubble', 'no-such-topic'] }, bank, ctx))).toEqual([
      { field: 'topics', message: 'no bank question has topic "no-such-topic"' },
    ]);
  });

  it('ids: in the given order; unknown and repeated ids are named', () => {
    const r = resolveDeck({ kind: 'ids', ids: ['obs-hubble-a', 'np-deny-a'] }, bank, ctx);
    expect(r.ok && r.questions.map((q) => q.id)).toEqual(['obs-hubble-a', 'np-deny-a']);
    const p = problems(resolveDeck({ kind: 'ids', ids: ['np-deny-a', 'nope-01', 'np-deny-a'] }, bank, ctx));
    expect(p).toEqual([
      { id: 'nope-01', field: 'ids[1]', message: 'not a bank question' },
      { id: 'np-deny-a', field: 'ids[2]', message: 'listed twice' },
    ]);
  });

  it('weakest: the lowest accuracies first, from the given figures only', () => {
    const domainAccuracy = [
      { domain: 'ebpf' as const, answered: 10, correct: 9 },
      { domain: 'network-policy' as const, answered: 10, correct: 2 },
      { domain: 'cluster-mesh' as const, answered: 4, correct: 2 },
      { domain: 'service-mesh' as const, answered: 0, correct: 0 },
    ];
    expect(weakestDomains(domainAccuracy, 2)).toEqual(['network-policy', 'cluster-mesh']);
    const r = resolveDeck({ kind: 'weakest', domains: 1 }, bank, { ...ctx, domainAccuracy });
    expect(r.ok && r.domains).toEqual(['network-policy']);
    expect(r.ok && r.questions.every((q) => q.domain === 'network-policy')).toBe(true);
    expect(r.ok && r.questions.length).toBe(6);
    const none = resolveDeck({ kind: 'weakest' }, bank, { ...ctx, domainAccuracy: [] });
    expect(!none.ok && none.code).toBe('DECK_EMPTY');
  });

  it('upload: validated by the bank schema, ids prefixed, marked not reviewed, verified optional', () => {
    const yaml = stringify([upload('my-q-01'), storedQuestion('my-q-02', { prompt: 'A second prompt about eBPF maps and their state?' })]);
    const r = resolveDeck({ kind: 'upload', yaml }, bank, ctx);
    if (!r.ok) throw new Error(r.problems.map(formatDeckProblem).join('\n'));
    expect(r.unreviewed).toBe(true);
    expect(r.questions.map((q) => q.id)).toEqual(['up-my-q-01', 'up-my-q-02']);
    expect(r.questions.every((q) => isUploadedId(q.id) && !bank.byId.has(q.id))).toBe(true);
    expect(r.questions[0]!.verified).toEqual({ on: '2026-12-01', against: ['https://docs.cilium.io/en/stable/network/ebpf/maps/'] });
    expect(bank.size).toBe(base.size + 3);
  });

  it('upload: a bad field is refused with the question id and field named', () => {
    const yaml = stringify([upload('good-one'), upload('bad-one', { answer: [7] }), upload('bad-two', { domain: 'nowhere' })]);
    const p = problems(resolveDeck({ kind: 'upload', yaml }, bank, ctx));
    expect(p.map(formatDeckProblem)).toContainEqual('bad-one: answer[0]: index 7 is out of range for 4 choices');
    expect(p.find((x) => x.id === 'bad-two')?.field).toBe('domain');
    expect(p.some((x) => x.id === 'good-one')).toBe(false);
  });

  it('upload: the per-question linter runs (all of the above, source hosts), not the bank balance rules', () => {
    const yaml = stringify([
      upload('lint-one', { choices: ['Maps hold state', 'Maps run code', 'All of the above', 'Maps sign keys'] }),
      upload('lint-two', { source: { url: 'https://example.com/notes' } }),
    ]);
    const p = problems(resolveDeck({ kind: 'upload', yaml }, bank, ctx));
    expect(p).toContainEqual(expect.objectContaining({ id: 'lint-one', field: 'choices[2]' }));
    expect(p).toContainEqual(expect.objectContaining({ id: 'lint-two', field: 'source.url' }));
  });

  it('upload: malformed, empty, duplicated and oversized decks are refused with clear codes', () => {
    const code = (yaml: string) => {
      const r = resolveDeck({ kind: 'upload', yaml }, bank, ctx);
      return r.ok ? 'ok' : r.code;
    };
    expect(code('- id: [unclosed')).toBe('DECK_INVALID');
    expect(code('id: not-a-list')).toBe('DECK_INVALID');
    expect(code('[]')).toBe('DECK_EMPTY');
    expect(code('a'.repeat(DECK_LIMITS.maxUploadBytes + 10))).toBe('DECK_TOO_LARGE');
    const many = stringify(Array.from({ length: DECK_LIMITS.maxUploadQuestions + 1 }, (_, i) => ({ id: `q-${i}` })));
    expect(code(many)).toBe('DECK_TOO_LARGE');
    const dup = problems(resolveDeck({ kind: 'upload', yaml: stringify([upload('same-id'), upload('same-id', { prompt: 'Another prompt about maps in eBPF here?' })]) }, bank, ctx));
    expect(dup).toEqual([{ id: 'same-id', field: 'id', message: 'duplicate id in this deck' }]);
    expect(problems(resolveDeck({ kind: 'upload', yaml: 'x: &a [1]\ny: [*a, *a]\n' }, bank, ctx))[0]!.message).toMatch(/list of questions/);
  });

  it('upload: an id that would collide with a bank id is refused', () => {
    const withUp = new QuestionBank([...bank.questions, makeQuestion({ id: 'up-clash' })]);
    const p = problems(resolveDeck({ kind: 'upload', yaml: stringify([upload('clash')]) }, withUp, ctx));
    expect(p).toEqual([{ id: 'clash', field: 'id', message: 'collides with bank question up-clash: rename it' }]);
  });
});

describe('decks in a room', () => {
  it('an ordered deck plays every question in order; uploads carry the not-reviewed mark', () => {
    const r = resolveDeck({ kind: 'upload', yaml: stringify([upload('u-one'), upload('u-two', { prompt: 'The second uploaded prompt on eBPF maps?' })]) }, bank, ctx);
    if (!r.ok) throw new Error('upload refused');
    const deck = roomDeck({ kind: 'upload', yaml: '' }, r)!;
    const qs = drawFromDeck(deck, bank, { difficulties: [], questionCount: 1 }, new Rng(1));
    expect(qs.map((g) => g.question.id)).toEqual(['up-u-one', 'up-u-two']);
    expect(qs.every((g) => g.question.unreviewed === true)).toBe(true);
    expect(deckSummary(deck)).toEqual({ kind: 'upload', size: 2, unreviewed: true });
    // The shared bank is untouched: another room drawing at random never sees them.
    expect([...bank.byId.keys()].some(isUploadedId)).toBe(false);
  });

  it('a topics deck draws questionCount from its pool only', () => {
    const spec = { kind: 'topics' as const, topics: ['deny-policies'] };
    const r = resolveDeck(spec, bank, ctx);
    if (!r.ok) throw new Error('refused');
    const qs = drawFromDeck(roomDeck(spec, r)!, bank, { difficulties: [], questionCount: 1 }, new Rng(2));
    expect(qs).toHaveLength(1);
    expect(qs[0]!.question.topic).toBe('deny-policies');
    expect(qs[0]!.question.unreviewed).toBeUndefined();
    expect(roomDeck({ kind: 'random' }, resolveDeck({ kind: 'random' }, bank, ctx) as Extract<DeckResult, { ok: true }>)).toBeNull();
  });
});

describe('set-deck in the reducer', () => {
  const deckOf = (spec: Parameters<typeof resolveDeck>[0]) => {
    const r = resolveDeck(spec, bank, ctx);
    if (!r.ok) throw new Error('refused');
    return roomDeck(spec, r);
  };

  it('the host sets a deck in the lobby; the start plays it; players see the badge', () => {
    const h = new Harness(bank, { questionCount: 5 });
    const [ana] = h.join('Ana');
    expectRefused(h, { type: 'set-deck', by: { role: 'player', playerId: ana! }, deck: null }, 'NOT_HOST');
    h.ok({ type: 'set-deck', by: HOST, deck: deckOf({ kind: 'upload', yaml: stringify([upload('u-one')]) }) });
    expect(viewFor(h.state, 'player', ana!, h.now).deck).toEqual({ kind: 'upload', size: 1, unreviewed: true });
    h.host('start');
    expect(h.state.questions.map((q) => q.question.id)).toEqual(['up-u-one']);
    expect(viewFor(h.state, 'player', ana!, h.now).question?.unreviewed).toBe(true);
    expectRefused(h, { type: 'set-deck', by: HOST, deck: null }, 'WRONG_PHASE');
  });

  it('a deck whose pool the difficulty filter empties refuses the start with NO_QUESTIONS', () => {
    const h = new Harness(bank, { difficulties: [3] });
    h.join('Ana');
    h.ok({ type: 'set-deck', by: HOST, deck: deckOf({ kind: 'topics', topics: ['deny-policies'] }) });
    expectRefused(h, { type: 'start', by: HOST }, 'NO_QUESTIONS');
  });
});
