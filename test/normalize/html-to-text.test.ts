import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/normalize/html-to-text.js';

describe('htmlToText', () => {
  it('separates paragraphs and headings by a blank line', () => {
    expect(htmlToText('<h2>Title</h2><p>First.</p><p>Second.</p>')).toBe('Title\n\nFirst.\n\nSecond.');
  });

  it('turns <br> into a line break and two of them into a paragraph break', () => {
    expect(htmlToText('<p>one<br>two<br/><br>three</p>')).toBe('one\ntwo\n\nthree');
  });

  it('puts one list item per line', () => {
    expect(htmlToText('<p>Steps:</p><ul><li>first</li><li>second <b>bold</b></li></ul><ol><li>x</li></ol>')).toBe('Steps:\n\nfirst\nsecond bold\n\nx');
  });

  it('puts one table row per line with cells separated by spaces', () => {
    expect(htmlToText('<table><tr><th>Team</th><th>Score</th></tr><tr><td>Reds</td><td>3</td></tr></table>')).toBe('Team Score\nReds 3');
  });

  it('decodes named, decimal and hex entities', () => {
    expect(htmlToText('<p>Caf&eacute; &amp; bar &#8211; &#x201C;quoted&#x201D; &lt;tag&gt;</p>')).toBe('Café & bar – “quoted” <tag>');
  });

  it('leaves out scripts, styles, iframes and other non-text elements', () => {
    expect(htmlToText('<p>Kept</p><script>var x = 1;</script><style>p{}</style><iframe>frame</iframe><noscript>ns</noscript><svg><text>s</text></svg>')).toBe('Kept');
  });

  it('collapses whitespace inside paragraphs but keeps words apart across inline tags', () => {
    expect(htmlToText('<p>  many\n   spaces\there <em>and</em><strong>tags</strong> joined</p>')).toBe('many spaces here andtags joined');
    expect(htmlToText('<p>word <em>next</em> word</p>')).toBe('word next word');
  });

  it('keeps line structure inside <pre>', () => {
    expect(htmlToText('<pre>line 1\nline 2</pre>')).toBe('line 1\nline 2');
  });

  it('reads plain text unchanged apart from whitespace', () => {
    expect(htmlToText('Just text, no tags.')).toBe('Just text, no tags.');
  });

  it('skips elements the caller marks while keeping the break they made', () => {
    const text = htmlToText('<p>Before</p><div class="share">Share me</div><p>After</p>', {
      skipElement: (el) => el.attribs['class'] === 'share',
    });
    expect(text).toBe('Before\n\nAfter');
  });
});
