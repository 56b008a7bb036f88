import { describe, expect, it } from 'vitest';
import { acceptsGzip, ifNoneMatchMatches, notModifiedSince } from '../../src/serve/conditional.js';

const CURRENT = ['"abc"', '"abc-gz"'];

describe('ifNoneMatchMatches (RFC 9110 §13.1.2, weak comparison)', () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc-gz"', true],
    ['"x",W/"abc"', true],
    ['*', true],
    [' * ', true],
    ['"abcd"', false],
    ['abc', false],
    ['"x", "y"', false],
    ['', false],
  ])('%j → %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, CURRENT)).toBe(expected);
  });

  it('reads a tag containing a comma as one tag', () => {
    expect(ifNoneMatchMatches('"a,b"', ['"a,b"'])).toBe(true);
    expect(ifNoneMatchMatches('"a,b"', ['"a"'])).toBe(false);
  });
});

describe('notModifiedSince (RFC 9110 §13.1.3)', () => {
  const mtime = Date.parse('2025-03-01T10:00:00.750Z');
  it.each([
    ['Sat, 01 Mar 2025 10:00:00 GMT', true],
    ['Sat, 01 Mar 2025 11:00:00 GMT', true],
    ['Sat, 01 Mar 2025 09:59:59 GMT', false],
    ['not a date', false],
  ])('%s → %s', (header, expected) => {
    expect(notModifiedSince(header, mtime)).toBe(expected);
  });
});

describe('acceptsGzip (RFC 9110 §12.5.3)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip;q=0.0, *', false],
    ['*', true],
    ['*;q=0', false],
    ['br, identity', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
