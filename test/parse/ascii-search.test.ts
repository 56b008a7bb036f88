import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/eval/prng.js';
import { indexOfAsciiIgnoringCase } from '../../src/parse/ascii-search.js';

/** The scan from every index (what the function did for every needle), as the definition. */
function definedIndex(text: string, needle: string, from: number): number {
  const lower = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);
  const first = needle.charCodeAt(0);
  const firstUpper = first >= 97 && first <= 122 ? first - 32 : first;
  for (let i = from; i + needle.length <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== first && c !== firstUpper) continue;
    let j = 1;
    while (j < needle.length && lower(text.charCodeAt(i + j)) === needle.charCodeAt(j)) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

describe('indexOfAsciiIgnoringCase', () => {
  it('finds what a scan from every index finds, needles opening with letters or not', () => {
    const rand = mulberry32(20261130);
    const pieces = ['<', '!', '<!', 'doctype', 'DOCTYPE', 'DocType', '&', '&lt;', '&LT;', '&gt;', 'lt', ';', ' ', 'a', 'é', '<!-', '&&', 'body', '<BODY'];
    const needles = ['<!doctype', '&lt;', '&gt;', '<body', '</body>', 'netscape', '&', '<', '!x', '&A', 'A', ''];
    for (let k = 0; k < 3000; k++) {
      let text = '';
      for (let n = Math.floor(rand() * 20); n > 0; n--) text += pieces[Math.floor(rand() * pieces.length)];
      const needle = needles[Math.floor(rand() * needles.length)] as string;
      const from = Math.floor(rand() * (text.length + 4)) - 2;
      expect(indexOfAsciiIgnoringCase(text, needle, from), JSON.stringify([text, needle, from])).toBe(definedIndex(text, needle, from));
    }
  });
});
