/** Protests against a judged answer: what the host and the protester see, and what is recorded. */
import { graphemes, invisibleProblem } from '../nickname.js';

export const PROTEST_DECISIONS = ['void', 'rescore', 'reject'] as const;
/** `void`: the question counts for nobody; `rescore`: the protester's answer counts as correct. */
export type ProtestDecision = (typeof PROTEST_DECISIONS)[number];

export const PROTEST_REASON_MAX = 300;

/** One protest as the host sees it (the protester sees only their own). */
export interface ProtestView {
  id: string;
  playerId: string;
  name: string;
  questionId: string;
  questionIndex: number;
  /** The question's prompt, shortened, so the host knows which one without scrolling back. */
  prompt: string;
  reason: string;
  at: number;
  decision: ProtestDecision | null;
  decidedAt: number | null;
}

/** A player's own protest of the question on the reveal. */
export interface MyProtestView {
  id: string;
  questionId: string;
  decision: ProtestDecision | null;
}

/** A protest as kept with the question's flags, for bank maintainers. */
export interface ProtestRecord {
  roomCode: string;
  reason: string;
  at: string;
  decision: ProtestDecision | null;
  decidedAt: string | null;
}

/** Reason rules like a nickname's: 1-300 visible characters, trimmed, no control or invisible characters. */
export function normalizeProtestReason(raw: string): { ok: true; reason: string } | { ok: false; reason: string } {
  // Line breaks are ordinary in a reason: they become spaces, like runs of blanks.
  const reason = raw.normalize('NFC').replace(/[\p{Zs}\t\r\n]+/gu, ' ').trim();
  const problem = invisibleProblem(reason);
  if (problem === 'invisible') return { ok: false, reason: 'Use visible characters only: invisible or control characters are not allowed in a reason' };
  if (problem === 'stacked') return { ok: false, reason: 'That reason stacks too many accents on one letter' };
  const length = graphemes(reason).length;
  if (length < 1) return { ok: false, reason: 'Say why the answer should count (a few words)' };
  if (length > PROTEST_REASON_MAX) return { ok: false, reason: `Keep the reason to ${PROTEST_REASON_MAX} characters or fewer` };
  return { ok: true, reason };
}
