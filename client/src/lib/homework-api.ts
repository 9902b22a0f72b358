import { domainName } from '../../../shared/curriculum.js';
import type { AssignmentInfo, AttemptView, HomeworkFeedback, HomeworkResults, StartReply } from '../../../shared/protocol/homework.js';
import type { HttpBody } from '../../../shared/protocol/http-routes.js';
import { toCsv } from './export.js';
import { http, type HttpResult } from './http.js';
import { PracticeApi } from './practice-api.js';
import type { KeyValue } from './session.js';

export type { AssignmentInfo, AttemptView, HomeworkFeedback, HomeworkResults, StartReply };
export type HwResult<T> = HttpResult<T>;

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

  async create(body: HttpBody<'createHomework'>) {
    const r = await http('createHomework', 'POST', '/api/homework', { body });
    if (r.ok) this.saveLeadToken(r.value.assignment.id, r.value.leadToken);
    return r;
  }

  current(id: string) {
    return http('currentAttempt', 'GET', `/api/homework/${encodeURIComponent(id)}/attempt`, { token: this.memberToken(id) });
  }

  async start(id: string, name: string | undefined) {
    const r = await http('startAttempt', 'POST', `/api/homework/${encodeURIComponent(id)}/attempt`, { token: this.memberToken(id), body: name === undefined ? {} : { name } });
    if (r.ok && r.value.memberToken) this.kv.setItem(memberKey(id), r.value.memberToken);
    return r;
  }

  answer(id: string, index: number, choices: number[]) {
    return http('homeworkAnswer', 'POST', `/api/homework/${encodeURIComponent(id)}/answers`, { token: this.memberToken(id), body: { index, choices } });
  }

  results(id: string) {
    return http('homeworkResults', 'GET', `/api/homework/${encodeURIComponent(id)}/results`, { token: this.leadToken(id) });
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
