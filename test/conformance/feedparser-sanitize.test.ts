import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedparserSanitize, sanitizeStyle } from '../../scripts/conformance/feedparser-sanitize.js';
import { referenceSanitizeStyle } from './feedparser-style-reference.js';

describe('feedparserSanitize (the conformance runner\'s copy of feedparser\'s sanitizer)', () => {
  it('drops script, style and applet with their content, keeps the text around them', () => {
    expect(feedparserSanitize('safe<script>alert(1)</script> <style>p{}</style>text')).toBe('safe text');
  });

  it('drops event handlers and unknown elements, keeps allowed markup', () => {
    expect(feedparserSanitize('<p onclick="x()" class="a">Hi <blink>there</blink><iframe src="//evil"></iframe></p>')).toBe('<p class="a">Hi there</p>');
  });

  it('neutralises javascript: and obfuscated schemes in URL attributes', () => {
    expect(feedparserSanitize('<a href="javascript:alert(1)">x</a>')).toBe('<a href="">x</a>');
    expect(feedparserSanitize('<a href="java\tscript:alert(1)">x</a>')).toBe('<a href="">x</a>');
    expect(feedparserSanitize('<img src="http://img.example/a.png" />')).toBe('<img src="http://img.example/a.png" />');
  });

  it('keeps harmless CSS and drops url() and unknown properties', () => {
    expect(feedparserSanitize('<span style="color: red; position: absolute">x</span>')).toBe('<span style="color: red;">x</span>');
    expect(feedparserSanitize('<span style="background: url(http://t.example/x.gif)">x</span>')).toBe('<span>x</span>');
  });
});

describe('sanitizeStyle', () => {
  const table: Array<[string, string]> = [
    ['color: red', 'color: red;'],
    ['color: red; position: absolute', 'color: red;'],
    ['background: url(http://t.example/x.gif)', ''],
    ['background: url( http://t.example/x.gif ) red', 'background: red;'],
    ['margin: 0 auto; padding: 1px 2px', 'margin: 0 auto; padding: 1px 2px;'],
    ['border-top-color: #fff', 'border-top-color: #fff;'],
    ['width: expression(alert(1))', ''],
    ["font-family: 'Times New Roman'", "font-family: 'Times New Roman';"],
    ['color red', ''],
    ['a-b-c: red', ''],
    ['', ''],
  ];
  for (const [style, expected] of table) {
    it(`reads ${JSON.stringify(style)} as feedparser does`, () => {
      expect(sanitizeStyle(style)).toBe(expected);
      expect(referenceSanitizeStyle(style)).toBe(expected);
    });
  }

  it('agrees with the regular-expression form on generated styles', () => {
    const pieces = ['color', 'background', 'margin-left', 'border', 'url', '(', ')', ':', ';', ' ', '-', 'a', '1', '#f0', 'px', "'", '"', ',', '!important', 'red', 'rgb(1,2,3)', '_', '\t', 'x-y', 'url(a)', 'expression'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const style = parts.join('');
        expect(sanitizeStyle(style)).toBe(referenceSanitizeStyle(style));
      }),
      { numRuns: 3000, seed: 20250305 },
    );
  });

  it('reads a 40 KB style attribute (the input that made the regular-expression form quadratic)', () => {
    const style = `color: red; ${'a'.repeat(40_000)}`;
    expect(sanitizeStyle(style)).toBe('');
    expect(sanitizeStyle(`${'url('.repeat(10_000)}x`)).toBe('');
  });
});
