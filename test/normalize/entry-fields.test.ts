import { describe, expect, it } from 'vitest';
import { cleanAuthor, cleanCategories, cleanTitle, deriveTitle, DERIVED_TITLE_MAX_CHARS, normalizeDate } from '../../src/normalize/entry-fields.js';
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
