/**
 * Sanitizer and size-cap benchmark: CPU time of the one sanitizer policy and of the size caps on
 * hostile inputs, each a line starting `bench-sanitize:`.
 *
 * - a 40 KB style attribute: the conformance runner's feedparser style check, as the regular
 *   expressions it used (quadratic) and as it is now (linear), and feedfold's own sanitizer, which
 *   drops style attributes without reading them;
 * - sanitizer throughput on a real WordPress page and on 1 MB of generated news HTML;
 * - one 9 MB article through normalize (stored cut to limits.maxArticleBytes) and through
 *   publication (cut to feed.maxEntryBytes), and 60 such stories rendered as one feed.
 *
 *   npm run bench:sanitize
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoryView } from '../src/model/story.js';
import { normalizeFeed } from '../src/normalize/normalize-feed.js';
import { renderAtomDocument } from '../src/publish/render-atom.js';
import { sanitizeHtml } from '../src/sanitize/sanitize-html.js';
import { sanitizeStyle } from '../scripts/conformance/feedparser-sanitize.js';
import { referenceSanitizeStyle } from '../test/conformance/feedparser-style-reference.js';
import { META, makeArticle } from '../test/publish/story-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = (line: string): void => { process.stdout.write(`bench-sanitize: ${line}\n`); };
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);

/** Returns the CPU milliseconds `f` takes, the best of `runs` runs (the least disturbed by other tenants). */
function cpuMs(f: () => unknown, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

// 1. The 40 KB style attribute.
const style = `color: red; ${'a'.repeat(40_000)}`;
const styleAttr = `<p style="${style}">x</p>`;
out(`style 40 KB: feedparser check as regular expressions ${cpuMs(() => referenceSanitizeStyle(style), 1).toFixed(0)} ms, linear ${cpuMs(() => sanitizeStyle(style)).toFixed(1)} ms; sanitizeHtml of <p style="40 KB"> ${cpuMs(() => sanitizeHtml(styleAttr)).toFixed(1)} ms`);
const urls = `${'url('.repeat(10_000)}x`;
out(`style of 10,000 "url(": feedparser check as regular expressions ${cpuMs(() => referenceSanitizeStyle(urls), 1).toFixed(0)} ms, linear ${cpuMs(() => sanitizeStyle(urls)).toFixed(1)} ms`);

// 2. Throughput.
const page = readFileSync(path.join(ROOT, 'test', 'fixtures', 'normalize', 'wordpress-post-with-sidebar.html'), 'utf8');
const pageRuns = 200;
const pageMs = cpuMs(() => { for (let i = 0; i < pageRuns; i++) sanitizeHtml(page, 'https://riverside.example/'); }) / pageRuns;
out(`sanitizeHtml, WordPress page of ${(bytes(page) / 1024).toFixed(0)} KiB: ${pageMs.toFixed(2)} ms (${((bytes(page) / 1024 / 1024) / (pageMs / 1000)).toFixed(1)} MB/s)`);
const paragraph = '<p>Dock workers at the <a href="https://port.example/strike?utm_source=rss">port</a> returned &amp; the ships left; <img src="https://img.example/a.jpg" alt="ship" onerror="x()"> Grüße — 😀.</p>\n';
const oneMb = paragraph.repeat(Math.ceil((1024 * 1024) / bytes(paragraph)));
const oneMbMs = cpuMs(() => sanitizeHtml(oneMb, 'https://port.example/'));
out(`sanitizeHtml, 1 MB of news HTML: ${oneMbMs.toFixed(0)} ms (${(bytes(oneMb) / 1024 / 1024 / (oneMbMs / 1000)).toFixed(1)} MB/s)`);

// 3. One 9 MB article, and 60 of them.
const huge = paragraph.repeat(Math.ceil((9 * 1024 * 1024) / bytes(paragraph)));
let stored = makeArticle({ id: 'x', title: 'x' });
const normalizeMs = cpuMs(() => {
  stored = normalizeFeed({ format: 'rss', link: 'https://port.example/', entries: [{ guid: 'huge', link: 'https://port.example/huge', title: 'Huge', content: huge, contentType: 'html' }] }, { id: 'big', kind: 'feed-url', location: 'https://port.example/feed', rank: 0 }, '2025-03-05T12:00:00.000Z').articles[0] ?? stored;
}, 1);
out(`normalize one ${mb(bytes(huge))} MB article: ${normalizeMs.toFixed(0)} ms, stored html ${(bytes(stored.html) / 1024).toFixed(0)} KiB and text ${(bytes(stored.text) / 1024).toFixed(0)} KiB (limits.maxArticleBytes 256 KiB)`);
const story = (i: number): StoryView => ({
  id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  published: '2025-03-05T10:00:00Z',
  updated: '2025-03-05T10:00:00Z',
  // As a store written before the caps may hold it: the whole 9 MB.
  canonical: makeArticle({ id: `huge:${i}`, title: `Huge ${i}`, url: `https://port.example/${i}`, html: huge, text: 'Dock workers returned.' }),
  others: [],
  canonicalReason: 'only version',
  decisions: {},
});
let one = renderAtomDocument(META, [story(0)]);
const oneMs = cpuMs(() => { one = renderAtomDocument(META, [story(0)]); });
out(`render one story of ${mb(bytes(huge))} MB stored HTML: ${oneMs.toFixed(0)} ms, feed ${(bytes(one.xml) / 1024).toFixed(0)} KiB (feed.maxEntryBytes 64 KiB)`);
const sixty = Array.from({ length: 60 }, (_, i) => story(i));
let many = renderAtomDocument(META, sixty);
const manyMs = cpuMs(() => { many = renderAtomDocument(META, sixty); }, 1);
out(`render 60 such stories (${mb(60 * bytes(huge))} MB stored): ${manyMs.toFixed(0)} ms, feed ${mb(bytes(many.xml))} MB, ${many.entries} entries, ${many.cut} cut, ${many.leftOut} left out (feed.maxBytes 10 MiB)`);
