/** GET /api/leaderboards/weekly?board=quiz|exam&week=2026-W47&limit=50 */

/** Quiz games (Classic, Buzz-in, Study) and room mock exams (1 point per question) rank separately. */
export const WEEKLY_BOARDS = ['quiz', 'exam'] as const;
export type WeeklyBoard = (typeof WEEKLY_BOARDS)[number];

export interface WeeklyEntry {
  rank: number;
  /** The person (`profile:<id>` or `seat:<playerId>`), never a nickname: same-named people are separate rows. */
  key: string;
  /** Their latest display name. */
  name: string;
  points: number;
}
