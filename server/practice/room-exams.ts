import type { QuestionBank } from '../game/bank.js';
import type { RoomState } from '../game/state.js';
import type { Exam } from './exams.js';

/**
 * A finished room mock exam as an entry in each profiled player's exam history, so it sits beside
 * their solo exams with the same debrief. Answers go back from the room's shuffled choice order to
 * the bank's. The id is fixed per room, exam and player: recording twice writes nothing new.
 */
export function roomExamRecords(state: RoomState, profiles: [playerId: string, profileId: string][], bank: QuestionBank): Exam[] {
  const exam = state.exam;
  if (state.settings.mode !== 'exam' || !exam || exam.endedAt === null) return [];
  const questionIds = state.questions.map((gq) => gq.question.id);
  const toBankOrder = state.questions.map((gq) => {
    const record = bank.byId.get(gq.question.id)!;
    return gq.question.choices.map((text) => record.choices.indexOf(text));
  });
  return profiles.map(([playerId, profileId]): Exam => {
    const sheet = exam.sheets[playerId];
    return {
      id: `room-${state.code}-${exam.startedAt}-${playerId}`,
      profileId,
      roomCode: state.code,
      createdAt: exam.startedAt,
      deadline: exam.deadline,
      passMark: state.settings.passPercent,
      ...(state.settings.outline ? { outline: state.settings.outline } : {}),
      questionIds,
      answers: state.questions.map((gq, i) => {
        const chosen = sheet?.answers[gq.question.id];
        return chosen ? chosen.map((c) => toBankOrder[i]![c]!).sort((a, b) => a - b) : null;
      }),
      flags: questionIds.map((id) => sheet?.flagged.includes(id) ?? false),
      status: 'submitted',
      submittedAt: sheet?.submittedAt ?? exam.endedAt,
      timedOut: sheet?.submittedAt == null,
      version: 1,
    };
  });
}
