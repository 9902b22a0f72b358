import { DOMAIN_IDS, type DomainId } from '../../shared/domains.js';
import type { QuestionRecord } from '../../shared/question.js';

/** The immutable question bank the rooms draw from, indexed for the draw. */
export class QuestionBank {
  readonly byId: ReadonlyMap<string, QuestionRecord>;
  readonly byDomain: Readonly<Record<DomainId, readonly QuestionRecord[]>>;

  constructor(readonly questions: readonly QuestionRecord[]) {
    this.byId = new Map(questions.map((q) => [q.id, q]));
    const byDomain = Object.fromEntries(DOMAIN_IDS.map((d) => [d, [] as QuestionRecord[]])) as Record<DomainId, QuestionRecord[]>;
    for (const q of questions) byDomain[q.domain].push(q);
    this.byDomain = byDomain;
  }

  get size(): number {
    return this.questions.length;
  }
}
