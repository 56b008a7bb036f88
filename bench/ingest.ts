/**
 * Ingest benchmark. Section 1: parse throughput of feedfold's parseFeed (decode + parse + mapping)
 * against feedsmith's bare parseFeed on the same documents in the same run: the shared corpora
 * (gofeed and feedparser test feeds, when ../shared/corpora exists) and a few generated feeds of
 * realistic items. Prints MB/s and items/s for both and the ratio.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseFeed as feedsmithParseFeed } from 'feedsmith';
import { parseFeed } from '../src/parse/parse-feed.js';
import { listFiles } from '../scripts/conformance/suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
/** Minimum measuring time per implementation and document set. */
const MIN_MEASURE_MS = 1500;
const out = (line: string): void => { process.stdout.write(`${line}\n`); };

interface Doc { bytes: Buffer; text: string }
interface Figures { mbPerS: number; itemsPerS: number; failures: number }

// ---------------------------------------------------------------------------------------------
// Section 1: parse throughput
// ---------------------------------------------------------------------------------------------

const WORDS = 'government minister said the report showed prices rising across regions while analysts expected further growth in markets despite concerns over energy supply and local elections'.split(' ');

function sentence(seed: number, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) s += `${WORDS[(seed * 31 + i * 17) % WORDS.length]} `;
  return s.trim();
}

function generatedRss(items: number): string {
  let body = '';
  for (let i = 0; i < items; i++) {
    body += `<item><title>${sentence(i, 9)}</title><link>https://news.example/story/${i}?utm_source=rss&amp;x=1</link>`
      + `<guid isPermaLink="false">story-${i}</guid><pubDate>Mon, 0${(i % 9) + 1} Jan 2025 08:${String(i % 60).padStart(2, '0')}:00 +0100</pubDate>`
      + `<dc:creator>Reporter ${i % 40}</dc:creator><category>World</category><category>Economy</category>`
      + `<description>&lt;p&gt;${sentence(i + 1, 40)}&lt;/p&gt;</description>`
      + `<content:encoded><![CDATA[<p>${sentence(i + 2, 120)}</p><p>${sentence(i + 3, 120)}</p>]]></content:encoded></item>\n`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Generated RSS</title><link>https://news.example/</link>\n${body}</channel></rss>\n`;
}

function generatedAtom(entries: number): string {
  let body = '';
  for (let i = 0; i < entries; i++) {
    body += `<entry><title type="html">${sentence(i, 10)} &amp;amp; more</title><link rel="alternate" href="posts/${i}"/>`
      + `<id>tag:atom.example,2025:${i}</id><published>2025-02-01T10:${String(i % 60).padStart(2, '0')}:00+02:00</published><updated>2025-02-01T11:00:00Z</updated>`
      + `<author><name>Author ${i % 25}</name></author><category term="politics"/>`
      + `<summary>${sentence(i + 5, 30)}</summary><content type="html">&lt;p&gt;${sentence(i + 6, 200)}&lt;/p&gt;</content></entry>\n`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/"><title>Generated Atom</title><id>tag:atom.example,2025:feed</id><updated>2025-02-01T12:00:00Z</updated>\n${body}</feed>\n`;
}

function toDoc(text: string): Doc {
  return { bytes: Buffer.from(text, 'utf8'), text };
}

function corpusDocs(): Doc[] {
  const dirs = [path.join(CORPORA, 'gofeed', 'testdata', 'parser'), path.join(CORPORA, 'feedparser', 'tests')];
  const docs: Doc[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of listFiles(dir, /\.(xml|rdf|json)$/)) {
      if (/_expected\.json$/.test(file) || (file.endsWith('.json') && existsSync(file.replace(/\.json$/, '.xml')))) continue;
      const bytes = readFileSync(file);
      docs.push({ bytes, text: bytes.toString('utf8') });
    }
  }
  return docs;
}

function measure(docs: Doc[], parse: (d: Doc) => number): Figures {
  let bytes = 0;
  let items = 0;
  let failures = 0;
  const start = performance.now();
  let elapsed = 0;
  let round = 0;
  while (elapsed < MIN_MEASURE_MS || round === 0) {
    for (const d of docs) {
      try {
        items += parse(d);
      } catch {
        if (round === 0) failures++;
      }
      bytes += d.bytes.length;
    }
    round++;
    elapsed = performance.now() - start;
  }
  const seconds = elapsed / 1000;
  return { mbPerS: bytes / 1e6 / seconds, itemsPerS: items / seconds, failures };
}

function feedfold(d: Doc): number {
  return parseFeed(d.bytes).entries.length;
}

function feedsmith(d: Doc): number {
  const { feed } = feedsmithParseFeed(d.text) as { feed: { items?: unknown[]; entries?: unknown[] } };
  return feed.items?.length ?? feed.entries?.length ?? 0;
}

function report(name: string, docs: Doc[]): void {
  const size = docs.reduce((n, d) => n + d.bytes.length, 0);
  out(`${name}: ${docs.length} documents, ${(size / 1e6).toFixed(2)} MB`);
  const ours = measure(docs, feedfold);
  const theirs = measure(docs, feedsmith);
  const line = (label: string, f: Figures): string => `  ${label.padEnd(22)} ${f.mbPerS.toFixed(1).padStart(7)} MB/s ${Math.round(f.itemsPerS).toString().padStart(9)} items/s  (${f.failures} rejected)`;
  out(line('feedfold parseFeed', ours));
  out(line('feedsmith parseFeed', theirs));
  out(`  ratio feedfold/feedsmith: ${(ours.mbPerS / theirs.mbPerS).toFixed(2)}x MB/s`);
}

out('== ingest section 1: parse throughput (feedfold decode+parse+map vs feedsmith bare parse)');
const generated = [toDoc(generatedRss(800)), toDoc(generatedAtom(800)), toDoc(generatedRss(200))];
report('generated feeds', generated);
const corpus = corpusDocs();
if (corpus.length) report('shared corpora (gofeed + feedparser)', corpus);
else out(`shared corpora: ${CORPORA} is absent; corpus part skipped`);

// ---------------------------------------------------------------------------------------------
// Section 2 (appended by the lead): 1,000 feeds over loopback.
// ---------------------------------------------------------------------------------------------
