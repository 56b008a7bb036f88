import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import { z } from 'zod';
import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../cluster/create-story-index.js';
import { StoryRedirects } from '../cluster/merge-stories.js';
import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { RawEntry } from '../model/raw-entry.js';
import type { Decision } from '../model/story.js';
import { normalizeFeed } from '../normalize/normalize-feed.js';
import { parseDate } from '../parse/parse-date.js';
import { storyIdFor } from '../pipeline/story-ids.js';
import { deriveSourceId } from '../sources/source-specs.js';

/** One input line of `feedfold cluster`. */
const inputLine = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    title: z.string(),
    text: z.string().optional(),
    html: z.string().optional(),
    url: z.string().optional(),
    published: z.union([z.string(), z.number()]).optional(),
    source: z.string().optional(),
    lang: z.string().optional(),
  })
  .passthrough();

export type ClusterInput = z.output<typeof inputLine>;

/** One output line: the input id, its final story (after any later merge) and why it was placed. */
export interface ClusterOutput {
  id: string;
  story: string;
  action: Decision['action'];
  score: number;
}

/** `firstSeen` when the input gives no dates at all, so batch output never depends on the clock. */
const BATCH_EPOCH = '2000-01-01T00:00:00.000Z';

/** Gives every line a first-seen time: its date, else the nearest earlier dated line's, else the next one's. */
function firstSeenTimes(dates: readonly (string | undefined)[]): string[] {
  const out: (string | undefined)[] = [...dates];
  let before: string | undefined;
  for (let i = 0; i < out.length; i++) {
    out[i] ??= before;
    before = out[i];
  }
  let after: string | undefined;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] ??= after;
    after = out[i];
  }
  return out.map((d) => d ?? BATCH_EPOCH);
}

/**
 * Names the source of a line that names none: its link's host, else the line itself. An unnamed source is an unknown
 * one, not one shared source, so lines without `source` are never held apart as posts of one feed.
 */
function sourceOfUnnamed(input: ClusterInput): string {
  if (input.url !== undefined) {
    try {
      const host = new URL(input.url).hostname;
      if (host !== '') return host.replace(/^www\./, '');
    } catch {
      // Not a URL: fall through to the line's own id.
    }
  }
  return `line:${input.id}`;
}

function toIso(v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return new Date(v).toISOString();
  return parseDate(v);
}

/**
 * Clusters a batch of articles without touching any state: each line is normalized like a feed
 * item, then assigned in order of publication (input order breaks ties). Returns one output per
 * input, in input order, each with its final story: a story merged into another later in the batch
 * gives its lines the story it ended in.
 */
export function clusterBatch(inputs: readonly ClusterInput[], options: Partial<ClusterOptions> = {}): ClusterOutput[] {
  const items: { index: number; input: ClusterInput; article: Article }[] = [];
  // A batch has no clock: each line counts as first seen at its own date, and an undated line at
  // the date of the nearest dated line before it in the input (after it, for leading lines), the
  // way an undated item sits among its neighbours in a feed.
  const dates = inputs.map((i) => toIso(i.published));
  const seen = firstSeenTimes(dates);
  inputs.forEach((input, index) => {
    const published = dates[index];
    const now = seen[index] as string;
    const entry: RawEntry = {
      guid: input.id,
      title: input.title,
      ...(input.html !== undefined ? { content: input.html, contentType: 'html' as const } : input.text !== undefined ? { content: input.text, contentType: 'text' as const } : {}),
      ...(input.url ? { link: input.url } : {}),
      ...(published ? { published } : {}),
      ...(input.lang ? { language: input.lang } : {}),
    };
    const source = input.source ?? sourceOfUnnamed(input);
    const spec = { id: deriveSourceId(`batch:${source}`), kind: 'feed-url' as const, location: `batch:${source}`, title: source, rank: 0 };
    const { articles } = normalizeFeed({ format: 'json', title: source, entries: [entry] }, spec, now);
    const article = articles[0];
    if (article) items.push({ index, input, article });
  });
  items.sort((a, b) => (a.article.published ?? a.article.firstSeen).localeCompare(b.article.published ?? b.article.firstSeen) || a.index - b.index);
  const index = createStoryIndex({ ...DEFAULT_CLUSTER_OPTIONS, ...options }, (a) => storyIdFor(a.id));
  const byIndex = new Map<number, ClusterOutput>();
  const redirects = new StoryRedirects();
  for (const item of items) {
    const d = index.assign(item.article);
    for (const m of d.merges ?? []) redirects.record(m.from, m.into);
    byIndex.set(item.index, { id: item.input.id, story: d.storyId, action: d.action, score: Math.round(d.score * 1000) / 1000 });
  }
  for (const out of byIndex.values()) out.story = redirects.resolve(out.story);
  // An input that normalized to nothing usable is a story of its own.
  return inputs.map((input, i) => byIndex.get(i) ?? { id: input.id, story: storyIdFor(`unusable:${input.id}`), action: 'new-story', score: 0 });
}

/** Reads JSON Lines, one article per line; a bad line stops with its line number. */
export async function readClusterInput(file: string): Promise<ClusterInput[]> {
  const rl = readline.createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
  const out: ClusterInput[] = [];
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      throw new FeedfoldError('cluster', 'invalid-input', `${file}:${lineNo}: not JSON: ${(err as Error).message}`);
    }
    const parsed = inputLine.safeParse(data);
    if (!parsed.success) {
      throw new FeedfoldError('cluster', 'invalid-input', `${file}:${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`);
    }
    out.push(parsed.data);
  }
  return out;
}

/** Runs `feedfold cluster --in FILE.jsonl --out FILE.jsonl`. */
export async function clusterCommand(opts: { in: string; out: string; threshold?: string; mergeThreshold?: string; windowHours?: string }): Promise<number> {
  const inputs = await readClusterInput(opts.in);
  const options: Partial<ClusterOptions> = {
    ...(opts.threshold !== undefined ? { threshold: Number(opts.threshold) } : {}),
    ...(opts.mergeThreshold !== undefined ? { mergeThreshold: Number(opts.mergeThreshold) } : {}),
    ...(opts.windowHours !== undefined ? { windowHours: Number(opts.windowHours) } : {}),
  };
  const results = clusterBatch(inputs, options);
  const stream = opts.out === '-' ? process.stdout : createWriteStream(opts.out);
  for (const r of results) {
    if (!stream.write(`${JSON.stringify(r)}\n`)) await once(stream, 'drain');
  }
  if (stream !== process.stdout) {
    stream.end();
    await once(stream, 'finish');
  }
  return 0;
}
