import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FeedfoldError } from '../../src/model/errors.js';
import type { ParseReport } from '../../src/model/parse-report.js';
import type { RawEntry } from '../../src/model/raw-entry.js';
import { decodeBody } from '../../src/parse/decode-body.js';
import { parseFeedReport } from '../../src/parse/parse-feed.js';
import { feedparserSanitize } from './feedparser-sanitize.js';
import { listFiles, type SuiteResult } from './suite.js';

/** Folders whose tests are about things feedfold does elsewhere or does not model. */
const LEFT_OUT_DIRS: Record<string, string> = {
  'wellformed/itunes': 'iTunes podcast fields are not modelled',
  'wellformed/geo': 'geo fields are not modelled',
  'wellformed/media-rss': 'Media RSS fields are not modelled',
  'wellformed/psc': 'podcast chapters are not modelled',
  'wellformed/cdf': 'CDF (Channel Definition Format) is not a supported format',
  'illformed/chardet': 'tests need a chardet library',
};

/** feedparser result keys that map onto RawFeed/RawEntry/ParseReport fields. */
const MODELLED = new Set([
  'bozo', 'feed', 'entries', 'title', 'value', 'link', 'links', 'rel', 'href', 'id', 'guid',
  'summary', 'description', 'content', 'author', 'tags', 'term',
  'category', 'enclosures', 'url', 'length', 'type', 'published', 'updated', 'published_parsed', 'updated_parsed',
  'language', 'encoding', 'version', 'len', 'ord', 'not', 'and', 'or', 'in', 'is', 'None', 'True', 'False', 'u', 'b', 'keys',
]);

// Feed/entry keys feedparser has but feedfold does not model (checked before the generic scan).
const EXPR_RE = /Expect:\s*(.*)/;
const TEST_SERVER = 'http://127.0.0.1:8097';
const LINK_DETAIL_RE = /\[\s*['"]links['"]\s*\]\s*\[\s*\d+\s*\]\s*(\[\s*['"](type|title|length|hreflang)['"]\s*\]|==\s*\{)/;
// An expectation that a title keeps HTML markup ('<b>', '&lt;') is about a model feedfold does not use.
const TITLE_MARKUP_RE = /\[\s*['"]title['"]\s*\]\s*==\s*u?(['"])[^'"]*(<[a-zA-Z/]|&[#a-zA-Z0-9]+;)/;
const DESC_RE = /Description:\s*(.*)/;

interface Case { file: string; category: string; expr: string; result: unknown }

/** Runs feedparser's test files that are about fields feedfold models, evaluating each Expect expression with python3. */
export function runFeedparser(dir: string): SuiteResult {
  const result: SuiteResult = { tried: 0, passed: 0, total: 0, categories: {}, leftOut: {}, failures: [] };
  const cases: Case[] = [];
  for (const file of listFiles(dir, /\.(xml|rdf|json)$/)) {
    const rel = path.relative(dir, file);
    const parts = rel.split(path.sep);
    const category = parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
    result.total++;
    const dirReason = LEFT_OUT_DIRS[category];
    if (dirReason) { bump(result.leftOut, `${category}: ${dirReason}`); continue; }
    const bytes = readFileSync(file);
    // The header comment of UTF-16/32 files is only readable once decoded.
    const latin = bytes.subarray(0, 4096).toString('latin1');
    const head = latin.includes('Expect:') ? latin : decodeBody(bytes.subarray(0, 16384)).slice(0, 4096);
    const expr = EXPR_RE.exec(head)?.[1]?.replace(/-->.*$/, '').trim();
    if (!expr || !DESC_RE.test(head)) { bump(result.leftOut, 'no Description/Expect header'); continue; }
    const headers = new Map<string, string>();
    for (const m of head.matchAll(/^\s*Header:\s*([A-Za-z-]+):\s*(.*?)\s*$/gm)) headers.set((m[1] as string).toLowerCase(), m[2] as string);
    const unsupported = [...headers.keys()].find((h) => !['content-type', 'content-location', 'content-language'].includes(h));
    if (unsupported) { bump(result.leftOut, `needs HTTP header ${unsupported}`); continue; }
    const contentType = headers.get('content-type');
    const contentLanguage = headers.get('content-language');
    const narrowed = narrowDetails(expr);
    const unknown = unmodelledIn(narrowed) ?? feedLevelUnmodelled(narrowed);
    if (unknown) { bump(result.leftOut, `field not modelled: ${unknown}`); continue; }
    if (contentType && /\bencoding\b/.test(expr) && /^text\//i.test(contentType) && !/charset\s*=\s*\S/i.test(contentType)) {
      bump(result.leftOut, 'RFC 3023 us-ascii default for text/* (feedfold follows RFC 7303)');
      continue;
    }
    if (contentType && expr === 'bozo' && !/xml|rss|atom|rdf/i.test(contentType)) {
      bump(result.leftOut, 'bozo for a non-XML Content-Type (feedfold detects the format by content)');
      continue;
    }
    if (LINK_DETAIL_RE.test(narrowed)) { bump(result.leftOut, 'link attributes other than rel/href (feedfold keeps one alternate link and the enclosures)'); continue; }
    if (TITLE_MARKUP_RE.test(narrowed)) { bump(result.leftOut, 'title markup: feedfold keeps titles as plain text'); continue; }
    // feedparser's suite serves each file from this URL, the base for document-relative links.
    // Content-Location, when sent, names the document's URL (RFC 9110 §8.7), the base for relative links.
    const served = `${TEST_SERVER}/tests/${rel.split(path.sep).join('/')}`;
    const location = headers.get('content-location');
    const url = location ? new URL(location, served).href : served;
    const hints = { url, ...(contentType ? { contentType } : {}), ...(contentLanguage ? { contentLanguage } : {}) };
    cases.push({ file: rel, category, expr, result: toFeedparserShape(bytes, hints) });
  }
  const verdicts = evaluateInPython(cases);
  cases.forEach((c, i) => {
    const ok = verdicts[i] === true;
    result.tried++;
    const cat = (result.categories[c.category] ??= { passed: 0, failed: 0 });
    if (ok) { result.passed++; cat.passed++; } else { cat.failed++; result.failures.push(`${c.file}: ${c.expr}`); }
  });
  return result;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Returns the first name an Expect expression uses that feedfold does not model, ignoring string literals. */
function narrowDetails(expr: string): string {
  // Of the *_detail dicts only the parts RawEntry carries: a title's value and an author's name.
  return expr
    .replace(/\[\s*['"]title_detail['"]\s*\]\s*\[\s*['"]value['"]\s*\]|\.title_detail\.value\b/g, "['title']")
    .replace(/\[\s*['"]author_detail['"]\s*\]\s*\[\s*['"]name['"]\s*\]|\.author_detail\.name\b/g, "['author']")
    .replace(/\[\s*['"]summary_detail['"]\s*\]\s*\[\s*['"]value['"]\s*\]|\.summary_detail\.value\b/g, "['summary']");
}

function unmodelledIn(expr: string): string | undefined {
  const keys = [...expr.matchAll(/\[\s*u?['"]([^'"]+)['"]\s*\]/g)].map((m) => m[1] as string);
  const bare = expr.replace(/u?(['"])(?:\\.|(?!\1).)*\1/g, '""');
  const names = [...bare.matchAll(/[A-Za-z_][A-Za-z_0-9]*/g)].map((m) => m[0]);
  return [...keys, ...names].find((n) => !MODELLED.has(n));
}

// RawFeed keeps only title, link and language at feed level.
function feedLevelUnmodelled(expr: string): string | undefined {
  const m = /feed(?:\[\s*u?['"]([a-z_]+)['"]\s*\]|\.([a-z_]+))/.exec(expr);
  const key = m?.[1] ?? m?.[2];
  return key && !['title', 'link', 'links', 'language'].includes(key) ? `feed.${key}` : undefined;
}

function toFeedparserShape(bytes: Buffer, hints: { url: string; contentType?: string; contentLanguage?: string }): unknown {
  let report: ParseReport;
  try {
    report = parseFeedReport(bytes, hints);
  } catch (err) {
    if (!(err instanceof FeedfoldError)) throw err;
    return { bozo: 1, feed: {}, entries: [], encoding: 'utf-8' };
  }
  const f = report.feed;
  const feed: Record<string, unknown> = {};
  if (f.title !== undefined) { feed['title'] = f.title; feed['title_detail'] = { value: f.title }; }
  const links: unknown[] = [];
  if (f.link !== undefined) { feed['link'] = f.link; links.push({ rel: 'alternate', href: f.link }); }
  if (f.selfLink !== undefined) links.push({ rel: 'self', href: f.selfLink });
  if (links.length) feed['links'] = links;
  if (f.language !== undefined) feed['language'] = f.language;
  return {
    bozo: report.wellFormed ? 0 : 1,
    encoding: report.encoding,
    version: report.version,
    feed,
    entries: f.entries.map(entryShape),
  };
}

function entryShape(raw: RawEntry): Record<string, unknown> {
  // feedparser hands out HTML through its sanitizer; feedfold's parser keeps HTML as the feed gave it.
  const e = sanitizedLikeFeedparser(raw);
  const o: Record<string, unknown> = {};
  const ct = e.contentType === 'html' ? 'text/html' : 'text/plain';
  if (e.title !== undefined) { o['title'] = e.title; o['title_detail'] = { value: e.title }; }
  if (e.link !== undefined) { o['link'] = e.link; o['links'] = [{ rel: 'alternate', href: e.link }]; }
  if (e.enclosures) {
    o['enclosures'] = e.enclosures.map((x) => ({ href: x.url, type: x.type, length: x.length === undefined ? undefined : String(x.length) }));
    o['links'] = [...((o['links'] as unknown[]) ?? []), ...e.enclosures.map((x) => ({ rel: 'enclosure', href: x.url, type: x.type }))];
  }
  if (e.guid !== undefined) { o['id'] = e.guid; o['guid'] = e.guid; }
  const summary = e.summary ?? e.content;
  if (summary !== undefined) { o['summary'] = summary; o['description'] = summary; o['summary_detail'] = { value: summary, type: ct }; }
  if (e.content !== undefined) o['content'] = [{ value: e.content, type: ct, language: e.language ?? null }];
  if (e.author !== undefined) { o['author'] = e.author; o['author_detail'] = /^[^\s@]+@[^\s@]+$/.test(e.author) ? { email: e.author } : { name: e.author }; }
  if (e.categories) { o['tags'] = e.categories.map((term) => ({ term })); o['category'] = e.categories[0]; }
  if (e.publishedRaw !== undefined) o['published'] = e.publishedRaw;
  if (e.published !== undefined) o['published_parsed'] = e.published;
  if (e.updatedRaw !== undefined) o['updated'] = e.updatedRaw;
  if (e.updated !== undefined) o['updated_parsed'] = e.updated;
  // feedparser's dict answers 'updated' with 'published' when an entry has only one date.
  if (o['updated'] === undefined && o['published'] !== undefined) { o['updated'] = o['published']; o['updated_parsed'] = o['published_parsed']; }
  if (e.language !== undefined) o['language'] = e.language;
  return o;
}

/** Returns the entry with its HTML summary and content passed through feedparser's sanitizer. */
function sanitizedLikeFeedparser(e: RawEntry): RawEntry {
  if (e.contentType !== 'html') return e;
  const out: RawEntry = { ...e };
  if (e.summary !== undefined) out.summary = feedparserSanitize(e.summary);
  if (e.content !== undefined) out.content = feedparserSanitize(e.content);
  return out;
}

// One python process for the whole batch: reads JSON lines, prints one verdict per line.
const PY = String.raw`
import sys, json, time, datetime
KEYMAP = {'channel': 'feed', 'items': 'entries', 'guid': 'id', 'date': 'updated', 'date_parsed': 'updated_parsed',
          'description': 'summary', 'url': 'href', 'modified': 'updated', 'modified_parsed': 'updated_parsed',
          'issued': 'published', 'issued_parsed': 'published_parsed'}
class FPD(dict):
    # feedparser's FeedParserDict answers legacy names through this key map.
    def __getitem__(self, k):
        if dict.__contains__(self, k): return dict.__getitem__(self, k)
        if k in KEYMAP and dict.__contains__(self, KEYMAP[k]): return dict.__getitem__(self, KEYMAP[k])
        raise KeyError(k)
    def __contains__(self, k):
        return dict.__contains__(self, k) or (k in KEYMAP and dict.__contains__(self, KEYMAP[k]))
    def get(self, k, d=None):
        try: return self[k]
        except KeyError: return d
    def __getattr__(self, k):
        try: return self[k]
        except KeyError: raise AttributeError(k)
def wrap(v, key=None):
    if isinstance(v, dict): return FPD({k: wrap(x, k) for k, x in v.items() if x is not None or k == 'language'})
    if isinstance(v, list): return [wrap(x) for x in v]
    if key in ('published_parsed', 'updated_parsed') and isinstance(v, str):
        d = datetime.datetime.strptime(v[:19], '%Y-%m-%dT%H:%M:%S')
        return time.struct_time(d.timetuple()[:8] + (0,))
    return v
out = []
for line in sys.stdin:
    c = json.loads(line)
    env = wrap(c['result'])
    env.setdefault('bozo_exception', None)
    try: ok = bool(eval(c['expr'], {'__builtins__': __builtins__}, env))
    except Exception: ok = False
    out.append('1' if ok else '0')
sys.stdout.write('\n'.join(out))
`;

function evaluateInPython(cases: Case[]): boolean[] {
  if (cases.length === 0) return [];
  const input = cases.map((c) => JSON.stringify({ expr: c.expr, result: c.result })).join('\n');
  const py = spawnSync('python3', ['-c', PY], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
  const verdicts = py.stdout.split("\n").map((v) => v === "1");
  if (verdicts.length !== cases.length) throw new Error(`python3 gave ${verdicts.length} verdicts for ${cases.length} cases`);
  return verdicts;
}
