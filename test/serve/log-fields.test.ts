import { describe, expect, it } from 'vitest';
import { loggedError, loggedUrl } from '../../src/serve/log-fields.js';

describe('loggedUrl', () => {
  it.each([
    ['/feed.atom', '/feed.atom'],
    ['/a b', '/a%20b'],
    ['/\u202eevil', '/%202Eevil'],
    ['/\x1b[31mred', '/%1B[31mred'],
    ['/caf\xe9', '/caf%E9'],
    [undefined, ''],
  ])('keeps printable ASCII and percent-encodes the rest: %j', (input, expected) => {
    expect(loggedUrl(input)).toBe(expected);
  });

  it('keeps a 120-character prefix of a long target and counts the rest', () => {
    const logged = loggedUrl(`/articles/${'a'.repeat(14_000)}.html`);
    expect(logged).toBe(`/articles/${'a'.repeat(110)}…(+13895 chars)`);
  });
});

describe('loggedError', () => {
  it('keeps type, code and a message cut to 300 characters', () => {
    const err = Object.assign(new Error(`ENAMETOOLONG: name too long, open '${'a'.repeat(14_000)}'`), { code: 'ENAMETOOLONG' });
    const logged = loggedError(err);
    expect(logged.type).toBe('Error');
    expect(logged.code).toBe('ENAMETOOLONG');
    expect(logged.message.length).toBe(301);
    expect(logged.message.endsWith('…')).toBe(true);
    expect(loggedError('plain')).toEqual({ type: 'Error', message: 'plain' });
  });
});
