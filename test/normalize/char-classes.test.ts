import { describe, expect, it } from 'vitest';
import { codePointAt, COUNTED_SCRIPTS, countLetters, isLetterOrMark, isPunctuationOrSymbol } from '../../src/normalize/char-classes.js';
import { awkwardTexts } from './awkward-text.js';

describe('countLetters counts what the patterns match', () => {
  it('letters and each script, on texts of every script and surrogate', () => {
    for (const text of awkwardTexts(400, 200)) {
      const counts = countLetters(text);
      expect(counts.letters, JSON.stringify(text)).toBe(text.match(/\p{L}/gu)?.length ?? 0);
      COUNTED_SCRIPTS.forEach((script, index) => {
        expect(counts.byScript[index], `${script} in ${JSON.stringify(text)}`).toBe(text.match(new RegExp(`\\p{Script=${script}}`, 'gu'))?.length ?? 0);
      });
    }
  });
});

describe('code point classes', () => {
  it('match `\\p{L}\\p{M}` and `\\p{P}\\p{S}` on every BMP character and a sample of the others', () => {
    for (let codePoint = 0; codePoint < 0x30000; codePoint += codePoint < 0x10000 ? 1 : 7) {
      const chars = String.fromCodePoint(codePoint);
      expect(isLetterOrMark(codePoint), codePoint.toString(16)).toBe(/^[\p{L}\p{M}]$/u.test(chars));
      expect(isPunctuationOrSymbol(codePoint), codePoint.toString(16)).toBe(/^[\p{P}\p{S}]$/u.test(chars));
    }
  });

  it('read a surrogate pair whole and a lone half alone', () => {
    expect(codePointAt('a😀', 1)).toBe(0x1f600);
    expect(codePointAt('\ud800a', 0)).toBe(0xd800);
    expect(codePointAt('\ud800', 0)).toBe(0xd800);
    expect(codePointAt('\udc00\ud800', 0)).toBe(0xdc00);
  });
});
