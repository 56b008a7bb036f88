import { createHash } from 'node:crypto';
import path from 'node:path';
import type { SourceKind, SourceSpec } from '../model/source.js';

/** A source entry of the config, paths already absolute. */
export interface SourceEntry {
  id?: string;
  url?: string;
  file?: string;
  dir?: string;
  opml?: string;
  title?: string;
  rank: number;
}

/** A feed listed in an OPML file. */
export interface OpmlFeed {
  url: string;
  title?: string;
}

/** Derives a stable, readable source id from a location: host/path slug plus a short hash. */
export function deriveSourceId(location: string): string {
  const hash = createHash('sha256').update(location).digest('hex').slice(0, 8);
  let stem: string;
  try {
    const u = new URL(location);
    stem = u.protocol.startsWith('http') ? u.hostname.replace(/^www\./, '') : path.basename(location);
  } catch {
    stem = path.basename(location);
  }
  const slug = stem.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'source';
  return `${slug}-${hash}`;
}

/** Builds the spec of a feed URL source (used for OPML imports and ad-hoc URLs). */
export function feedUrlSpec(url: string, title?: string, rank = 0): SourceSpec {
  return { id: deriveSourceId(url), kind: 'feed-url', location: url, rank, ...(title ? { title } : {}) };
}

/**
 * Turns config entries into source specs; `opml` entries are expanded with `readOpml`, and a
 * location listed twice is kept once (the first entry wins).
 */
export function specsFromConfig(entries: readonly SourceEntry[], readOpml: (file: string) => OpmlFeed[]): SourceSpec[] {
  const specs: SourceSpec[] = [];
  const seen = new Set<string>();
  const add = (spec: SourceSpec): void => {
    if (seen.has(spec.location)) return;
    seen.add(spec.location);
    specs.push(spec);
  };
  for (const e of entries) {
    if (e.opml !== undefined) {
      for (const f of readOpml(e.opml)) add(feedUrlSpec(f.url, f.title, e.rank));
      continue;
    }
    const [kind, location] = (e.url !== undefined
      ? ['feed-url', e.url]
      : e.file !== undefined
        ? ['feed-file', e.file]
        : ['article-dir', e.dir as string]) as [SourceKind, string];
    add({ id: e.id ?? deriveSourceId(location), kind, location, rank: e.rank, ...(e.title ? { title: e.title } : {}) });
  }
  return specs;
}
