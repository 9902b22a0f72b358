import { describe, expect, it } from 'vitest';
import { DOMAIN_IDS } from '../../shared/domains.js';
import { QuestionBank } from '../../server/game/bank.js';
import { drawQuestions, onePerFact } from '../../server/game/draw.js';
import { Rng } from '../../server/game/rng.js';
import { ExamService, MemoryExamStore } from '../../server/practice/exams.js';
import { MemoryPracticeStore } from '../../server/practice/practice-store.js';
import { RECENT_WINDOW } from '../../server/practice/engine.js';
import { nextQuestion } from '../../server/practice/selection.js';
import { PracticeService } from '../../server/practice/service.js';
import { Harness } from '../helpers/harness.js';
import { makeQuestion } from '../helpers/questions.js';

/** 8 domains x 12 questions: in each domain three facts tested three times each, and three questions without a fact. */
const bank = new QuestionBank(
  DOMAIN_IDS.flatMap((domain) =>
    Array.from({ length: 12 }, (_, i) => makeQuestion({ id: `${domain}-${i}`, domain, ...(i < 9 ? { fact: `${domain}-fact-${Math.floor(i / 3)}` } : {}) })),
  ),
);
const factOf = (id: string) => bank.byId.get(id)!.fact;
const distinctFacts = (ids: string[]) => {
  const facts = ids.map(factOf).filter((f): f is string => !!f);
  return new Set(facts).size === facts.length;
};

describe('one fact, one game', () => {
  it('a draw holds at most one question per fact, and each of a fact group gets its turn across games', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const ids = drawQuestions(bank, { domains: [], difficulties: [], blueprintWeighted: seed % 2 === 0, questionCount: 100 }, new Rng(seed)).map((g) => g.question.id);
      expect(ids).toHaveLength(8 * 6); // 3 facts + 3 unkeyed per domain
      expect(distinctFacts(ids)).toBe(true);
      for (const id of ids) seen.add(id);
    }
    expect(seen.size).toBe(bank.size);
  });

  it('leaves a pool without fact keys untouched', () => {
    const plain = [makeQuestion({ id: 'plain-a' }), makeQuestion({ id: 'plain-b' })];
    expect(onePerFact(plain, new Rng(1))).toEqual(plain);
  });

  it('a room game and a mock exam never hold two questions of one fact', async () => {
    for (let seed = 0; seed < 50; seed++) {
      const h = new Harness(bank, { mode: 'classic', questionCount: 40 }, { seed });
      h.join('Ana');
      h.host('start');
      expect(distinctFacts(h.state.questions.map((q) => q.question.id))).toBe(true);
    }
    let seed = 0;
    const exams = new ExamService(bank, new MemoryExamStore(), () => 1, () => seed++);
    for (let i = 0; i < 50; i++) expect(distinctFacts((await exams.start('p', { count: 40 })).questions.map((q) => q.id))).toBe(true);
  });

  it('practice never serves a question sharing a fact with one inside the recent window', async () => {
    const practice = new PracticeService(bank, new MemoryPracticeStore(), () => 1_000_000, new Rng(4));
    const served: string[] = [];
    for (let i = 0; i < 600; i++) {
      // 24 facts + 24 unkeyed questions, just over the window: facts come back as soon as they may.
      const r = await practice.next('p', { domains: [], offset: 'normal' });
      if (!r.ok) break;
      served.push(r.question.id);
    }
    expect(served).toHaveLength(600);
    for (let i = 0; i < served.length; i++) {
      const window = served.slice(Math.max(0, i - RECENT_WINDOW + 1), i + 1);
      expect(distinctFacts(window), `serve ${i}: ${window.join(' ')}`).toBe(true);
    }
  });

  it('the selection skips due reviews and fresh questions whose fact was just seen', () => {
    const questions = [
      { id: 'a', domain: 'ebpf' as const, rating: 1500, fact: 'f' },
      { id: 'b', domain: 'ebpf' as const, rating: 1500, fact: 'f' },
      { id: 'c', domain: 'ebpf' as const, rating: 1500 },
    ];
    const input = { questions, ratingFor: () => 1500, offset: 'normal' as const, domains: [], recent: new Set(['a']), recentFacts: new Set(['f']), due: ['b'] };
    for (let seed = 0; seed < 20; seed++) expect(nextQuestion(input, new Rng(seed))).toEqual({ id: 'c', reason: 'new' });
  });
});
