import { describe, expect, it } from 'vitest';
import { nicknameKey, normalizeNickname } from '../../shared/nickname.js';

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
