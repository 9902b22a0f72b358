/** Nickname rules from the brief: 1-24 visible characters, trimmed, no control or invisible characters. */
export const NICKNAME_MAX = 24;

// Characters that render as nothing or hijack layout: controls, format chars (zero-width, bidi
// overrides) and variation selectors outside an emoji, line/paragraph separators, and blank-looking letters (Hangul fillers, braille blank).
export const INVISIBLE = /[\p{Variation_Selector}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800\u034F\u180E]/u;
export const COMBINING_RUN = /\p{M}{3,}/u;

export const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Half of a UTF-16 pair without its other half: no character at all, and stores disagree on it (Redis writes U+FFFD). */
export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * One whole emoji, ZWJ sequences (👩‍💻), flags, keycaps and skin tones included: their joiners and
 * selectors are format characters, which are invisible only outside such a sequence. The `v` flag's
 * RGI_Emoji is exact; an engine without it falls back to pictographs joined by emoji components.
 */
const EMOJI: RegExp = (() => {
  try {
    return new RegExp('^\\p{RGI_Emoji}$', 'v');
  } catch {
    return /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D\uFE0F\u20E3\u{E0020}-\u{E007F}])*$/u;
  }
})();

/** The text's grapheme clusters (what a person counts as characters). */
export const graphemes = (text: string): string[] => Array.from(segmenter.segment(text), (s) => s.segment);

/** Why the text has characters nobody can see (null when every cluster is visible or a whole emoji). */
export function invisibleProblem(text: string): 'invisible' | 'stacked' | null {
  if (LONE_SURROGATE.test(text)) return 'invisible';
  for (const cluster of graphemes(text)) {
    if (EMOJI.test(cluster)) continue;
    if (INVISIBLE.test(cluster)) return 'invisible';
    if (COMBINING_RUN.test(cluster)) return 'stacked';
  }
  return null;
}

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: string };

/** 1-24 grapheme clusters after trimming; whole emoji sequences count as one and are allowed. */
export function normalizeNickname(raw: string): NicknameCheck {
  const nickname = raw.normalize('NFC').replace(/[\p{Zs}\t]+/gu, ' ').trim();
  const problem = invisibleProblem(nickname);
  if (problem === 'invisible') return { ok: false, reason: 'Use letters, numbers or emoji: invisible or control characters are not allowed in a nickname' };
  if (problem === 'stacked') return { ok: false, reason: 'That nickname stacks too many accents on one letter: try a simpler one' };
  const length = graphemes(nickname).length;
  if (length < 1) return { ok: false, reason: 'Pick a nickname first' };
  if (length > NICKNAME_MAX) return { ok: false, reason: `Keep your nickname to ${NICKNAME_MAX} characters or fewer` };
  return { ok: true, nickname };
}

/** Some letter, number, symbol or punctuation once control and format characters are gone (flag reasons). */
export function hasVisibleText(text: string): boolean {
  return /[\p{L}\p{N}\p{S}\p{P}]/u.test(text.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, ''));
}

/** Two nicknames clash when they look the same: case- and compatibility-insensitive. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ');
}
