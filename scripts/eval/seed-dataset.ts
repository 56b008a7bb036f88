import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EvalItem } from './eval-item.js';

const DATE_HEADER_RE = /^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s*/i;
/** A first line longer than this is body text, not a title. */
const MAX_TITLE_CHARS = 160;
const DERIVED_TITLE_WORDS = 12;

/** Reads an article file of the seeds' format: optional `date YYYY-MM[-DD]` header, a title line when there is one. */
export function readArticleFile(file: string, gold: string, lang?: string): EvalItem {
  let text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let published: string | undefined;
  const header = DATE_HEADER_RE.exec(text);
  if (header?.[1] !== undefined) {
    const day = header[1].length === 7 ? `${header[1]}-01` : header[1];
    published = `${day}T12:00:00.000Z`;
    text = text.slice(header[0].length);
  }
  const lines = text.split('\n');
  const first = (lines[0] ?? '').trim();
  let title: string;
  if (first.length > 0 && first.length <= MAX_TITLE_CHARS && lines.length > 1) {
    title = first;
    text = lines.slice(1).join('\n');
  } else {
    title = text.trim().split(/\s+/).slice(0, DERIVED_TITLE_WORDS).join(' ');
  }
  const item: EvalItem = { id: path.basename(file, path.extname(file)), title, text: text.trim(), source: path.basename(file), gold };
  if (published !== undefined) item.published = published;
  if (lang !== undefined) item.lang = lang;
  return item;
}

/** Reads every `.txt` article of a directory in name order, all labelled with one gold story. */
export function readArticleDir(dir: string, gold: string): EvalItem[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readArticleFile(path.join(dir, f), gold));
}
