import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CORPORA } from './paths.js';

/** Debian's python, which has python3-feedparser; a pyenv python on PATH may not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const JING = '/usr/bin/jing';
export const NEWSBOAT = '/usr/bin/newsboat';
export const CHROMIUM = '/usr/bin/chromium';
/** Flags of a headless chromium that reaches nothing but the loopback pages a test opens. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The RFC 4287 RELAX NG schema (compact syntax) in the shared corpora. */
export const ATOM_RNC = path.join(CORPORA, 'atom-schema', 'atom.rnc');

const TOOL_TIMEOUT_MS = 60_000;
// Loopback must never go through a proxy a developer has configured.
const CHILD_ENV = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost', http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' };

/** Tools the publish tests (and others') can use. */
export type ExternalTool = 'jing' | 'newsboat' | 'chromium' | 'python3-feedparser' | 'python3-prometheus-client';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonHasModule(module: string): boolean {
  if (!isExecutable(SYSTEM_PYTHON)) return false;
  try {
    // Synchronous on purpose: skipIf conditions are evaluated at collection time.
    return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

const toolCache = new Map<ExternalTool, boolean>();

/** Returns true when the named external tool is installed and usable. */
export function hasTool(name: ExternalTool): boolean {
  const cached = toolCache.get(name);
  if (cached !== undefined) return cached;
  const present =
    name === 'jing' ? isExecutable(JING)
    : name === 'newsboat' ? isExecutable(NEWSBOAT)
    : name === 'chromium' ? isExecutable(CHROMIUM)
    : name === 'python3-prometheus-client' ? pythonHasModule('prometheus_client.parser')
    : pythonHasModule('feedparser');
  toolCache.set(name, present);
  return present;
}

/** Message for a test skipped because a tool is absent; put it in the test name. */
export function noTool(name: ExternalTool): string {
  return `skipped: ${name} is not installed`;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously (a loopback server in the same process must keep answering). */
export function run(file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: opts.env ?? CHILD_ENV, cwd: opts.cwd, timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
        if (err !== null && code === -1) reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feedfold-tool-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Validates an Atom document against atom.rnc with jing; returns jing's error lines (none when valid). */
export async function validateAtomWithJing(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'feed.atom');
    await writeFile(file, xml);
    const result = await run(JING, ['-c', ATOM_RNC, file]);
    // jing's launcher prints "[warning] … Unable to locate …" about optional jars; those are not findings.
    const errors = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('[warning]'));
    return { valid: result.code === 0 && errors.length === 0, errors };
  });
}

// Prints feedparser's view as JSON; time.struct_time and other objects become strings.
const FEEDPARSER_SCRIPT = `
import json, sys, feedparser
src = sys.argv[1]
d = feedparser.parse(sys.stdin.buffer.read() if src == '-' else src)
out = {
  'bozo': bool(d.get('bozo')),
  'bozo_exception': str(d.get('bozo_exception')) if d.get('bozo') else None,
  'version': d.get('version'),
  'status': d.get('status'),
  'feed': d.get('feed', {}),
  'entries': d.get('entries', []),
}
json.dump(out, sys.stdout, default=str)
`;

/** What python3-feedparser made of a feed (a subset of its result dictionary, as JSON). */
export interface FeedparserResult {
  bozo: boolean;
  bozo_exception: string | null;
  version: string;
  status?: number;
  feed: Record<string, unknown> & { title?: string; id?: string; links?: Array<Record<string, string>> };
  entries: Array<
    Record<string, unknown> & {
      id?: string;
      title?: string;
      link?: string;
      links?: Array<{ href: string; rel: string; type?: string; title?: string; hreflang?: string }>;
      content?: Array<{ type: string; value: string; language?: string | null }>;
      summary?: string;
      source?: Record<string, unknown>;
      tags?: Array<{ term: string }>;
      author?: string;
      published?: string;
      updated?: string;
    }
  >;
}

/** Parses an Atom document (XML text) or a URL with python3-feedparser and returns its result as JSON. */
export async function parseWithPythonFeedparser(xmlOrUrl: string): Promise<FeedparserResult> {
  const isUrl = /^https?:\/\//.test(xmlOrUrl);
  const result = await run(SYSTEM_PYTHON, ['-c', FEEDPARSER_SCRIPT, isUrl ? xmlOrUrl : '-'], isUrl ? {} : { input: xmlOrUrl });
  if (result.code !== 0) throw new Error(`feedparser failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as FeedparserResult;
}

/** An item newsboat stored in its cache. */
export interface NewsboatItem {
  guid: string;
  title: string;
  url: string;
  author: string;
  content: string;
}

/**
 * Makes newsboat fetch a feed URL (`-x reload print-unread`) with a throwaway HOME, urls file,
 * config and cache, and returns what it printed plus the items it stored in its SQLite cache.
 */
export async function readWithNewsboat(url: string): Promise<{ code: number; stdout: string; stderr: string; unread: number | undefined; items: NewsboatItem[]; feedTitle: string | undefined }> {
  return withTempDir(async (dir) => {
    const urls = path.join(dir, 'urls');
    const config = path.join(dir, 'config');
    const cache = path.join(dir, 'cache.db');
    await writeFile(urls, `${url}\n`);
    await writeFile(config, 'download-timeout 20\nreload-threads 1\nsuppress-first-reload no\n');
    const env = { ...CHILD_ENV, HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), XDG_DATA_HOME: path.join(dir, '.local', 'share') };
    const result = await run(NEWSBOAT, ['-u', urls, '-c', cache, '-C', config, '-x', 'reload', 'print-unread'], { env, cwd: dir });
    const unreadMatch = /(\d+) unread articles?/.exec(result.stdout);
    let items: NewsboatItem[] = [];
    let feedTitle: string | undefined;
    try {
      await readFile(cache);
      const db = new Database(cache, { readonly: true });
      try {
        items = db.prepare('SELECT guid, title, url, author, content FROM rss_item ORDER BY id').all() as NewsboatItem[];
        const row = db.prepare('SELECT title FROM rss_feed WHERE rssurl = ?').get(url) as { title: string } | undefined;
        feedTitle = row?.title;
      } finally {
        db.close();
      }
    } catch {
      items = [];
    }
    return { ...result, unread: unreadMatch?.[1] !== undefined ? Number(unreadMatch[1]) : undefined, items, feedTitle };
  });
}

/** One sample of a Prometheus exposition, as the official Python client's parser read it. */
export interface PrometheusSample {
  family: string;
  type: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

const PROMETHEUS_SCRIPT = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        out.append({"family": family.name, "type": family.type, "name": s.name, "labels": s.labels, "value": s.value})
print(json.dumps(out))
`;

/** Parses a Prometheus text exposition with python3-prometheus-client's parser; throws when it refuses the text. */
export async function parseWithPrometheusClient(text: string): Promise<PrometheusSample[]> {
  const result = await run(SYSTEM_PYTHON, ['-c', PROMETHEUS_SCRIPT], { input: text });
  if (result.code !== 0) throw new Error(`prometheus_client's parser refused the text (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as PrometheusSample[];
}
