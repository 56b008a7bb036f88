import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { FeedfoldError } from '../model/errors.js';
import type { SourceSpec } from '../model/source.js';
import { parseOpml, renderOpml } from '../parse/opml.js';
import { feedUrlSpec } from '../sources/source-specs.js';
import { openContext, openReadContext, resolveNow, runSources, type CommonOptions } from './context.js';

/**
 * Lists every source with its fetch state (`feedfold sources`), as a table or JSON. Reads the
 * store without writing to it (a read-only `out/` is fine); a source the store does not know yet
 * is shown as new.
 */
export async function sourcesCommand(opts: CommonOptions & { json?: boolean }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const ctx = await openReadContext(opts, env);
  try {
    const stored = new Map(((await ctx.store?.sources.listSources()) ?? []).map((r) => [r.spec.id, r]));
    const rows = (await runSources(ctx.config, ctx.store)).map((spec) => {
      const row = stored.get(spec.id);
      const s = row?.state;
      // A location changed in the config replaces the stored address at the next run (see upsertSource).
      const moved = row !== undefined && row.spec.location !== spec.location;
      return {
        id: spec.id,
        kind: spec.kind,
        location: moved ? spec.location : (s?.url ?? spec.location),
        title: spec.title ?? row?.feedTitle ?? null,
        status: s?.retired ? 'retired' : (s?.errorCount ?? 0) > 0 ? 'failing' : s?.lastSuccessAt ? 'ok' : 'new',
        errorCount: s?.errorCount ?? 0,
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
      if (r.errorCount > 0) out(`         ${r.errorCount} error(s), last: ${r.lastError ?? '?'}; next try ${r.nextFetchAt ?? 'next run'}`);
    }
    out(`${rows.length} source(s)`);
    return 0;
  } finally {
    await ctx.store?.close();
  }
}

/** Adds the feeds of an OPML file as subscriptions (`feedfold import-opml FILE`); duplicates are ignored. */
export async function importOpmlCommand(file: string, opts: CommonOptions, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // A mistyped path is an operator error: say which file, not a stack trace.
    throw new FeedfoldError('sources', 'unreadable', `cannot read OPML ${file}: ${(e as Error).message}`, { cause: e });
  }
  const { feeds } = parseOpml(text);
  const ctx = await openContext({ ...opts, quiet: true }, env);
  try {
    const known = new Set((await runSources(ctx.config, ctx.store)).map((s) => s.location));
    const added: SourceSpec[] = [];
    for (const f of feeds) {
      if (known.has(f.url)) continue;
      known.add(f.url);
      added.push(feedUrlSpec(f.url, f.title));
    }
    await ctx.store.unitOfWork(() => ctx.store.sources.upsertSources(added.map((spec) => ({ spec, origin: 'opml' as const }))));
    out(`imported ${added.length} new feed(s) from ${file} (${feeds.length - added.length} already subscribed)`);
    return 0;
  } finally {
    await ctx.store.close();
  }
}

/** Writes every feed URL subscription as OPML 2.0 (`feedfold export-opml`). */
export async function exportOpmlCommand(opts: CommonOptions & { file?: string }, env: NodeJS.ProcessEnv, out: (s: string) => void): Promise<number> {
  const ctx = await openReadContext(opts, env);
  try {
    const stored = new Map(((await ctx.store?.sources.listSources()) ?? []).map((r) => [r.spec.id, r]));
    const feeds = (await runSources(ctx.config, ctx.store))
      .filter((s) => s.kind === 'feed-url')
      .map((s) => {
        const row = stored.get(s.id);
        const title = s.title ?? row?.feedTitle;
        return { url: row?.state.url ?? s.location, ...(title ? { title } : {}), ...(row?.feedLink ? { htmlUrl: row.feedLink } : {}) };
      });
    const xml = renderOpml(feeds, { title: `${ctx.config.feed.title} subscriptions`, now: resolveNow(opts, env) });
    if (opts.file) await writeFile(opts.file, xml);
    else out(xml);
    return 0;
  } finally {
    await ctx.store?.close();
  }
}
