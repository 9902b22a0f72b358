import { describe, expect, it } from 'vitest';
import { DOMAIN_IDS, DOMAIN_WEIGHT } from '../../shared/domains.js';
import { allocateByWeight, drawQuestions, prepareQuestion } from '../../server/game/draw.js';
import { QuestionBank } from '../../server/game/bank.js';
import { Rng, nextRandom } from '../../server/game/rng.js';
import { makeBank, makeQuestion } from '../helpers/questions.js';

const bank = makeBank(20);
const filter = { domains: [], difficulties: [], blueprintWeighted: true, questionCount: 20 };

describe('question draw', () => {
  it('never repeats a question in a game', () => {
    const qs = drawQuestions(bank, { ...filter, questionCount: 100 }, new Rng(7));
    expect(qs).toHaveLength(100);
    expect(new Set(qs.map((q) => q.question.id)).size).toBe(100);
  });

  // A room log replays a game's start on whichever node takes the room over, maybe one running a newer
  // release: a seed must draw the very same questions and choice orders in every release.
  it('draws exactly these questions for this seed, in every release', () => {
    const withFacts = new QuestionBank(
      DOMAIN_IDS.flatMap((domain) =>
        Array.from({ length: 9 }, (_, i) => makeQuestion({ id: `${domain}-${i}`, domain, type: 'single', difficulty: 2, ...(i % 3 === 0 ? {} : { fact: `${domain}-fact-${i % 3}` }) })),
      ),
    );
    const draw = (blueprintWeighted: boolean) =>
      drawQuestions(withFacts, { domains: [], difficulties: [], blueprintWeighted, questionCount: 8 }, new Rng(20261201)).map((q) => `${q.question.id}/${q.solution.answer.join('')}`);
    expect(draw(true)).toEqual(['architecture-1/3', 'architecture-8/2', 'cluster-mesh-3/2', 'network-policy-6/0', 'service-mesh-0/1', 'ebpf-4/1', 'network-observability-3/3', 'bgp-external-networking-5/1']);
    expect(draw(false)).toEqual(['bgp-external-networking-6/1', 'architecture-8/2', 'network-policy-0/3', 'architecture-1/3', 'cluster-mesh-0/3', 'service-mesh-0/1', 'cluster-mesh-3/1', 'network-observability-2/2']);
    expect(nextRandom(42)).toEqual([0.6011037519201636, 1831565855]);
    expect(new Rng(42).next()).toBe(0.6011037519201636);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const ids = (seed: number) => drawQuestions(bank, filter, new Rng(seed)).map((q) => q.question.id);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).not.toEqual(ids(2));
  });

  it('filters by domain and difficulty', () => {
    const qs = drawQuestions(bank, { ...filter, domains: ['ebpf', 'cluster-mesh'], difficulties: [3] }, new Rng(3));
    expect(qs.length).toBeGreaterThan(0);
    for (const q of qs) {
      expect(['ebpf', 'cluster-mesh']).toContain(q.question.domain);
      expect(q.question.difficulty).toBe(3);
    }
  });

  it('allocates 60 questions by the exam blueprint', () => {
    const available = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 100]));
    const alloc = allocateByWeight(available, 60, new Rng(5));
    expect(Object.values(alloc).reduce((a, b) => a! + b!, 0)).toBe(60);
    for (const d of DOMAIN_IDS) expect(Math.abs(alloc[d]! - (60 * DOMAIN_WEIGHT[d]) / 100)).toBeLessThan(1);
  });

  it('keeps blueprint proportions over many small games', () => {
    const counts = Object.fromEntries(DOMAIN_IDS.map((d) => [d, 0]));
    const rng = new Rng(11);
    for (let i = 0; i < 600; i++) for (const q of drawQuestions(bank, { ...filter, questionCount: 10 }, rng)) counts[q.question.domain]!++;
    for (const d of DOMAIN_IDS) expect(Math.abs((100 * counts[d]!) / 6000 - DOMAIN_WEIGHT[d])).toBeLessThan(1);
  });

  it('moves the surplus of a short domain to the others', () => {
    const alloc = allocateByWeight({ architecture: 2, ebpf: 50 }, 20, new Rng(1));
    expect(alloc).toEqual({ architecture: 2, ebpf: 18 });
  });

  it('shuffles choices and remaps the answer to the on-screen order', () => {
    const q = makeQuestion({ choices: ['w', 'x', 'y', 'z'], answer: [2] });
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const gq = prepareQuestion(q, new Rng(seed));
      expect(gq.question.choices[gq.solution.answer[0]!]).toBe('y');
      orders.add(gq.question.choices.join(''));
    }
    expect(orders.size).toBeGreaterThan(5);
    const tf = prepareQuestion(makeQuestion({ type: 'true-false', answer: [1] }), new Rng(1));
    expect(tf.question.choices).toEqual(['True', 'False']);
    expect(tf.solution.answer).toEqual([1]);
  });
});
