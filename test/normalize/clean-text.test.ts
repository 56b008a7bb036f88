import { describe, expect, it } from 'vitest';
import { collapseWhitespace, collapseWhitespaceRuns, hasNormalSpacing, normalizeLine, normalizeText } from '../../src/normalize/clean-text.js';
import { contentHash, shortHash, textForHash } from '../../src/normalize/text-hash.js';
import { mulberry32 } from '../../scripts/eval/prng.js';
import { awkwardTexts } from './awkward-text.js';

// The definitions, as the regular expressions they were before the one-pass versions: each output must be theirs.
function definedNormalizeText(text: string): string {
  const lines = text
    .normalize('NFKC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function definedNormalizeLine(text: string): string {
  return definedNormalizeText(text.replace(/[\u0080-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')).replace(/\s+/g, ' ');
}

function definedTextForHash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/gu, ' ').trim();
}

/** Texts of ASCII characters only (every one of them), which take the native-pattern paths. */
function asciiTexts(count: number): string[] {
  const rand = mulberry32(42);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(rand() * 30) }, () => String.fromCharCode(rand() < 0.5 ? Math.floor(rand() * 0x80) : ' aZ.,(\n\t'.charCodeAt(Math.floor(rand() * 9)))).join(''));
}

const TEXTS = [...awkwardTexts(3000, 40), ...awkwardTexts(200, 600, 7), ...asciiTexts(3000), '', ' ', '\n', 'plain words. And more\n\nof them', '  padded  ', 'a\r\n\r\n\r\nb', 'x\u200b \u200by'];

describe('the one-pass text functions give what their definitions give', () => {
  it('normalizeText and normalizeLine', () => {
    for (const text of TEXTS) {
      expect(normalizeText(text), JSON.stringify(text)).toBe(definedNormalizeText(text));
      expect(normalizeLine(text), JSON.stringify(text)).toBe(definedNormalizeLine(text));
    }
  });

  it('textForHash', () => {
    for (const text of TEXTS) expect(textForHash(text), JSON.stringify(text)).toBe(definedTextForHash(text));
  });

  it('contentHash, ASCII text hashed as bytes, longer ones than the scratch buffer too', () => {
    const long = asciiTexts(6000).join('. ');
    expect(long.length).toBeGreaterThan(64 * 1024);
    for (const text of [...TEXTS, long, `${long} ${long}`]) expect(contentHash(text), JSON.stringify(text.slice(0, 200))).toBe(shortHash(definedTextForHash(text)));
  });

  it('normalizeText of ASCII texts longer than its scratch buffer', () => {
    const long = asciiTexts(6000).join('. ');
    expect(long.length).toBeGreaterThan(64 * 1024);
    for (const text of [long, long.replace(/[^ -~\n]/g, 'x').replace(/ +/g, ' ').replace(/\n+/g, '\n').trim()]) expect(normalizeText(text)).toBe(definedNormalizeText(text));
  });

  it('collapseWhitespace and collapseWhitespaceRuns', () => {
    for (const text of TEXTS) {
      expect(collapseWhitespaceRuns(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, ' '));
      expect(collapseWhitespace(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });
});

describe('hasNormalSpacing', () => {
  it('holds for what normalizeText returns, and for a text exactly when normalizeText keeps it', () => {
    for (const text of TEXTS) {
      const normal = normalizeText(text);
      expect(hasNormalSpacing(normal), JSON.stringify(normal)).toBe(true);
      if (text === text.normalize('NFKC')) expect(hasNormalSpacing(text), JSON.stringify(text)).toBe(normal === text);
    }
  });

  it('does not hold for a misplaced space or break', () => {
    for (const text of [' a', 'a ', 'a  b', 'a \nb', 'a\n b', 'a\n\n\nb', '\na', 'a\n', 'a\tb', 'a\u00a0b', 'a\u200bb', 'a\r\nb']) expect(hasNormalSpacing(text), JSON.stringify(text)).toBe(false);
    for (const text of ['', 'a', 'a b', 'a\nb', 'a\n\nb', 'é ﬁ']) expect(hasNormalSpacing(text), JSON.stringify(text)).toBe(true);
  });
});
