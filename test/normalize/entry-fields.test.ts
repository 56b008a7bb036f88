import { describe, expect, it } from 'vitest';
import { cleanAuthor, cleanCategories, cleanTitle, deriveTitle, DERIVED_TITLE_MAX_CHARS, isCanonicalIso, normalizeDate } from '../../src/normalize/entry-fields.js';
import { contentHash, shortHash, textForHash } from '../../src/normalize/text-hash.js';

describe('cleanTitle', () => {
  it('strips markup, decodes entities and collapses whitespace', () => {
    expect(cleanTitle('  <b>Port</b> strike &#8211; day&nbsp;3\n ends ')).toBe('Port strike – day 3 ends');
    expect(cleanTitle('AT&T profits rise')).toBe('AT&T profits rise');
    expect(cleanTitle(undefined)).toBe('');
  });
});

describe('deriveTitle', () => {
  it('takes the first sentence when it is short', () => {
    expect(deriveTitle('\nThe port reopened. Ships are moving again.')).toBe('The port reopened.');
  });

  it('cuts a long first line at a word boundary with an ellipsis', () => {
    const long = 'Dock workers at the country’s largest container port returned to work on Monday after their union accepted a pay offer that raises wages';
    const title = deriveTitle(long);
    expect(title.length).toBeLessThanOrEqual(DERIVED_TITLE_MAX_CHARS);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(long.charAt(title.length - 1)).toBe(' ');
  });
});

describe('cleanAuthor and cleanCategories', () => {
  it('reads the RSS "email (Name)" form and drops empties', () => {
    expect(cleanAuthor('jane@example.com (Jane Doe)')).toBe('Jane Doe');
    expect(cleanAuthor(' Jane  Doe ')).toBe('Jane Doe');
    expect(cleanAuthor('   ')).toBeUndefined();
    expect(cleanAuthor('noreply@blogger.com')).toBeUndefined();
  });

  it('keeps categories in order without empties or case-insensitive repeats', () => {
    expect(cleanCategories(['World', ' world ', '', 'Europe &amp; Asia'])).toEqual(['World', 'Europe & Asia']);
  });
});

describe('normalizeDate', () => {
  it('returns ISO 8601 UTC for a parsed date and for a raw RFC 822 date', () => {
    expect(normalizeDate('2025-03-04T11:12:00+01:00', undefined)).toBe('2025-03-04T10:12:00.000Z');
    expect(normalizeDate(undefined, 'Tue, 04 Mar 2025 10:12:00 GMT')).toBe('2025-03-04T10:12:00.000Z');
  });

  it('returns undefined for garbage, year-less strings and implausible years', () => {
    expect(normalizeDate('garbage', 'also garbage')).toBeUndefined();
    expect(normalizeDate(undefined, '2')).toBeUndefined();
    expect(normalizeDate('0001-01-01T00:00:00Z', undefined)).toBeUndefined();
  });

  it('gives a date already in toISOString form what parsing and writing it again gives', () => {
    // The reference: the date parsed and written again, years 1970–2100.
    const reference = (value: string): string | undefined => {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) return undefined;
      const year = new Date(ms).getUTCFullYear();
      return year >= 1970 && year <= 2100 ? new Date(ms).toISOString() : undefined;
    };
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const years = [1969, 1970, 1999, 2000, 2023, 2024, 2100, 2101, 1900];
    const months = [0, 1, 2, 4, 12, 13];
    const days = [0, 1, 28, 29, 30, 31, 32];
    const times = [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60], [99, 99, 99]];
    let canonical = 0;
    for (const y of years) {
      for (const mo of months) {
        for (const d of days) {
          for (const [h, mi, s] of times as [number, number, number][]) {
            const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad((y + d) % 1000, 3)}Z`;
            const expected = reference(value);
            if (isCanonicalIso(value)) {
              canonical++;
              expect(expected).toBe(value);
            }
            expect(normalizeDate(value, undefined)).toBe(expected);
          }
        }
      }
    }
    expect(canonical).toBeGreaterThan(100);
    for (const odd of ['2025-03-04T10:12:00.000z', '2025-03-04 10:12:00.000Z', '+02025-03-04T10:12:00.000Z', '2025-3-04T10:12:00.000Z', '2025-03-04T10:12:00.0a0Z']) {
      expect(isCanonicalIso(odd)).toBe(false);
      expect(normalizeDate(odd, undefined)).toBe(reference(odd));
    }
  });
});

describe('text hashes', () => {
  it('are short sha256 hex prefixes, equal for equal input', () => {
    expect(shortHash('abc')).toBe('ba7816bf8f01cfea');
    expect(shortHash('abc', 8)).toBe('ba7816bf');
  });

  it('ignore case, punctuation, typographic quotes and spacing in content hashes', () => {
    expect(textForHash('  “Hello,”  World — again! ')).toBe('hello world again');
    expect(contentHash('Hello, World!')).toBe(contentHash('hello world'));
    expect(contentHash('Hello, World!')).not.toBe(contentHash('Hello, Word!'));
  });
});
