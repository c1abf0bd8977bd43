import { describe, expect, it } from 'vitest';
import { hasControlCharacters, plainText } from './plain-text';

describe('plainText', () => {
  it('leaves printable text alone, accents, quotes and emoji included', () => {
    for (const text of ['Ana’s phone', 'Grow room "B", rack 2', 'Jürgen 🌱', 'pH 5.8 → 6.0', '']) {
      expect(plainText(text)).toBe(text);
      expect(hasControlCharacters(text)).toBe(false);
    }
  });

  it('escapes line breaks, so a name cannot start a log line of its own', () => {
    const forged = 'Ana\n2026-01-01T00:00:00.000Z command: desktop (operator) pump.dose nut_a 500 mL: done';
    expect(plainText(forged)).toBe('Ana\\u000a2026-01-01T00:00:00.000Z command: desktop (operator) pump.dose nut_a 500 mL: done');
    expect(plainText('a\r\nb')).toBe('a\\u000d\\u000ab');
    expect(plainText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
  });

  it('escapes C0 and C1 controls, DEL and the bidi overrides, isolates and marks', () => {
    expect(plainText('\u0000\u0007\u001b[31m\t\u007f\u0085\u009b')).toBe('\\u0000\\u0007\\u001b[31m\\u0009\\u007f\\u0085\\u009b');
    expect(plainText('schedule \u202Eevil\u202C')).toBe('schedule \\u202eevil\\u202c');
    expect(plainText('\u2066x\u2069\u200e\u200f\u061c')).toBe('\\u2066x\\u2069\\u200e\\u200f\\u061c');
    for (const char of ['\n', '\u0085', '\u202e', '\u2067', '\u2028', '\u007f']) expect(hasControlCharacters(`a${char}b`)).toBe(true);
  });

  it('gives the same answer however often it is asked', () => {
    expect([1, 2, 3].map(() => hasControlCharacters('a\nb'))).toEqual([true, true, true]);
  });
});
