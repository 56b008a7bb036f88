import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/eval/prng.js';
import { countWords } from '../../src/normalize/clean-text.js';
import { endsWithCutMarker } from '../../src/normalize/truncation.js';
import { awkwardTexts } from './awkward-text.js';

// The definition: the marker pattern tried on the text's end, whatever that end is.
const CUT_MARKER = new RegExp(
  '(?:(?:…|\\.{3}|\\[\\s*(?:…|\\.{3})\\s*\\]|\\(\\s*more\\s*(?:…|\\.{3})?\\s*\\))' +
    '|(?:^|[\\n.…!?)\\]|–—-]\\s*)(?:read more|read the (?:full|rest of the) (?:story|article|post)|continue reading|keep reading|weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|continua a leggere|lees verder|leia mais)' +
    '(?:[\\s:]+[^.!?\\n]{0,120})?(?:…|\\.{3})?)' +
    '[\\s»›→>]*$',
  'iu',
);

/** Ends that make or nearly make a marker, and the characters around them. */
const ENDS = ['…', '...', '..', '.', '!', '?', '[…]', '[ ... ]', '(more…)', '( more )', 'Read more', 'READ MORE: the rest!', 'Continue reading', 'lire la suite', 'Weiterlesen', 'leer más', 'read the full story', ': Port strike ends', ' »', ' →', '>', '›', '\u00a0', ' ', '\n', 'x', ')', ']', '-', '—', '?!', '.!', '!...', 'word', '😀', '\ud800'];

function markerTexts(count: number): string[] {
  const rand = mulberry32(7);
  const bodies = awkwardTexts(count, 12, 11);
  return bodies.map((body) => {
    let text = body;
    const ends = Math.floor(rand() * 5);
    for (let i = 0; i < ends; i++) text += ENDS[Math.floor(rand() * ENDS.length)];
    return text;
  });
}

describe('endsWithCutMarker', () => {
  it('gives what the marker pattern gives on the end of the text (generated)', () => {
    let markers = 0;
    for (const text of [...markerTexts(20000), `${'word '.repeat(100)}Read more...`, `${'word. '.repeat(100)}`]) {
      const expected = CUT_MARKER.test(text.slice(-300).trimEnd());
      if (expected) markers++;
      expect(endsWithCutMarker(text), JSON.stringify(text.slice(-80))).toBe(expected);
    }
    expect(markers).toBeGreaterThan(1000);
  });
});

describe('countWords up to a limit', () => {
  it('gives the count, or the limit when the text has as many words or more', () => {
    const texts = ['', ' ', 'one', ' one two ', 'a\nb\tc\rd', 'x '.repeat(99), 'x '.repeat(100), `${'word '.repeat(150)}end`, '\u00a0a\u00a0b'];
    for (const text of texts) for (const limit of [1, 3, 100, Infinity]) expect(countWords(text, limit), JSON.stringify([text, limit])).toBe(Math.min(countWords(text), limit));
  });
});
