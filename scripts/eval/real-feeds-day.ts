import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalUrl } from '../../src/normalize/canonical-url.js';
import { attr, child, children, parseXmlTree, textOf } from '../../src/parse/xml-tree.js';
import type { CorpusFeed, CorpusItem } from './real-feeds-corpus.js';
import { slugOf } from './real-feeds-corpus.js';

/** The day's run time; every item is re-dated into the 48 hours before it. */
export const REAL_DAY_NOW = '2026-11-20T12:00:00.000Z';
const HOUR_MS = 3_600_000;

/** One entry of the merged feed: its story id and title, and the corpus items folded into it. */
export interface DayEntry {
  id: string;
  title: string;
  members: string[];
}

/** What a run over the day published. */
export interface DayResult {
  dir: string;
  entries: DayEntry[];
  /** Links of the merged feed that map to no corpus item. */
  unmapped: string[];
}

/** Dates item i of n at now − (1 + 47·i/n) hours, so a feed's items spread over the window in document order. */
export function redate(now: string, i: number, n: number): string {
  return new Date(Date.parse(now) - Math.round((1 + (47 * i) / n) * HOUR_MS)).toISOString();
}

/** Names the source of a corpus feed in the day's config: its id, and its title (the corpus file name, shown as the outlet). */
export function sourceIdOf(file: string): string {
  return `real-${slugOf(file)}`;
}

/** Writes one corpus feed as a JSON Feed 1.1 with its items re-dated and their own links, guids, text and languages. */
function jsonFeedOf(f: CorpusFeed, now: string): object {
  const n = f.items.length;
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: f.file,
    ...(f.feed.link !== undefined && /^https?:/i.test(f.feed.link) ? { home_page_url: f.feed.link } : {}),
    ...(f.feed.language ? { language: f.feed.language } : {}),
    items: f.items.map((it, i) => {
      const e = it.entry;
      const html = e.contentType !== 'text';
      const body = e.content ?? e.summary;
      return {
        id: it.guid,
        url: it.link,
        ...(e.title ? { title: e.title } : {}),
        ...(e.content !== undefined && e.summary !== undefined ? { summary: e.summary } : {}),
        ...(body !== undefined ? (html ? { content_html: body } : { content_text: body }) : {}),
        date_published: redate(now, i, n),
        ...(e.author ? { authors: [{ name: e.author }] } : {}),
        ...(e.categories?.length ? { tags: e.categories } : {}),
        ...(e.language ? { language: e.language } : {}),
        ...(e.enclosures?.length ? { attachments: e.enclosures.map((a) => ({ url: a.url, mime_type: a.type ?? 'application/octet-stream', ...(a.length !== undefined ? { size_in_bytes: a.length } : {}) })) } : {}),
      };
    }),
  };
}

/** Writes the day's feed files and config into `dir`; returns the config path. */
export function writeDay(dir: string, feeds: readonly CorpusFeed[], now: string): string {
  mkdirSync(path.join(dir, 'feeds'), { recursive: true });
  const lines = ['feed:', '  maxEntries: 100000', '  maxAgeDays: 3650', `out: ${JSON.stringify(path.join(dir, 'out'))}`, feeds.length ? 'sources:' : 'sources: []'];
  for (const f of feeds) {
    const file = path.join(dir, 'feeds', `${slugOf(f.file)}.json`);
    writeFileSync(file, JSON.stringify(jsonFeedOf(f, now)));
    lines.push(`  - file: ${JSON.stringify(file)}`, `    id: ${JSON.stringify(sourceIdOf(f.file))}`, `    title: ${JSON.stringify(f.file)}`);
  }
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  return config;
}

/** Runs the built CLI once (`feedfold run -c config.yaml --now … -q`), with decisions in the log. */
export function runDay(repoRoot: string, config: string, now: string): void {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'feedfold.js'), 'run', '-c', config, '--now', now, '-q', '--log-level', 'info'], {
    cwd: path.dirname(config),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eval-real: feedfold run exited ${run.status}: ${(run.stderr || run.stdout).slice(0, 2000)}`);
}

const urlKey = (href: string): string => canonicalUrl(href) ?? href;

/**
 * Maps the entries of the merged feed back to corpus items: each alternate or related link by
 * (outlet, canonical URL), the outlet being the corpus file name the config gave as the source's
 * title (atom:source for the alternate link, the link's title for related ones); by URL alone
 * where the outlet is not recognized. Items that share both (links differing by a fragment) are
 * handed out in corpus order.
 */
export function mapEntries(atom: string, items: readonly CorpusItem[]): { entries: DayEntry[]; unmapped: string[] } {
  const byOutlet = new Map<string, CorpusItem[]>();
  const byUrl = new Map<string, CorpusItem[]>();
  for (const it of items) {
    const u = urlKey(it.link);
    byOutlet.set(`${it.file}\n${u}`, [...(byOutlet.get(`${it.file}\n${u}`) ?? []), it]);
    byUrl.set(u, [...(byUrl.get(u) ?? []), it]);
  }
  const taken = new Set<string>();
  const take = (list: CorpusItem[] | undefined): CorpusItem | undefined => {
    const it = list?.find((x) => !taken.has(x.key));
    if (it) taken.add(it.key);
    return it;
  };
  const root = parseXmlTree(atom).root;
  const entries: DayEntry[] = [];
  const unmapped: string[] = [];
  for (const e of root ? children(root, 'atom:entry') : []) {
    const source = child(e, 'atom:source');
    const sourceTitle = source ? textOf(child(source, 'atom:title') ?? source).trim() : '';
    const members: string[] = [];
    for (const l of children(e, 'atom:link')) {
      const rel = attr(l, 'rel') ?? 'alternate';
      const href = attr(l, 'href');
      if ((rel !== 'alternate' && rel !== 'related') || href === undefined) continue;
      const outlet = rel === 'alternate' ? sourceTitle : (attr(l, 'title') ?? '').trim();
      const u = urlKey(href);
      const it = take(byOutlet.get(`${outlet}\n${u}`)) ?? take(byUrl.get(u));
      if (it) members.push(it.key);
      else unmapped.push(href);
    }
    entries.push({ id: textOf(child(e, 'atom:id') ?? e).trim(), title: textOf(child(e, 'atom:title') ?? e).trim(), members });
  }
  return { entries, unmapped };
}

/** Writes the day into a new temp dir (or `dir`), runs feedfold over it and maps the merged feed back to corpus items. */
export function runRealFeedsDay(repoRoot: string, feeds: readonly CorpusFeed[], now = REAL_DAY_NOW, dir?: string): DayResult {
  const work = dir ?? mkdtempSync(path.join(os.tmpdir(), 'feedfold-eval-real-'));
  const config = writeDay(work, feeds, now);
  runDay(repoRoot, config, now);
  const atom = readFileSync(path.join(work, 'out', 'feed.atom'), 'utf8');
  return { dir: work, ...mapEntries(atom, feeds.flatMap((f) => f.items)) };
}
