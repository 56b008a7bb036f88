import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FeedfoldError } from '../../src/model/errors.js';
import type { RawEntry, RawFeed } from '../../src/model/raw-entry.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { htmlToText } from '../../src/parse/text-construct.js';
import { listFiles, type SuiteResult } from './suite.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Runs gofeed's parser fixtures: each feed file beside a golden JSON is one case, comparing the fields feedfold models. */
export function runGofeed(dir: string): SuiteResult {
  const result: SuiteResult = { tried: 0, passed: 0, total: 0, categories: {}, leftOut: {}, failures: [] };
  for (const file of listFiles(dir, /\.(xml|json)$/)) {
    if (file.endsWith('.json') && (existsSync(file.replace(/\.json$/, '.xml')) || /_expected\.json$/.test(file))) continue;
    result.total++;
    const category = path.relative(dir, file).split(path.sep)[0] as string;
    const golden = goldenFor(file);
    const expectError = golden === undefined && /invalid|unknown|empty/i.test(path.basename(file));
    if (golden === undefined && !expectError) { bump(result.leftOut, 'no golden JSON beside the feed'); continue; }
    let problem: string | undefined;
    let feed: RawFeed | undefined;
    try {
      feed = parseFeed(readFileSync(file));
    } catch (err) {
      if (!(err instanceof FeedfoldError)) throw err;
      if (!expectError) problem = `threw ${err.kind}: ${err.message}`;
    }
    if (expectError && feed && feed.entries.length > 0) problem = 'expected an error, parsed entries';
    if (!problem && feed && golden) problem = compare(golden, feed);
    result.tried++;
    const cat = (result.categories[category] ??= { passed: 0, failed: 0 });
    if (problem) { cat.failed++; result.failures.push(`${path.relative(dir, file)}: ${problem}`); } else { cat.passed++; result.passed++; }
  }
  return result;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function goldenFor(file: string): Obj | undefined {
  const candidates = file.endsWith('.xml') ? [file.replace(/\.xml$/, '.json')] : [file.replace(/\.json$/, '_expected.json')];
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const v: unknown = JSON.parse(readFileSync(c, 'utf8'));
    if (isObj(v)) return v;
  }
  return undefined;
}

// feedfold titles are plain text already; gofeed's may hold markup or references.
const norm = (v: string): string => htmlToText(v).replace(/\s+/g, ' ').trim();
const plain = (v: string | undefined): string => (v ?? '').replace(/\s+/g, ' ').trim();

function compare(golden: Obj, feed: RawFeed): string | undefined {
  const title = s(golden['title']);
  if (title && norm(title) !== plain(feed.title)) return `feed title ${JSON.stringify(feed.title)} != ${JSON.stringify(title)}`;
  const items = [golden['items'], golden['entries']].find(Array.isArray) as unknown[] | undefined;
  if (!items) return undefined;
  if (items.length !== feed.entries.length) return `${feed.entries.length} entries != ${items.length}`;
  for (let i = 0; i < items.length; i++) {
    const g = items[i];
    const e = feed.entries[i] as RawEntry;
    if (!isObj(g)) continue;
    const problem = compareItem(g, e);
    if (problem) return `entry ${i}: ${problem}`;
  }
  return undefined;
}

function compareItem(g: Obj, e: RawEntry): string | undefined {
  const title = s(g['title']);
  if (title && norm(title) !== plain(e.title)) return `title ${JSON.stringify(e.title)} != ${JSON.stringify(title)}`;
  const guid = isObj(g['guid']) ? s(g['guid']['value']) : s(g['guid']) ?? s(g['id']);
  if (guid && guid.trim() !== e.guid) return `guid ${JSON.stringify(e.guid)} != ${JSON.stringify(guid)}`;
  const link = s(g['link']) ?? s(g['url']) ?? alternateLink(g['links']);
  if (link && !sameLink(link.trim(), e.link)) return `link ${JSON.stringify(e.link)} != ${JSON.stringify(link)}`;
  const when = s(g['pubDateParsed']) ?? s(g['publishedParsed']) ?? s(g['issuedParsed']) ?? s(g['date_published']);
  if (when && !sameInstant(when, e.published) && !sameInstant(when, e.updated)) return `published ${e.published} != ${when}`;
  return undefined;
}

function alternateLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const alt = links.filter(isObj).find((l) => (s(l['rel']) ?? 'alternate') === 'alternate' && s(l['href']));
  return alt ? s(alt['href']) : undefined;
}

// feedfold resolves relative links (RFC 3986 §5); gofeed keeps some as written.
function sameLink(golden: string, ours: string | undefined): boolean {
  if (ours === undefined) return false;
  if (ours === golden) return true;
  try { return new URL(golden, ours).href === ours; } catch { return false; }
}

function sameInstant(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = Date.parse(a);
  return Number.isFinite(x) && x === Date.parse(b);
}
