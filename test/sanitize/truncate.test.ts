import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '../../src/sanitize/sanitize-html.js';
import { fitsBytes, truncateHtml, truncateText, utf8Bytes } from '../../src/sanitize/truncate.js';

// Input, budget in bytes, expected output: cuts fall between tags or at a space, never inside a
// tag, a character reference or a surrogate pair, and every element left open is closed.
const HTML_TABLE: Array<[string, string, number, string]> = [
  ['fits: unchanged', '<p>Short.</p>', 100, '<p>Short.</p>'],
  ['cut at a space, paragraph closed', '<p>Hello world, this is a test.</p>', 20, '<p>Hello world,</p>'],
  ['nested elements closed innermost first', '<p>Hello <b>bold words here</b> and more</p>', 25, '<p>Hello <b>bold</b></p>'],
  ['never inside a character reference', '<p>Fish&amp;chips</p>', 13, '<p>Fish</p>'],
  ['never inside a surrogate pair', '<p>ab😀cd</p>', 11, '<p>ab</p>'],
  ['a whole surrogate pair when it fits', '<p>ab😀cd</p>', 13, '<p>ab😀</p>'],
  ['never inside a tag', '<p><a href="https://example.com/very/long/url">x</a> tail</p>', 20, '<p></p>'],
  ['between blocks', '<p>one</p><p>two</p><p>three</p>', 22, '<p>one</p><p>two</p>'],
  ['implied end tags', '<ul><li>a<li>b<li>c</ul>', 20, '<ul><li>a</li></ul>'],
  ['void elements need no end tag', '<p>x<br>y<img src="a">z</p>', 14, '<p>x<br>y</p>'],
  ['a comment whole or not at all', '<p>a<!-- long comment here -->b</p>', 12, '<p>a</p>'],
  ['text without tags', 'text only without tags here', 10, 'text only'],
  ['multi-byte characters counted in bytes', '<p>Grüße aus Köln</p>', 14, '<p>Grüße</p>'],
];

const TEXT_TABLE: Array<[string, string, number, string]> = [
  ['fits: unchanged', 'short', 10, 'short'],
  ['cut at a space with an ellipsis', 'Hello world again', 12, 'Hello…'],
  ['never inside a surrogate pair', 'a😀b', 5, 'a…'],
  ['multi-byte characters counted in bytes', 'Grüße', 6, 'Gr…'],
];

describe('truncateHtml', () => {
  for (const [name, input, maxBytes, expected] of HTML_TABLE) {
    it(name, () => {
      const out = truncateHtml(input, maxBytes);
      expect(out.value).toBe(expected);
      expect(out.cut).toBe(expected !== input);
      expect(utf8Bytes(out.value)).toBeLessThanOrEqual(maxBytes);
    });
  }

  it('reads a 9 MB fragment only as far as the cut', () => {
    const huge = `<p>${'word '.repeat(1_900_000)}</p>`;
    const out = truncateHtml(huge, 64 * 1024);
    expect(out.cut).toBe(true);
    expect(utf8Bytes(out.value)).toBeLessThanOrEqual(64 * 1024);
    expect(out.value.endsWith('word</p>')).toBe(true);
  });

  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const textOf = (html: string): string => DomUtils.textContent(parseDocument(html).children).replace(/\s+/g, ' ').trim();
  const fragment = fc.array(
    fc.oneof(
      fc.constantFrom('<p>', '</p>', '<b>', '</b>', '<a href="https://e.example/?a=1&amp;b=2">', '</a>', '<br>', '<img src="https://e.example/i.jpg" alt="x">', '<ul><li>', '</li></ul>', '&amp;', '&lt;', '&#x1F600;', ' ', '\n'),
      fc.string({ unit: 'binary', maxLength: 12 }),
    ),
    { maxLength: 40 },
  );

  it('keeps sanitized HTML within the budget, a prefix of its text, closed and whole (generated)', () => {
    fc.assert(
      fc.property(fragment, fc.integer({ min: 0, max: 400 }), (parts, maxBytes) => {
        const html = sanitizeHtml(parts.join(''));
        const out = truncateHtml(html, maxBytes);
        expect(utf8Bytes(out.value)).toBeLessThanOrEqual(Math.max(maxBytes, out.cut ? 0 : utf8Bytes(html)));
        if (!out.cut) return;
        expect(LONE_SURROGATE.test(out.value) && !LONE_SURROGATE.test(html)).toBe(false);
        // What a reader sees of the cut is the start of what it would see of the whole.
        expect(textOf(html).startsWith(textOf(out.value))).toBe(true);
        // Every element opened is closed: serializing the parsed cut gives the cut back.
        expect(DomUtils.getOuterHTML(parseDocument(out.value, { decodeEntities: false }).children, { decodeEntities: false, selfClosingTags: true })).toBe(out.value);
      }),
      { numRuns: 2000, seed: 4287 },
    );
  });
});

describe('truncateText', () => {
  for (const [name, input, maxBytes, expected] of TEXT_TABLE) {
    it(name, () => {
      const out = truncateText(input, maxBytes);
      expect(out.value).toBe(expected);
      expect(out.cut).toBe(expected !== input);
      expect(utf8Bytes(out.value)).toBeLessThanOrEqual(maxBytes);
    });
  }
});

describe('fitsBytes', () => {
  it('agrees with the counted UTF-8 bytes, lone surrogate halves included (generated)', () => {
    const units = fc.constantFrom('a', ' ', 'é', 'ß', '€', '中', '😀', '\ud800', '\udc00', '\u0000');
    fc.assert(
      fc.property(fc.array(units, { maxLength: 40 }), fc.integer({ min: -1, max: 130 }), (parts, maxBytes) => {
        const text = parts.join('');
        expect(fitsBytes(text, maxBytes)).toBe(utf8Bytes(text) <= maxBytes);
      }),
      { numRuns: 3000 },
    );
  });
});
