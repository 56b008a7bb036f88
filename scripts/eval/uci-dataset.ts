import { readFileSync } from 'node:fs';
import type { EvalItem } from './eval-item.js';
import { parseCsv } from './read-csv.js';

/** Reads the UCI News Aggregator dev headlines: title only, published from TIMESTAMP (ms), source from PUBLISHER. */
export function loadUci(file: string): EvalItem[] {
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const header = rows[0] ?? [];
  const col = (name: string): number => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`eval: ${file} has no ${name} column`);
    return at;
  };
  const [id, title, url, publisher, story, ts] = ['ID', 'TITLE', 'URL', 'PUBLISHER', 'STORY', 'TIMESTAMP'].map(col) as [number, number, number, number, number, number];
  return rows.slice(1).map((r) => ({
    id: `uci-${r[id] ?? ''}`,
    title: r[title] ?? '',
    url: r[url] ?? '',
    published: new Date(Number(r[ts])).toISOString(),
    source: r[publisher] ?? '',
    gold: r[story] ?? '',
  }));
}
