import type { OutlineId } from '../../shared/curriculum.js';
import type { QuestionRecord } from '../../shared/question.js';

/** A question as assigned: frozen at creation, so later bank edits do not change a running assignment. */
export type AssignedQuestion = QuestionRecord & { reviewed: boolean };

export interface Assignment {
  id: string;
  title: string;
  createdAt: number;
  dueAt: number;
  outline: OutlineId;
  /** Hash of the lead's secret token (the token itself is never stored). */
  leadTokenHash: string;
  /** How the deck was asked for (kind and size), for the record. */
  deck: { kind: string; requested: number };
  questions: AssignedQuestion[];
}

export interface AttemptAnswer {
  choices: number[];
  correct: boolean;
  at: number;
}

/** One member's attempt; `key` is `p:<profile id>` or `t:<member token hash>`. */
export interface Attempt {
  id: string;
  key: string;
  name: string;
  profileId: string | null;
  startedAt: number;
  finishedAt: number | null;
  answers: AttemptAnswer[];
}

export type StartOutcome = { attempt: Attempt; created: boolean } | { full: true };

/** Storage of assignments and their attempts (memory or Redis; one contract suite over both). */
export interface HomeworkStore {
  create(a: Assignment): Promise<void>;
  load(id: string): Promise<Assignment | null>;
  attempt(id: string, key: string): Promise<Attempt | null>;
  /** Every attempt of the assignment, oldest first. */
  attempts(id: string): Promise<Attempt[]>;
  /** Adds `attempt` unless one is stored under its key (that one is returned) or `cap` attempts exist. */
  start(id: string, attempt: Attempt, cap: number): Promise<StartOutcome>;
  /** Writes `next` only if the stored attempt is still exactly `prev` (compare-and-set). */
  replace(id: string, prev: Attempt, next: Attempt): Promise<boolean>;
}

const byStart = (a: Attempt, b: Attempt) => a.startedAt - b.startedAt || a.id.localeCompare(b.id);

/** Assignments in this process only (the embedded default). Values are copied in and out. */
export class MemoryHomeworkStore implements HomeworkStore {
  private assignments = new Map<string, string>();
  private attemptsOf = new Map<string, Map<string, string>>();

  get size(): number {
    return this.assignments.size;
  }

  async create(a: Assignment): Promise<void> {
    this.assignments.set(a.id, JSON.stringify(a));
    this.attemptsOf.set(a.id, new Map());
  }

  async load(id: string): Promise<Assignment | null> {
    const raw = this.assignments.get(id);
    return raw ? (JSON.parse(raw) as Assignment) : null;
  }

  async attempt(id: string, key: string): Promise<Attempt | null> {
    const raw = this.attemptsOf.get(id)?.get(key);
    return raw ? (JSON.parse(raw) as Attempt) : null;
  }

  async attempts(id: string): Promise<Attempt[]> {
    return [...(this.attemptsOf.get(id)?.values() ?? [])].map((raw) => JSON.parse(raw) as Attempt).sort(byStart);
  }

  async start(id: string, attempt: Attempt, cap: number): Promise<StartOutcome> {
    const all = this.attemptsOf.get(id);
    if (!all) return { full: true };
    const existing = all.get(attempt.key);
    if (existing) return { attempt: JSON.parse(existing) as Attempt, created: false };
    if (all.size >= cap) return { full: true };
    all.set(attempt.key, JSON.stringify(attempt));
    return { attempt, created: true };
  }

  async replace(id: string, prev: Attempt, next: Attempt): Promise<boolean> {
    const all = this.attemptsOf.get(id);
    if (!all || all.get(prev.key) !== JSON.stringify(prev)) return false;
    all.set(next.key, JSON.stringify(next));
    return true;
  }
}

export { byStart };
