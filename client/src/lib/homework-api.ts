import { domainName } from '../../../shared/curriculum.js';
import type { AssignmentInfo, AttemptView, HomeworkFeedback, HomeworkResults, StartReply } from '../../../shared/protocol/homework.js';
import type { DeckProblem } from '../../../shared/protocol/decks.js';
import { toCsv } from './export.js';
import { PracticeApi } from './practice-api.js';
import type { KeyValue } from './session.js';

export type { AssignmentInfo, AttemptView, HomeworkFeedback, HomeworkResults, StartReply };
export type HwResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; problems?: DeckProblem[] };

const memberKey = (id: string) => `cca-quiz:homework:${id}`;
const leadKey = (id: string) => `cca-quiz:homework-lead:${id}`;

/**
 * Homework calls. A member is known by the member token of this assignment (kept by the browser when
 * they started without a profile), else by the practice profile's token. The lead holds a lead token.
 */
export class HomeworkApi {
  private readonly practice: PracticeApi;
  constructor(private readonly kv: KeyValue) {
    this.practice = new PracticeApi(kv);
  }

  get profileName(): string | null {
    return this.practice.profile?.name ?? null;
  }

  private memberToken(id: string): string | null {
    return this.kv.getItem(memberKey(id)) ?? this.practice.profile?.token ?? null;
  }

  leadToken(id: string): string | null {
    return this.kv.getItem(leadKey(id));
  }

  saveLeadToken(id: string, token: string): void {
    this.kv.setItem(leadKey(id), token);
  }

  private async call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<HwResult<T>> {
    try {
      const r = await fetch(`/api/homework${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await r.json()) as T & { error?: { code: string; message: string }; problems?: DeckProblem[] };
      if (!r.ok || json.error) return { ok: false, code: json.error?.code ?? 'INTERNAL', message: json.error?.message ?? `HTTP ${r.status}`, ...(json.problems ? { problems: json.problems } : {}) };
      return { ok: true, value: json };
    } catch {
      return { ok: false, code: 'INTERNAL', message: 'No answer from the server: check your connection' };
    }
  }

  async create(body: object): Promise<HwResult<{ assignment: AssignmentInfo; leadToken: string }>> {
    const r = await this.call<{ assignment: AssignmentInfo; leadToken: string }>('POST', '', null, body);
    if (r.ok) this.saveLeadToken(r.value.assignment.id, r.value.leadToken);
    return r;
  }

  current(id: string) {
    return this.call<{ assignment: AssignmentInfo; attempt: AttemptView | null }>('GET', `/${encodeURIComponent(id)}/attempt`, this.memberToken(id));
  }

  async start(id: string, name: string | undefined): Promise<HwResult<StartReply>> {
    const r = await this.call<StartReply>('POST', `/${encodeURIComponent(id)}/attempt`, this.memberToken(id), name === undefined ? {} : { name });
    if (r.ok && r.value.memberToken) this.kv.setItem(memberKey(id), r.value.memberToken);
    return r;
  }

  answer(id: string, index: number, choices: number[]) {
    return this.call<HomeworkFeedback>('POST', `/${encodeURIComponent(id)}/answers`, this.memberToken(id), { index, choices });
  }

  results(id: string) {
    return this.call<{ results: HomeworkResults }>('GET', `/${encodeURIComponent(id)}/results`, this.leadToken(id));
  }
}

const letters = (choices: number[] | null) => (choices ?? []).map((c) => String.fromCharCode(65 + c)).join('');

/** One row per member per question, like a room's answers download. */
export function homeworkCsv(r: HomeworkResults): string {
  return toCsv(
    ['member', 'status', 'question', 'question_id', 'domain', 'answer', 'correct_answer', 'correct', 'reviewed'],
    r.members.flatMap((m) =>
      r.questions.map((q, i) => [m.name, m.status, i + 1, q.id, domainName(r.assignment.outline === 'cca-2025' ? q.domain2025 : q.domain), letters(m.choices[i] ?? null), letters(q.correct), m.grid[i] === null ? '' : m.grid[i] === 'right' ? 'yes' : 'no', q.reviewed ? 'yes' : 'no']),
    ),
  );
}
