import { createStoryIndex, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from '../cluster/create-story-index.js';
import { StoryRedirects } from '../cluster/merge-stories.js';
import type { Article } from '../model/article.js';
import type { RawEntry } from '../model/raw-entry.js';
import type { SourceSpec } from '../model/source.js';
import type { Decision, DecisionAction, StoryIndex } from '../model/story.js';
import { normalizeFeed } from '../normalize/normalize-feed.js';
import { parseDate } from '../parse/parse-date.js';
import { storyIdFor, storyIdOfFounder } from '../pipeline/story-ids.js';
import { deriveSourceId } from '../sources/source-specs.js';
import { ByteStrings, StringNumbers } from './byte-strings.js';
import type { ClusterInput } from './cluster-input.js';
import { isoTimeMs } from '../model/iso-time.js';

/** One output line: the input id, its final story (after any later merge) and why it was placed. */
export interface ClusterOutput {
  id: string;
  story: string;
  action: Decision['action'];
  score: number;
}

/** `firstSeen` when the input gives no dates at all, so batch output never depends on the clock. */
const BATCH_EPOCH_MS = Date.parse('2000-01-01T00:00:00.000Z');

/** The times whose ISO 8601 form has a four-digit year: among them, ISO order is time order. */
const FOUR_DIGIT_YEARS_MS = { min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') };

const DAY_MS = 86_400_000;

/** `00`–`99` and `000`–`999`, the fields of a time of day. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The day isoOf last formatted through toISOString: its first millisecond and its `YYYY-MM-DDT`. */
let isoDayStart = NaN;
let isoDayPrefix = '';

/**
 * Formats a time in milliseconds as ISO 8601 UTC, as toISOString does. A batch formats its lines' times in time order,
 * so most fall on the day formatted before; their time of day is written from tables, in a sixth of toISOString's
 * time. Any other time (a fraction of a millisecond, six-digit years, an invalid one, which throws) goes through
 * toISOString.
 */
export function isoOf(ms: number): string {
  const inDay = ms - isoDayStart;
  // A whole millisecond only: a fraction's difference from the day's start can round to a whole number.
  if (Number.isInteger(ms) && inDay >= 0 && inDay < DAY_MS) {
    const seconds = Math.floor(inDay / 1000);
    const minutes = Math.floor(seconds / 60);
    return `${isoDayPrefix}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[inDay % 1000]}Z`;
  }
  const iso = new Date(ms).toISOString();
  if (Number.isInteger(ms) && ms >= FOUR_DIGIT_YEARS_MS.min && ms <= FOUR_DIGIT_YEARS_MS.max) {
    isoDayStart = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
    isoDayPrefix = iso.slice(0, 11);
  }
  return iso;
}

/** Reads a line's `published` (a date string or epoch milliseconds) as a time in milliseconds; NaN when it has none. */
export function publishedMs(v: string | number | undefined): number {
  if (v === undefined) return NaN;
  if (typeof v === 'number') return Date.parse(isoOf(v));
  // A date as toISOString writes it (most batches' dates) is read from its digits; February 30 and 24:00 are left to
  // parseDate, which rejects the first and reads the second its own way.
  const ms = isoTimeMs(v);
  if (!Number.isNaN(ms)) return ms;
  const iso = parseDate(v);
  return iso === undefined ? NaN : Date.parse(iso);
}

/**
 * Gives every line a first-seen time (ms): its date, else the nearest earlier dated line's, else the next one's, the
 * way an undated item sits among its neighbours in a feed; the batch epoch when no line is dated. `published` holds
 * NaN for an undated line.
 */
export function firstSeenTimes(published: Float64Array): Float64Array {
  const out = Float64Array.from(published);
  let before = NaN;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) out[i] = before;
    else before = out[i] as number;
  }
  let after = BATCH_EPOCH_MS;
  for (let i = out.length - 1; i >= 0; i--) {
    if (Number.isNaN(out[i])) out[i] = after;
    else after = out[i] as number;
  }
  return out;
}

/**
 * Compares two times the way their ISO 8601 strings compare under `localeCompare`, the order batches have always
 * used: by time for four-digit years, by the strings themselves for the signed six-digit years beyond them.
 */
function compareTimes(a: number, b: number): number {
  const plain = a >= FOUR_DIGIT_YEARS_MS.min && a <= FOUR_DIGIT_YEARS_MS.max && b >= FOUR_DIGIT_YEARS_MS.min && b <= FOUR_DIGIT_YEARS_MS.max;
  return plain ? a - b : isoOf(a).localeCompare(isoOf(b));
}

const MS_PER_HOUR = 3_600_000;

/**
 * The most lines whose times (`times`, taken in `order`, which sorts them) lie within `spanMs` of one another: about as
 * many articles as the index's window will hold at once (it evicts by the newest article's time, which a line's
 * published date may set apart from its first-seen time; years beyond 9999, in string order, are not counted right).
 * Only the index's memory follows it.
 */
export function mostWithin(times: Float64Array, order: Uint32Array, spanMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < order.length; last++) {
    const end = times[order[last] as number] as number;
    while (end - (times[order[first] as number] as number) > spanMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Lists line numbers (0-based, input order) in the order they are assigned: by first-seen time, input order breaking ties. */
export function timeOrder(seen: Float64Array): Uint32Array {
  const order = new Uint32Array(seen.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => compareTimes(seen[a] as number, seen[b] as number) || a - b);
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

/** Source specs made so far, by source name: a batch names few sources, and each spec costs a hash to make. */
const specs = new Map<string, SourceSpec>();
/** Specs kept at most: past this the memo starts over (lines of unnamed sources each name their own). */
const SPECS_KEPT = 4096;

/** Returns the spec of a batch's source, as a feed of that name. */
function specOf(source: string): SourceSpec {
  let spec = specs.get(source);
  if (spec === undefined) {
    if (specs.size === SPECS_KEPT) specs.clear();
    spec = { id: deriveSourceId(`batch:${source}`), kind: 'feed-url', location: `batch:${source}`, title: source, rank: 0 };
    specs.set(source, spec);
  }
  return spec;
}

/**
 * Normalizes one line like a feed item first seen at `now` (a batch has no clock: see firstSeenTimes), for clustering
 * alone (see NormalizeOptions.clusterOnly); undefined when nothing usable is left. A line's `lang` is its own, so it is
 * trusted when the text's script agrees (see NormalizeOptions.itemLanguageTrusted).
 */
export function articleOf(input: ClusterInput, published: string | undefined, now: string): Article | undefined {
  const entry: RawEntry = {
    guid: input.id,
    title: input.title,
    ...(input.html !== undefined ? { content: input.html, contentType: 'html' as const } : input.text !== undefined ? { content: input.text, contentType: 'text' as const } : {}),
    ...(input.url ? { link: input.url } : {}),
    ...(published ? { published } : {}),
    ...(input.lang ? { language: input.lang } : {}),
  };
  const source = input.source ?? sourceOfUnnamed(input);
  return normalizeFeed({ format: 'json', title: source, entries: [entry] }, specOf(source), now, { clusterOnly: true, itemLanguageTrusted: true }).articles[0];
}

const ACTIONS: readonly DecisionAction[] = ['joined', 'new-story', 'exact-duplicate', 'overridden', 'merged'];

/** Story slot of a line that normalized to nothing usable (a story of its own). */
const UNUSABLE = -1;

/**
 * Lines normalized before any of them is assigned. Alternating normalize and the index line by line costs about 5%
 * more CPU than running each over a block (each finds its tables still in the caches); measured on 10,000 bench
 * articles, blocks of 256 cost what normalizing the whole batch first did.
 */
const PLACE_BLOCK_LINES = 256;

/**
 * Assigns the lines of a batch to stories and keeps, per line, only what its output needs, outside the JS heap: its
 * id, its story's number, an action code and the score; 30–40 bytes a line beyond the index's window.
 */
export class BatchStories {
  private readonly index: StoryIndex;
  private readonly redirects = new StoryRedirects();
  private readonly ids = new ByteStrings();
  private readonly stories = new StringNumbers();
  private readonly idOf: Int32Array;
  private readonly slot: Int32Array;
  private readonly action: Uint8Array;
  private readonly score: Float64Array;
  private readonly pending: { line: number; article: Article }[] = [];

  /** @param seen the lines' first-seen times and `order` the order they are placed in (see timeOrder), when known: they size the index's window (see IndexSizing) */
  constructor(lines: number, options: Partial<ClusterOptions>, seen?: { times: Float64Array; order: Uint32Array }) {
    const full = { ...DEFAULT_CLUSTER_OPTIONS, ...options };
    const windowArticles = seen === undefined ? undefined : mostWithin(seen.times, seen.order, full.windowHours * MS_PER_HOUR);
    // The output names no evidence: the index lists none (see DecisionDetail).
    this.index = createStoryIndex(full, storyIdOfFounder, { evidence: false }, { windowArticles });
    this.idOf = new Int32Array(lines);
    this.slot = new Int32Array(lines).fill(UNUSABLE);
    this.action = new Uint8Array(lines);
    this.score = new Float64Array(lines);
  }

  /** Places line `line` (0-based, input order); lines must come in time order (see timeOrder). */
  place(line: number, id: string, article: Article | undefined): void {
    this.idOf[line] = this.ids.add(id);
    if (article === undefined) return;
    this.pending.push({ line, article });
    if (this.pending.length === PLACE_BLOCK_LINES) this.assignPending();
  }

  private assignPending(): void {
    for (const { line, article } of this.pending) {
      const d = this.index.assign(article);
      for (const m of d.merges ?? []) this.redirects.record(m.from, m.into);
      this.slot[line] = this.stories.numberOf(d.storyId);
      this.action[line] = ACTIONS.indexOf(d.action);
      this.score[line] = Math.round(d.score * 1000) / 1000;
    }
    this.pending.length = 0;
  }

  /** Yields every line's output in input order, each with the story it ended in after every merge. */
  *outputs(): Generator<ClusterOutput> {
    this.assignPending();
    for (let i = 0; i < this.idOf.length; i++) {
      const id = this.ids.get(this.idOf[i] as number);
      const slot = this.slot[i] as number;
      yield slot === UNUSABLE
        ? { id, story: storyIdFor(`unusable:${id}`), action: 'new-story', score: 0 }
        : { id, story: this.redirects.resolve(this.stories.get(slot)), action: ACTIONS[this.action[i] as number] as DecisionAction, score: this.score[i] as number };
    }
  }
}

/**
 * Clusters a batch of articles held in memory without touching any state: each line is normalized like a feed item,
 * then assigned in order of publication (input order breaks ties). Returns one output per input, in input order, each
 * with its final story: a story merged into another later in the batch gives its lines the story it ended in.
 */
export function clusterBatch(inputs: readonly ClusterInput[], options: Partial<ClusterOptions> = {}): ClusterOutput[] {
  const published = Float64Array.from(inputs, (i) => publishedMs(i.published));
  const seen = firstSeenTimes(published);
  const stories = new BatchStories(inputs.length, options);
  for (const line of timeOrder(seen)) {
    const ms = published[line] as number;
    stories.place(line, (inputs[line] as ClusterInput).id, articleOf(inputs[line] as ClusterInput, Number.isNaN(ms) ? undefined : isoOf(ms), isoOf(seen[line] as number)));
  }
  return [...stories.outputs()];
}
