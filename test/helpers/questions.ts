import { COMPETENCIES } from '../../shared/curriculum.js';
import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import { QuestionRecordSchema, type QuestionRecord, type QuestionType } from '../../shared/question.js';
import { QuestionBank } from '../../server/game/bank.js';

let counter = 0;

/** A valid synthetic question: tests depend on rules, not on the real bank's content. */
export function makeQuestion(over: Partial<QuestionRecord> & { type?: QuestionType } = {}): QuestionRecord {
  counter++;
  const type = over.type ?? 'single';
  const choices = over.choices ?? (type === 'true-false' ? ['True', 'False'] : ['Choice alpha', 'Choice bravo', 'Choice charlie', 'Choice delta']);
  const answer = over.answer ?? (type === 'multiple' ? [0, 2] : [1]);
  const domain = over.domain ?? 'architecture';
  // The domain's first competency, unless the test names one.
  const competency = COMPETENCIES.find((c) => c.id === over.competency) ?? COMPETENCIES.find((c) => c.domain === domain)!;
  return QuestionRecordSchema.parse({
    id: over.id ?? `test-q-${counter}`,
    domain,
    topic: over.topic ?? 'testing',
    competency: competency.id,
    domain2025: over.domain2025 ?? competency.domain2025,
    ...(over.fact ? { fact: over.fact } : {}),
    difficulty: over.difficulty ?? 2,
    type,
    style: over.style ?? 'recall',
    prompt: over.prompt ?? `Synthetic prompt number ${counter} with a few words to reveal`,
    choices,
    answer,
    explanation: over.explanation ?? 'Because the synthetic rule says so, and the other choices are wrong.',
    source: over.source ?? { url: 'https://docs.cilium.io/en/stable/overview/intro/' },
    verified: over.verified ?? { on: '2026-11-21', against: ['https://docs.cilium.io/en/stable/overview/intro/'] },
  });
}

/** `perDomain` questions in every domain, mixing the three types. */
export function makeBank(perDomain = 6, domains: readonly DomainId[] = DOMAIN_IDS): QuestionBank {
  const types: QuestionType[] = ['single', 'multiple', 'true-false'];
  const qs = domains.flatMap((domain) =>
    Array.from({ length: perDomain }, (_, i) => makeQuestion({ id: `${domain}-${i}`, domain, type: types[i % 3]!, difficulty: ((i % 3) + 1) as 1 | 2 | 3 })),
  );
  return new QuestionBank(qs);
}
