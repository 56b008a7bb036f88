import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { FeedfoldError } from '../model/errors.js';
import type { SourceSpec, SourceState } from '../model/source.js';
import { parseOpml, renderOpml } from '../parse/opml.js';
import { feedUrlSpec } from '../sources/source-specs.js';
import { writeFileAtomic } from '../publish/write-atomic.js';
import { openContext, openReadContext, readSubscriptions, resolveNow, runSources, type CommonOptions } from './context.js';

/**
 * Lists every source with its fetch state (`feedfold sources`), as a table or JSON. Reads the
 * store without writing to it (a read-only `out/` is fine); a source the store does not know yet
 * is shown as new.
 */
export async function sourcesCommand(opts: CommonOptions & { json?: boolean; retry?: string }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  if (opts.retry !== undefined) return retrySources(opts.retry, opts, env, out);
  const ctx = await openReadContext(opts, env);
  try {
    const stored = new Map(((await ctx.store?.sources.listSources()) ?? []).map((r) => [r.spec.id, r]));
    const specs = await runSources(ctx.config, ctx.store);
    const read = await ctx.store?.sources.sourcesUpdated(specs.filter((s) => s.kind !== 'feed-url').map((s) => s.id));
    const rows = specs.map((spec) => {
      const row = stored.get(spec.id);
      const s = row?.state;
      // A location changed in the config replaces the stored address at the next run (see upsertSource).
      const moved = row !== undefined && row.spec.location !== spec.location;
      return {
        id: spec.id,
        kind: spec.kind,
        location: moved ? spec.location : (s?.url ?? spec.location),
        title: spec.title ?? row?.feedTitle ?? null,
        status: spec.kind === 'feed-url' ? feedStatus(s) : localStatus(spec, s, read?.has(spec.id) === true),
        errorCount: s?.errorCount ?? 0,
        lastErrorKind: s?.lastErrorKind ?? null,
        lastError: s?.lastError ?? null,
        lastStatus: s?.lastStatus ?? null,
        lastSuccessAt: s?.lastSuccessAt ?? null,
        nextFetchAt: s?.nextFetchAt ?? null,
      };
    });
    if (opts.json) {
      out(JSON.stringify(rows, null, 2));
      return 0;
    }
    for (const r of rows) {
      out(`${r.status.padEnd(8)} ${r.id}  ${r.location}`);
      if (r.errorCount > 0) out(`         ${r.errorCount} error(s), last: ${r.lastErrorKind ? `[${r.lastErrorKind}] ` : ''}${r.lastError ?? '?'}; next try ${r.nextFetchAt ?? 'next run'}`);
    }
    out(`${rows.length} source(s)`);
    return 0;
  } finally {
    await ctx.store?.close();
  }
}

/** The state of a feed URL: retired (410 Gone), failing, ok once read, else new. */
function feedStatus(s: SourceState | undefined): string {
  return s?.retired ? 'retired' : (s?.errorCount ?? 0) > 0 ? 'failing' : s?.lastSuccessAt ? 'ok' : 'new';
}

/**
 * The state of a feed file or an article folder: missing when its path is gone, failing while its recorded errors
 * last, ok once articles were read from it, else new.
 */
function localStatus(spec: SourceSpec, s: SourceState | undefined, read: boolean): string {
  if (!existsSync(spec.location)) return 'missing';
  if ((s?.errorCount ?? 0) > 0) return 'failing';
  return read ? 'ok' : 'new';
}

/**
 * Clears the back-off of one source, or of every feed URL (`feedfold sources --retry <id|all>`), so the next run reads
 * it whatever its failures, Retry-After or 410 Gone said: the error count starts again from zero.
 */
async function retrySources(which: string, opts: CommonOptions, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const ctx = await openContext({ ...opts, quiet: true }, env);
  try {
    const specs = await runSources(ctx.config, ctx.store);
    const chosen = which === 'all' ? specs.filter((s) => s.kind === 'feed-url') : specs.filter((s) => s.id === which);
    if (chosen.length === 0 && which !== 'all') throw new FeedfoldError('sources', 'unknown-source', `no source with id "${which}" (feedfold sources lists them)`);
    let cleared = 0;
    const stored = new Map((await ctx.store.sources.listSources()).map((r) => [r.spec.id, r]));
    await ctx.store.unitOfWork(async () => {
      for (const spec of chosen) {
        const row = stored.get(spec.id);
        if (row === undefined || spec.kind !== 'feed-url') continue;
        const { nextFetchAt: _next, ...state } = row.state;
        await ctx.store.sources.saveSourceState({ ...state, errorCount: 0, retired: false });
        cleared++;
      }
    });
    for (const spec of chosen) out(`${spec.id}: read on the next run${spec.kind === 'feed-url' ? '' : ' (a local source is read on every run)'}`);
    out(`back-off cleared for ${cleared} source(s)`);
    return 0;
  } finally {
    await ctx.store.close();
  }
}

/**
 * Adds the feeds of an OPML file as subscriptions (`feedfold import-opml FILE`): they are written, with their OPML
 * folders, to the subscriptions file beside the config (`subscriptions`, default feedfold.opml), so they survive a new
 * `out/` and can be kept in version control; a feed already subscribed (by the config, the file or an earlier import)
 * is skipped.
 */
export async function importOpmlCommand(file: string, opts: CommonOptions, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // A mistyped path is an operator error: say which file, not a stack trace.
    throw new FeedfoldError('sources', 'unreadable', `cannot read OPML ${file}: ${(e as Error).message}`, { cause: e });
  }
  const { feeds } = parseOpml(text);
  const ctx = await openReadContext(opts, env);
  try {
    const known = new Set((await runSources(ctx.config, ctx.store)).map((s) => s.location));
    const kept = readSubscriptions(ctx.config);
    const added = feeds.filter((f) => {
      if (known.has(f.url)) return false;
      known.add(f.url);
      return true;
    });
    if (added.length > 0) {
      const xml = renderOpml([...kept, ...added], { title: `${ctx.config.feed.title} subscriptions`, now: resolveNow(opts, env) });
      await writeFileAtomic(ctx.config.subscriptionsFile, xml);
    }
    out(`imported ${added.length} new feed(s) from ${file} (${feeds.length - added.length} already subscribed) into ${ctx.config.subscriptionsFile}`);
    return 0;
  } finally {
    await ctx.store?.close();
  }
}

/** Writes every feed URL subscription as OPML 2.0 (`feedfold export-opml`). */
export async function exportOpmlCommand(opts: CommonOptions & { file?: string }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const ctx = await openReadContext(opts, env);
  try {
    // The folders an import kept are written back as folders.
    const categories = new Map(readSubscriptions(ctx.config).flatMap((f) => (f.category ? [[f.url, f.category] as const] : [])));
    const stored = new Map(((await ctx.store?.sources.listSources()) ?? []).map((r) => [r.spec.id, r]));
    const feeds = (await runSources(ctx.config, ctx.store))
      .filter((s) => s.kind === 'feed-url')
      .map((s) => {
        const row = stored.get(s.id);
        const title = s.title ?? row?.feedTitle;
        const category = categories.get(s.location);
        return { url: row?.state.url ?? s.location, ...(title ? { title } : {}), ...(row?.feedLink ? { htmlUrl: row.feedLink } : {}), ...(category ? { category } : {}) };
      });
    const xml = renderOpml(feeds, { title: `${ctx.config.feed.title} subscriptions`, now: resolveNow(opts, env) });
    if (opts.file) await writeFile(opts.file, xml);
    else out(xml);
    return 0;
  } finally {
    await ctx.store?.close();
  }
}
