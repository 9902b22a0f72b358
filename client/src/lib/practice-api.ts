import type { OutlineDomainId, OutlineId } from '../../../shared/curriculum.js';
import type { AnswerFeedback, ExamSummary, ExamView, PracticeStats } from '../../../shared/protocol/practice-views.js';
import type { PublicQuestion } from '../../../shared/question.js';
import type { KeyValue } from './session.js';

export type { AnswerFeedback, ExamResult, ExamSummary, ExamView, PracticeStats } from '../../../shared/protocol/practice-views.js';

export interface ProfileInfo {
  id: string;
  name: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const KEY = 'cca-quiz:profile';

/** The browser's practice profile (its secret token) and the calls that use it. */
export class PracticeApi {
  constructor(private readonly kv: KeyValue) {}

  get profile(): { token: string; name: string } | null {
    try {
      const raw = this.kv.getItem(KEY);
      return raw ? (JSON.parse(raw) as { token: string; name: string }) : null;
    } catch {
      return null;
    }
  }

  private save(token: string, name: string): void {
    this.kv.setItem(KEY, JSON.stringify({ token, name }));
  }

  forget(): void {
    this.kv.removeItem(KEY);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    try {
      const token = this.profile?.token;
      const r = await fetch(`/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await r.json()) as T & { error?: { code: string; message: string } };
      if (!r.ok || json.error) return { ok: false, code: json.error?.code ?? 'INTERNAL', message: json.error?.message ?? `HTTP ${r.status}` };
      return { ok: true, value: json };
    } catch {
      return { ok: false, code: 'INTERNAL', message: 'No answer from the server: check your connection' };
    }
  }

  async create(nickname: string): Promise<ApiResult<{ recoveryCode: string }>> {
    const r = await this.call<{ profile: ProfileInfo; token: string; recoveryCode: string }>('POST', '/profiles', { nickname });
    if (!r.ok) return r;
    this.save(r.value.token, r.value.profile.name);
    return { ok: true, value: { recoveryCode: r.value.recoveryCode } };
  }

  async recover(code: string): Promise<ApiResult<ProfileInfo>> {
    const r = await this.call<{ profile: ProfileInfo; token: string }>('POST', '/profiles/recover', { code });
    if (!r.ok) return r;
    this.save(r.value.token, r.value.profile.name);
    return { ok: true, value: r.value.profile };
  }

  next(domains: OutlineDomainId[], offset: 'easier' | 'normal' | 'harder', outline: OutlineId) {
    return this.call<{ question: PublicQuestion; reason: 'review' | 'new' }>('POST', '/practice/next', { outline, domains, offset });
  }

  answer(questionId: string, choices: number[]) {
    return this.call<AnswerFeedback>('POST', '/practice/answer', { questionId, choices });
  }

  stats(outline?: OutlineId) {
    return this.call<PracticeStats>('GET', `/practice/stats${outline ? `?outline=${outline}` : ''}`);
  }

  startExam(count: number, durationMinutes: number, passMark: number, outline: OutlineId) {
    return this.call<ExamView>('POST', '/exams', { outline, count, durationMinutes, passMark });
  }

  exams() {
    return this.call<{ exams: ExamSummary[] }>('GET', '/exams');
  }

  exam(id: string) {
    return this.call<ExamView>('GET', `/exams/${encodeURIComponent(id)}`);
  }

  answerExam(id: string, index: number, choices: number[] | null, flagged?: boolean) {
    return this.call<ExamView>('PUT', `/exams/${encodeURIComponent(id)}/answers/${index}`, { choices, ...(flagged !== undefined ? { flagged } : {}) });
  }

  submitExam(id: string) {
    return this.call<ExamView>('POST', `/exams/${encodeURIComponent(id)}/submit`);
  }
}
