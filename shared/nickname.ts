/** Nickname rules from the brief: 1-24 visible characters, trimmed, no control or invisible characters. */
export const NICKNAME_MAX = 24;

// Characters that render as nothing or hijack layout: controls, format chars (zero-width, bidi
// overrides), line/paragraph separators, and blank-looking letters (Hangul fillers, braille blank).
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/u;
export const COMBINING_RUN = /\p{M}{3,}/u;

export const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: string };

export function normalizeNickname(raw: string): NicknameCheck {
  const nickname = raw.normalize('NFC').replace(/[\p{Zs}\t]+/gu, ' ').trim();
  if (INVISIBLE.test(nickname)) return { ok: false, reason: 'Use letters, numbers or emoji: invisible or control characters are not allowed in a nickname' };
  if (COMBINING_RUN.test(nickname)) return { ok: false, reason: 'That nickname stacks too many accents on one letter: try a simpler one' };
  const length = [...segmenter.segment(nickname)].length;
  if (length < 1) return { ok: false, reason: 'Pick a nickname first' };
  if (length > NICKNAME_MAX) return { ok: false, reason: `Keep your nickname to ${NICKNAME_MAX} characters or fewer` };
  return { ok: true, nickname };
}

/** Two nicknames clash when they look the same: case- and compatibility-insensitive. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ');
}
