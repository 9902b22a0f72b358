import { EXAM_DEFAULTS } from '../../../shared/domains.js';
import type { ExamSheetView } from '../../../shared/protocol/views.js';
import type { GameMode, RoomSettings, RoomSettingsPatch } from '../../../shared/settings.js';

/** "m:ss" for an exam clock (90 minutes shows as 90:00). */
export function formatClock(ms: number): string {
  const left = Math.max(0, ms);
  return `${Math.floor(left / 60_000)}:${String(Math.floor((left % 60_000) / 1000)).padStart(2, '0')}`;
}

/** What the submit confirmation names: how many are answered, unanswered and flagged. */
export function sheetCounts(sheet: Pick<ExamSheetView, 'answers' | 'flags'>): { answered: number; unanswered: number; flagged: number } {
  const answered = sheet.answers.filter((a) => a !== null).length;
  return { answered, unanswered: sheet.answers.length - answered, flagged: sheet.flags.filter(Boolean).length };
}

/** The words of the submit confirmation, e.g. "Submit with 3 unanswered and 1 flagged?". */
export function submitQuestion(counts: { unanswered: number; flagged: number }): string {
  const parts = [counts.unanswered > 0 ? `${counts.unanswered} unanswered` : '', counts.flagged > 0 ? `${counts.flagged} flagged` : ''].filter(Boolean);
  return parts.length === 0 ? 'Submit? Every question is answered.' : `Submit with ${parts.join(' and ')}?`;
}

/**
 * Settings that follow a change of mode in the host form: a mock exam starts from the exam's
 * 60 questions, Study from no timer, the others from their own default count and a valid per-question timer.
 */
export function modePatch(mode: GameMode, current: RoomSettings, defaults: RoomSettings): RoomSettingsPatch {
  if (mode === 'exam') return { mode, questionCount: EXAM_DEFAULTS.questionCount };
  const count = current.mode === 'exam' ? { questionCount: defaults.questionCount } : {};
  // Study is host-paced by default: no timer unless the host sets one.
  const timer = mode === 'study' ? (current.mode === 'study' ? {} : { timeLimitSec: 0 }) : { timeLimitSec: Math.max(5, Math.min(240, current.timeLimitSec || defaults.timeLimitSec)) };
  return { mode, ...count, ...timer };
}
