import { describe, expect, it } from 'vitest';
import { hasVisibleText, nicknameKey, normalizeNickname } from '../../shared/nickname.js';

describe('nickname rules', () => {
  it('trims and collapses spaces, keeps emoji and accents', () => {
    expect(normalizeNickname('  Ana   María ')).toEqual({ ok: true, nickname: 'Ana María' });
    expect(normalizeNickname('🐝 bee')).toEqual({ ok: true, nickname: '🐝 bee' });
  });
  it('counts visible characters (graphemes), 1-24', () => {
    expect(normalizeNickname('é'.repeat(24)).ok).toBe(true);
    expect(normalizeNickname('👍🏽'.repeat(24)).ok).toBe(true);
    expect(normalizeNickname('a'.repeat(25)).ok).toBe(false);
    expect(normalizeNickname('').ok).toBe(false);
  });
  it.each([
    ['zero-width space', 'a\u200Bb'],
    ['bidi override', '\u202Eevil'],
    ['control character', 'a\u0007b'],
    ['newline', 'a\nb'],
    ['hangul filler', '\u3164'],
    ['braille blank', '\u2800'],
    ['combining pile-up (zalgo)', 'a\u0301\u0302\u0303\u0304\u0305'],
  ])('rejects %s', (_, name) => {
    expect(normalizeNickname(name).ok).toBe(false);
  });
  it('compares case- and width-insensitively', () => {
    expect(nicknameKey('ANA')).toBe(nicknameKey('ana'));
    expect(nicknameKey('Ａｎａ')).toBe(nicknameKey('ana'));
  });
});

describe('nicknames by grapheme cluster (issue 16)', () => {
  it.each([
    ['a ZWJ profession', '👩‍💻'],
    ['a ZWJ family', '👨‍👩‍👧‍👦'],
    ['a skin-toned ZWJ sequence', '🧑🏽‍🚀'],
    ['a flag', '🇨🇭'],
    ['a subdivision flag (tags)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['a keycap', '1️⃣'],
    ['an emoji with VS16', '❤️ Ana'],
  ])('accepts %s and counts it as one character', (_, name) => {
    const checked = normalizeNickname(name);
    expect(checked).toEqual({ ok: true, nickname: name });
    expect(normalizeNickname(`${'a'.repeat(23)}👩‍💻`).ok).toBe(true);
  });
  it('24 ZWJ emoji fit, 25 do not', () => {
    expect(normalizeNickname('👩‍💻'.repeat(24)).ok).toBe(true);
    expect(normalizeNickname('👩‍💻'.repeat(25)).ok).toBe(false);
  });
  it.each([
    ['a lone high surrogate', 'Ana\uD83D'],
    ['a lone low surrogate', '\uDC69Ben'],
    ['a joiner outside an emoji', 'A\u200DB'],
    ['a lone joiner', '\u200D'],
    ['a variation selector alone', '\uFE0F'],
    ['tag characters after a letter', 'a\u{E0067}\u{E0062}'],
  ])('refuses %s', (_, name) => {
    expect(normalizeNickname(name).ok).toBe(false);
  });
});

describe('visible text in a reason', () => {
  it.each(['\u0007\u0007\u0007', '\u200B\u200B\u200B\u200B', '\u202E\u202D\u2066', '   ', '\uFEFF\uFEFF\uFEFF'])('%j has none', (text) => {
    expect(hasVisibleText(text)).toBe(false);
  });
  it.each(['typo', '42', '→→→', '¿?', '👩‍💻'])('%j has some', (text) => {
    expect(hasVisibleText(text)).toBe(true);
  });
});
