/**
 * Compares normalizeFeed of this checkout with that of another build, field by field, on every input at hand: each
 * item of each feed under ../shared/corpora (real-feeds, feedparser, gofeed) and test/fixtures, the semeval-dev and
 * UCI dev lines, the seeds and cluster fixtures (as cluster lines and as article files), the labelled variants,
 * generated texts of awkward characters, and `--lines=FILE.jsonl` inputs of `feedfold cluster`. Feeds and generated
 * texts are normalized a second time with a small `maxArticleBytes`, so that every cut path runs too.
 *
 * Usage: npx tsx scripts/compare-normalize.ts [--base=../base/dist] [--lines=FILE.jsonl]… [--show=N]
 * Prints one line per input set and the first differences; exits 1 when anything differs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { RawEntry, RawFeed } from '../src/model/raw-entry.js';
import type { SourceSpec } from '../src/model/source.js';
import { normalizeFeed, type NormalizeOptions, type NormalizeResult } from '../src/normalize/normalize-feed.js';
import { parseArticleFile } from '../src/parse/parse-article-file.js';
import { parseFeed } from '../src/parse/parse-feed.js';
import { deriveSourceId } from '../src/sources/source-specs.js';
import { parseDate } from '../src/parse/parse-date.js';
import { defaultEvalPaths, seedItems, uciItems, variantItems } from './eval/datasets.js';
import type { EvalItem } from './eval/eval-item.js';
import { mulberry32, pick } from './eval/prng.js';

type Normalize = typeof normalizeFeed;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
const NOW = '2025-03-05T12:00:00.000Z';
/** The article size cap of the second pass over feeds and generated texts: small enough to cut many bodies. */
const SMALL_MAX_ARTICLE_BYTES = 1500;
/** Generated texts compared. */
const GENERATED_TEXTS = 4000;

const args = process.argv.slice(2);
const arg = (name: string): string[] => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const baseDir = path.resolve(arg('base')[0] ?? path.resolve(ROOT, '..', 'base', 'dist'));
const show = Number(arg('show')[0] ?? 5);
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** One normalization to run with both builds. */
interface Case {
  label: string;
  feed: RawFeed;
  spec: SourceSpec;
  now: string;
  options?: NormalizeOptions;
}

/** Differences seen in one input set: counts by field, and the first few in full. */
interface Tally {
  cases: number;
  articles: number;
  differing: number;
  fields: Map<string, number>;
  examples: string[];
}

/** What a result is compared as: every article field, the errors' kinds and messages, the feed title. */
function comparable(result: NormalizeResult): { articles: Record<string, unknown>[]; errors: string[]; feedTitle?: string } {
  return {
    articles: result.articles.map((a) => JSON.parse(JSON.stringify(a)) as Record<string, unknown>),
    errors: result.errors.map((e) => `${e.kind} ${e.message}`),
    ...(result.feedTitle !== undefined ? { feedTitle: result.feedTitle } : {}),
  };
}

function run(normalize: Normalize, c: Case): ReturnType<typeof comparable> | { thrown: string } {
  try {
    // Each build gets its own copy: nothing one does to the entries can reach the other.
    return comparable(normalize(structuredClone(c.feed), c.spec, c.now, c.options));
  } catch (err) {
    return { thrown: String(err) };
  }
}

function clip(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function compare(tally: Tally, c: Case, ours: Normalize, base: Normalize): void {
  tally.cases++;
  const a = run(base, c);
  const b = run(ours, c);
  if ('articles' in a) tally.articles += a.articles.length;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  tally.differing++;
  const note = (field: string, before: unknown, after: unknown): void => {
    tally.fields.set(field, (tally.fields.get(field) ?? 0) + 1);
    if (tally.examples.length < show) tally.examples.push(`${c.label} ${field}\n    before ${clip(before)}\n    after  ${clip(after)}`);
  };
  if (!('articles' in a) || !('articles' in b)) return note('thrown', a, b);
  if (a.articles.length !== b.articles.length) note('articles.length', a.articles.length, b.articles.length);
  a.articles.forEach((before, i) => {
    const after = b.articles[i] ?? {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) note(`article.${key}`, before[key], after[key]);
    }
  });
  if (JSON.stringify(a.errors) !== JSON.stringify(b.errors)) note('errors', a.errors, b.errors);
  if (a.feedTitle !== b.feedTitle) note('feedTitle', a.feedTitle, b.feedTitle);
}

function report(name: string, tally: Tally): boolean {
  const fields = [...tally.fields].map(([f, n]) => `${f}=${n}`).join(' ');
  out(`${name}: cases=${tally.cases} articles=${tally.articles} differing_cases=${tally.differing}${fields ? ` ${fields}` : ''}`);
  for (const example of tally.examples) out(`  ${example}`);
  return tally.differing === 0;
}

function walkFiles(dir: string, re: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) files.push(...walkFiles(file, re));
    else if (re.test(name)) files.push(file);
  }
  return files;
}

/** Every document under the feed folders that parses as a feed, as normalization cases. */
function feedCases(options?: NormalizeOptions): Case[] {
  const dirs = [path.join(CORPORA, 'real-feeds'), path.join(CORPORA, 'feedparser'), path.join(CORPORA, 'gofeed'), path.join(ROOT, 'test', 'fixtures')];
  const cases: Case[] = [];
  for (const file of dirs.flatMap((dir) => walkFiles(dir, /\.(xml|rss|atom|rdf|json|html?|feed)$/i))) {
    if (file.endsWith('_expected.json')) continue;
    let feed: RawFeed;
    try {
      feed = parseFeed(readFileSync(file));
    } catch {
      continue;
    }
    const location = `https://feeds.example/${path.relative(path.dirname(ROOT), file)}`;
    const spec: SourceSpec = { id: deriveSourceId(location), kind: 'feed-url', location, rank: 0 };
    cases.push({ label: path.relative(path.dirname(ROOT), file), feed, spec, now: NOW, ...(options ? { options } : {}) });
  }
  return cases;
}

/** One line of `feedfold cluster --in` as the command normalizes it: a feed of one entry, its own source. */
function clusterLineCase(line: EvalItem, label: string): Case {
  const published = line.published === undefined ? undefined : parseDate(String(line.published));
  const html = (line as { html?: string }).html;
  const entry: RawEntry = {
    guid: String(line.id),
    title: line.title,
    ...(html !== undefined ? { content: html, contentType: 'html' as const } : line.text !== undefined ? { content: line.text, contentType: 'text' as const } : {}),
    ...(line.url ? { link: line.url } : {}),
    ...(published ? { published } : {}),
    ...(line.lang ? { language: line.lang } : {}),
  };
  const source = line.source ?? `line:${line.id}`;
  const spec: SourceSpec = { id: deriveSourceId(`batch:${source}`), kind: 'feed-url', location: `batch:${source}`, title: source, rank: 0 };
  return { label, feed: { format: 'json', title: source, entries: [entry] }, spec, now: published ?? NOW };
}

function jsonLines(file: string): EvalItem[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EvalItem);
}

/** Article files (seeds, cluster fixtures) read as an article-dir source reads them. */
function articleFileCases(): Case[] {
  const files = [...walkFiles(path.join(ROOT, 'seeds'), /\.(txt|html?)$/), ...walkFiles(path.join(ROOT, 'test', 'fixtures'), /\.(txt|html?)$/)];
  return files.map((file) => {
    const location = path.dirname(file);
    const spec: SourceSpec = { id: deriveSourceId(location), kind: 'article-dir', location, rank: 0 };
    return { label: path.relative(ROOT, file), feed: { format: 'json', entries: [parseArticleFile(readFileSync(file, 'utf8'), path.basename(file))] }, spec, now: NOW };
  });
}

/** Pieces of generated text: words of several scripts, every kind of space and break, characters NFKC changes, controls. */
const PIECES = [
  'the', 'and', 'of', 'der', 'die', 'und', 'le', 'la', 'les', 'el', 'los', 'il', 'het', 'een', 'o', 'os', 'reportedly', 'council', 'minister',
  'Straße', 'Ärger', 'über', 'niño', '¿qué', 'ação', 'œuvre', 'être', 'città', 'però', 'İstanbul', 'ıspanak', 'ΣΟΦΙΑ', 'σοφός', 'Москва', 'Київ',
  'новости', 'مرحبا', 'שלום', '東京', '北京市', 'ひらがな', 'カタカナ', '한국어', 'नमस्ते', 'বাংলা', 'ਪੰਜਾਬੀ', 'தமிழ்', 'ไทย', 'ქართული', 'Հայերեն',
  'ﬁnance', 'Ｆｕｌｌ', '①', '½', 'Ⅻ', 'K', 'Å', 'ſtraße', 'e\u0301', 'A\u030a', '𝐁𝐨𝐥𝐝', '𠀋', '😀', '\ud800', '\udc00', 'don’t', "it's", 'O’Neil',
  'cookie', 'We use cookies', 'Subscribe to our newsletter', 'Sign up now', 'Copyright 2024', '© 2025 Example', 'All rights reserved',
  'Read more', 'Continue reading →', 'Related:', 'By Jane Doe', 'Photo: AP', '(AP)', 'March 1, 2025', 'Share this', '…', '...', '[…]',
  '42', '3.5', '$100', '—', '–', '-', '"', '“', '”', '«', '»', '!', '?', '.', ',', ';', ':', '#', '&amp;', '<b>', '</b>', '<p>', '</p>', '<br>',
  ' ', ' ', ' ', ' ', '  ', '\t', '\u00a0', '\u2002', '\u2009', '\u200a', '\u3000', '\u202f', '\u205f', '\u1680', '\ufeff', '\u200b', '\u200c', '\u200d',
  '\u2060', '\u00ad', '\n', '\n', '\n\n', '\n\n\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0001', '\u001f', '\u007f', '\u0080',
  '\u0090', '\u061c', '\u200e', '\u202e', '\u2066', '\u0000',
];
const LANG_TAGS = [undefined, 'en', 'en-US', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ru', 'uk', 'sr', 'ja', 'ko', 'zh', 'el', 'ar', 'he', 'hi', 'th', 'pl', 'xx', 'eng', 'deu'];

function generatedText(rand: () => number, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) {
    parts.push(pick(rand, PIECES));
    if (rand() < 0.7) parts.push(' ');
  }
  return parts.join('');
}

/** Generated entries of awkward text, one per feed, each as text, HTML or undeclared, with assorted language tags. */
function generatedCases(options?: NormalizeOptions): Case[] {
  const rand = mulberry32(20250305);
  const cases: Case[] = [];
  for (let i = 0; i < GENERATED_TEXTS; i++) {
    const words = Math.floor(rand() ** 2 * 900) + 1;
    const body = generatedText(rand, words);
    const kind = Math.floor(rand() * 3);
    const lang = pick(rand, LANG_TAGS);
    const entry: RawEntry = {
      guid: `g${i}`,
      title: generatedText(rand, Math.floor(rand() * 14)),
      content: body,
      ...(kind === 0 ? { contentType: 'text' as const } : kind === 1 ? { contentType: 'html' as const } : {}),
      ...(lang !== undefined ? { language: lang } : {}),
    };
    const location = `https://gen.example/${i % 7}`;
    cases.push({ label: `generated#${i}`, feed: { format: 'json', entries: [entry] }, spec: { id: deriveSourceId(location), kind: 'feed-url', location, rank: 0 }, now: NOW, ...(options ? { options } : {}) });
  }
  // Several items of one source: template lines found across them.
  for (let i = 0; i < 200; i++) {
    const template = generatedText(rand, 6);
    const entries: RawEntry[] = Array.from({ length: 1 + (i % 9) }, (_, j) => ({ guid: `t${i}-${j}`, title: generatedText(rand, 5), content: `${template}\n\n${generatedText(rand, 80)}\n\n${rand() < 0.5 ? template : ''}`, contentType: 'text' }));
    const location = `https://gen.example/t${i}`;
    cases.push({ label: `generated-feed#${i}`, feed: { format: 'json', entries }, spec: { id: deriveSourceId(location), kind: 'feed-url', location, rank: 0 }, now: NOW, ...(options ? { options } : {}) });
  }
  return cases;
}

async function main(): Promise<void> {
  const baseModule = (await import(pathToFileURL(path.join(baseDir, 'normalize', 'normalize-feed.js')).href)) as { normalizeFeed: Normalize };
  const base = baseModule.normalizeFeed;
  const paths = defaultEvalPaths(ROOT);
  const sets: [string, () => Case[]][] = [
    ['feeds', () => feedCases()],
    [`feeds maxArticleBytes=${SMALL_MAX_ARTICLE_BYTES}`, () => feedCases({ maxArticleBytes: SMALL_MAX_ARTICLE_BYTES })],
    ['semeval-dev', () => walkFiles(path.join(CORPORA, 'semeval-dev'), /\.jsonl$/).flatMap((f) => jsonLines(f).map((l, i) => clusterLineCase(l, `${path.basename(f)}:${i + 1}`)))],
    ['uci-news-dev', () => (uciItems(paths) ?? []).map((l) => clusterLineCase(l, l.id))],
    ['seeds and fixtures as lines', () => seedItems(paths).map((l) => clusterLineCase(l, l.id))],
    ['variants', () => variantItems(paths).map((l) => clusterLineCase(l, l.id))],
    ['article files', articleFileCases],
    ['generated', () => generatedCases()],
    [`generated maxArticleBytes=${SMALL_MAX_ARTICLE_BYTES}`, () => generatedCases({ maxArticleBytes: SMALL_MAX_ARTICLE_BYTES })],
    ...arg('lines').map((file): [string, () => Case[]] => [path.basename(file), () => jsonLines(file).map((l, i) => clusterLineCase(l, `${path.basename(file)}:${i + 1}`))]),
  ];
  let same = true;
  out(`compare-normalize: base ${baseDir}`);
  for (const [name, cases] of sets) {
    const tally: Tally = { cases: 0, articles: 0, differing: 0, fields: new Map(), examples: [] };
    for (const c of cases()) compare(tally, c, normalizeFeed, base);
    same = report(name, tally) && same;
  }
  out(same ? 'compare-normalize: identical' : 'compare-normalize: DIFFERENT');
  process.exitCode = same ? 0 : 1;
}

await main();
