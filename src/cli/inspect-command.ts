import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { anyAddress, publicAddressesOnly, type AddressPolicy } from '../fetch/address-policy.js';
import { DEFAULT_FETCH_OPTIONS } from '../fetch/fetch-options.js';
import type { Article } from '../model/article.js';
import type { SourceSpec } from '../model/source.js';
import { normalizeFeed } from '../normalize/normalize-feed.js';
import { parseArticleFile } from '../parse/parse-article-file.js';
import { ingestSource } from '../pipeline/ingest-source.js';
import { createParsePool, DEFAULT_PARSE_TIMEOUT_MS } from '../pipeline/parse-pool.js';
import { ARTICLE_FILE_EXTENSIONS } from '../sources/read-local.js';
import { deriveSourceId } from '../sources/source-specs.js';
import { createLogger } from '../log/create-logger.js';
import { loadCommandConfig, resolveNow, type CommonOptions } from './context.js';

/** Options of `feedfold inspect`. */
export interface InspectOptions extends CommonOptions {
  /** Fetch from loopback and private addresses, as `fetch.allowPrivateNetworks` does for runs. */
  allowPrivateNetworks?: boolean;
}

/** The fields `inspect` prints for each article. */
function view(a: Article): Record<string, unknown> {
  return { id: a.id, title: a.title, url: a.url ?? null, published: a.published ?? null, author: a.author ?? null, language: a.language, truncated: a.truncated, text: a.text };
}

const isUrl = (target: string): boolean => /^https?:\/\//i.test(target);

/**
 * Reads one feed URL, feed file, article file or article directory and returns its normalized
 * articles; a feed is read the way a run reads it (in a worker thread, under `parseTimeoutMs`), and a
 * URL is fetched under `addressPolicy` (public addresses only by default).
 */
export async function inspectTarget(target: string, now: string, opts: { parseTimeoutMs?: number; addressPolicy?: AddressPolicy } = {}): Promise<{ articles: Article[]; errors: string[] }> {
  const addressPolicy = opts.addressPolicy ?? publicAddressesOnly;
  const logger = createLogger({ level: 'silent' });
  let spec: SourceSpec;
  if (isUrl(target)) {
    spec = { id: deriveSourceId(target), kind: 'feed-url', location: target, rank: 0 };
  } else {
    const file = path.resolve(target);
    const info = await stat(file).catch(() => undefined);
    if (info && !info.isDirectory() && (ARTICLE_FILE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase())) {
      const entry = { guid: path.basename(file), ...parseArticleFile(await readFile(file, 'utf8'), path.basename(file)) };
      const sourceSpec: SourceSpec = { id: deriveSourceId(path.dirname(file)), kind: 'article-dir', location: path.dirname(file), rank: 0 };
      const { articles, errors } = normalizeFeed({ format: 'articles', entries: [entry] }, sourceSpec, now);
      return { articles, errors: errors.map((e) => e.message) };
    }
    spec = { id: deriveSourceId(file), kind: info?.isDirectory() ? 'article-dir' : 'feed-file', location: file, rank: 0 };
  }
  const parsePool = createParsePool({ size: 1 });
  const result = await ingestSource(spec, undefined, {
    now,
    fetchOptions: { ...DEFAULT_FETCH_OPTIONS, addressPolicy, now: () => Date.parse(now) },
    schedule: (_url, task) => task(),
    logger,
    parsePool,
    parseTimeoutMs: opts.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS,
  }).finally(() => parsePool.close());
  const errors = [...(result.error ? [result.error.message] : []), ...result.itemErrors.map((e) => e.message)];
  return { articles: result.articles, errors };
}

/** Prints what feedfold reads from one feed or article file as a JSON array (`feedfold inspect`). */
export async function inspectCommand(target: string, opts: InspectOptions, env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const now = resolveNow(opts, env);
  const config = loadCommandConfig(opts, env);
  // The same rule as a run: the flag, or the config's fetch.allowPrivateNetworks.
  const allowPrivate = opts.allowPrivateNetworks === true || config.fetch.allowPrivateNetworks;
  const { articles, errors } = await inspectTarget(target, now, { parseTimeoutMs: config.parse.timeoutMs, addressPolicy: allowPrivate ? anyAddress : publicAddressesOnly });
  for (const e of errors) err(e);
  if (articles.length === 0 && errors.length > 0) return 1;
  out(JSON.stringify(articles.map(view), null, 2));
  return 0;
}
