import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DERIVED_TITLE_MAX_CHARS, parseArticleFile } from '../../src/parse/parse-article-file.js';
import { ROOT } from '../helpers/paths.js';

const SEEDS = path.join(ROOT, 'seeds');
const seed = (prefix: string) => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix)) as string;
  return parseArticleFile(readFileSync(path.join(SEEDS, name), 'utf8'), name);
};

describe('parseArticleFile on the bundled seeds', () => {
  it('gives every seed a sensible title, text content and no guid', () => {
    for (const name of readdirSync(SEEDS).filter((f) => f.endsWith('.txt'))) {
      const e = parseArticleFile(readFileSync(path.join(SEEDS, name), 'utf8'), name);
      expect(e.title, name).toMatch(/Basinger|Baldwin/);
      expect(e.title!.length, name).toBeLessThanOrEqual(200);
      expect(e.contentType).toBe('text');
      expect(e.guid).toBeUndefined();
      expect(e.content!.length, name).toBeGreaterThan(500);
      expect(e.content, name).not.toMatch(/^\s*date /);
    }
  });

  it('reads the date prefix and derives a title from the first sentence (000)', () => {
    const e = seed('000');
    expect(e.published).toBe('2025-03-01T00:00:00.000Z');
    expect(e.title).toBe('Kim Basinger is opening up about her relationship with Alec Baldwin.');
    expect(e.titleDerived).toBe(true);
  });

  it('takes the headline line, not the sub-headline (001)', () => {
    const e = seed('001');
    expect(e.title).toBe('Kim Basinger reflects on current relationship with ex-husband Alec Baldwin');
    expect(e.titleDerived).toBeUndefined();
    expect(e.content).toMatch(/^Kim Basinger talks about relationship/);
  });

  it('skips the site name, keeps the quoted headline and dates it from the byline (002)', () => {
    const e = seed('002');
    expect(e.title).not.toMatch(/News Life/);
    expect(e.title).toMatch(/^Kim Basinger Opens Up in Rare Interview/);
    expect(e.title).not.toMatch(/Viet$/);
    expect(e.published).toBe('2025-03-01T00:00:00.000Z');
  });

  it('reads a year-month date and cuts a long German first sentence on a word boundary (003)', () => {
    const e = seed('003');
    expect(e.published).toBe('2025-03-01T00:00:00.000Z');
    expect(e.publishedRaw).toBe('2025-03');
    expect(e.title).toMatch(/^Kim Basinger \(71\) und Alec Baldwin \(66\) galten einst/);
    expect(e.title!.length).toBeLessThanOrEqual(DERIVED_TITLE_MAX_CHARS);
    expect(e.title).toMatch(/\p{L}…$/u);
  });

  it('reads date and derived title of 004', () => {
    const e = seed('004');
    expect(e.published).toBe('2025-03-04T00:00:00.000Z');
    expect(e.title!.startsWith('Alec Baldwin regrets how his divorce')).toBe(true);
  });

  it('reads an HTML article: h1 over title, body as html, meta date', () => {
    const html = '<html><head><title>Site | Story</title><meta property="article:published_time" content="2025-03-02T10:00:00Z"></head><body><h1>The story</h1><p>Text &amp; more.</p><script>x()</script></body></html>';
    const e = parseArticleFile(html, 'story.html');
    expect(e).toMatchObject({ title: 'The story', contentType: 'html', published: '2025-03-02T10:00:00.000Z' });
    // The body as written: its script is left out of the text when normalized, and out of what is published.
    expect(e.content).toBe('<h1>The story</h1><p>Text &amp; more.</p><script>x()</script>');
  });
});
