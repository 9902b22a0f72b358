import { z } from 'zod';
import { DEFAULT_OUTLINE, outlineDomainIds } from './curriculum.js';
import { OutlineDomainIdSchema, OutlineIdSchema } from './curriculum-schema.js';

export const GAME_MODES = ['classic', 'buzz', 'study', 'exam'] as const;
export type GameMode = (typeof GAME_MODES)[number];

export const TeamNameSchema = z.string().trim().min(1).max(24);

/** Host-adjustable room settings. Defaults follow the brief; ranges are enforced per mode below (views describe settings with this shape). */
export const RoomSettingsObject = z.strictObject({
  mode: z.enum(GAME_MODES).default('classic'),
  questionCount: z.int().min(1).max(100).default(10),
  /** Domains of the room's `outline`; empty means every domain. */
  domains: z.array(OutlineDomainIdSchema).max(8).default([]),
  /** Draw per domain in proportion to the exam weights (otherwise uniformly from the pool). */
  blueprintWeighted: z.boolean().default(true),
  /** Exam outline whose domain weights the blueprint draw follows (cca-2025: by each question's domain2025). */
  outline: OutlineIdSchema.default(DEFAULT_OUTLINE),
  /** Empty means every difficulty. */
  difficulties: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).max(3).default([]),
  /** Answer window per question; 0 (no timer) is allowed in Study mode only. */
  timeLimitSec: z.int().min(0).max(3600).default(20),
  /** false = accuracy-only scoring (no speed component). */
  speedScoring: z.boolean().default(true),
  streakBonus: z.boolean().default(true),
  /** Study mode: points (and a podium) only when the host turns scoring on. */
  studyScoring: z.boolean().default(false),
  /** Buzz-in prompt reveal speed; 0 shows the whole prompt at once. */
  wordsPerSecond: z.number().min(0).max(20).default(3),
  buzzAnswerSec: z.int().min(3).max(30).default(7),
  /** A "get ready" count before each question opens (Classic, Study, Buzz-in); 0 = off. The exam has none. */
  getReadySec: z.int().min(0).max(10).default(3),
  buzzCompensation: z.boolean().default(true),
  buzzCompensationCapMs: z.int().min(0).max(1000).default(250),
  /** Exam mode: one shared clock for the whole question set. */
  examMinutes: z.int().min(1).max(240).default(90),
  /** Exam mode: pass mark in percent (75 is widely reported for the CCA, not officially confirmed). */
  passPercent: z.int().min(1).max(100).default(75),
  /** Team names; empty = no teams. */
  teams: z.array(TeamNameSchema).max(12).default([]),
});

function checkModeRanges(s: z.infer<typeof RoomSettingsObject>, ctx: z.RefinementCtx): void {
  // Study may run without a timer; the exam has its own clock (examMinutes), so the per-question timer is unused there.
  if (s.mode !== 'study' && s.mode !== 'exam' && (s.timeLimitSec < 5 || s.timeLimitSec > 240)) {
    ctx.addIssue({ code: 'custom', path: ['timeLimitSec'], message: `${s.mode} mode needs a timer of 5-240 seconds` });
  }
  const inOutline = outlineDomainIds(s.outline) as string[];
  s.domains.forEach((d, i) => {
    if (!inOutline.includes(d)) ctx.addIssue({ code: 'custom', path: ['domains', i], message: `${d} is not a domain of outline ${s.outline}` });
  });
  const lower = s.teams.map((t) => t.toLowerCase());
  if (new Set(lower).size !== lower.length) {
    ctx.addIssue({ code: 'custom', path: ['teams'], message: 'team names must be unique' });
  }
}

/** Study is host-paced: a Study room created without a timer has none. */
function studyUntimed(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const o = input as { mode?: unknown; timeLimitSec?: unknown };
  return o.mode === 'study' && o.timeLimitSec === undefined ? { ...o, timeLimitSec: 0 } : input;
}

export const RoomSettingsSchema = z.preprocess(studyUntimed, RoomSettingsObject.superRefine(checkModeRanges));
export type RoomSettings = z.output<typeof RoomSettingsSchema>;

/** A partial update the host sends from the lobby; merged onto current settings, then re-validated. */
export const RoomSettingsPatchSchema = RoomSettingsObject.partial();
export type RoomSettingsPatch = z.input<typeof RoomSettingsPatchSchema>;

export const DEFAULT_SETTINGS: RoomSettings = RoomSettingsSchema.parse({});

export function mergeSettings(
  current: RoomSettings,
  patch: RoomSettingsPatch,
): { ok: true; settings: RoomSettings } | { ok: false; message: string } {
  // Switching to Study without naming a timer makes it host-paced.
  const untimed = patch.mode === 'study' && current.mode !== 'study' && patch.timeLimitSec === undefined ? { timeLimitSec: 0 } : {};
  const parsed = RoomSettingsSchema.safeParse({ ...current, ...untimed, ...patch });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, message: first ? `${first.path.join('.') || 'settings'}: ${first.message}` : 'invalid settings' };
}
