import type { OutlineDomainId, OutlineId } from '../../../shared/curriculum.js';
import type { HttpReply } from '../../../shared/protocol/http-routes.js';
import { http, type HttpResult } from './http.js';
import type { KeyValue } from './session.js';

export type { AnswerFeedback, ExamResult, ExamSummary, ExamView, PracticeStats } from '../../../shared/protocol/practice-views.js';

export type ProfileInfo = HttpReply<'me'>['profile'];
export type ApiResult<T> = HttpResult<T>;

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

  private get token(): string | null {
    return this.profile?.token ?? null;
  }

  async create(nickname: string): Promise<ApiResult<{ recoveryCode: string }>> {
    const r = await http('createProfile', 'POST', '/api/profiles', { body: { nickname } });
    if (!r.ok) return r;
    this.save(r.value.token, r.value.profile.name);
    return { ok: true, value: { recoveryCode: r.value.recoveryCode } };
  }

  /** A recovery replaces the code too: the new one is shown, the old one no longer works. */
  async recover(code: string): Promise<ApiResult<{ profile: ProfileInfo; recoveryCode: string }>> {
    const r = await http('recoverProfile', 'POST', '/api/profiles/recover', { body: { code } });
    if (!r.ok) return r;
    this.save(r.value.token, r.value.profile.name);
    return { ok: true, value: { profile: r.value.profile, recoveryCode: r.value.recoveryCode } };
  }

  next(domains: OutlineDomainId[], offset: 'easier' | 'normal' | 'harder', outline: OutlineId) {
    return http('practiceNext', 'POST', '/api/practice/next', { token: this.token, body: { outline, domains, offset } });
  }

  answer(questionId: string, choices: number[]) {
    return http('practiceAnswer', 'POST', '/api/practice/answer', { token: this.token, body: { questionId, choices } });
  }

  stats(outline?: OutlineId) {
    return http('practiceStats', 'GET', `/api/practice/stats${outline ? `?outline=${outline}` : ''}`, { token: this.token });
  }

  startExam(count: number, durationMinutes: number, passMark: number, outline: OutlineId) {
    return http('startExam', 'POST', '/api/exams', { token: this.token, body: { outline, count, durationMinutes, passMark } });
  }

  exams() {
    return http('exams', 'GET', '/api/exams', { token: this.token });
  }

  exam(id: string) {
    return http('exam', 'GET', `/api/exams/${encodeURIComponent(id)}`, { token: this.token });
  }

  answerExam(id: string, index: number, choices: number[] | null, flagged?: boolean) {
    return http('examAnswer', 'PUT', `/api/exams/${encodeURIComponent(id)}/answers/${index}`, { token: this.token, body: { choices, ...(flagged !== undefined ? { flagged } : {}) } });
  }

  submitExam(id: string) {
    return http('submitExam', 'POST', `/api/exams/${encodeURIComponent(id)}/submit`, { token: this.token, body: {} });
  }
}
