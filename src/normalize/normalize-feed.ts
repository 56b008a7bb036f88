import type { Article } from '../model/article.js';
import { FeedfoldError } from '../model/errors.js';
import type { RawEntry, RawFeed } from '../model/raw-entry.js';
import type { SourceSpec } from '../model/source.js';
import { fitsBytes, truncateHtml, truncateText, utf8Bytes } from '../sanitize/truncate.js';
import { findRepeatedLines, removeBoilerplate } from './boilerplate.js';
import { canonicalUrl } from './canonical-url.js';
import { normalizeLine } from './clean-text.js';
import { detectLanguage, trustedDeclaredLanguageOf } from './detect-language.js';
import { cleanAuthor, cleanCategories, cleanTitle, deriveTitle, looksLikeHtml, normalizeDate } from './entry-fields.js';
import { readBody, type ReadBody } from './read-body.js';
import { contentHash, shortHash } from './text-hash.js';
import { textToHtml } from './text-to-html.js';
import { looksTruncated } from './truncation.js';

/** Characters of text given to language detection: enough for trigrams, bounded per article. */
const LANGUAGE_SAMPLE_CHARS = 2000;
/**
 * Default of `limits.maxArticleBytes`: the most UTF-8 bytes of an article's HTML, and of its text,
 * kept. Long reads run to 100 KB of HTML; past this, a body is a dump or an attack, and each stored
 * byte is read again by every run that clusters or publishes the article.
 */
export const DEFAULT_MAX_ARTICLE_BYTES = 256 * 1024;
/** How far into a body normalize reads, as a multiple of the cap: markup and boilerplate shrink it, so this much fills any cap. */
const READ_FACTOR = 8;

/** What one entry yields before the source-wide template lines are known. */
interface PreparedEntry {
  entry: RawEntry;
  guid?: string;
  url?: string;
  title: string;
  /** Normalized text (normalizeText's, perhaps cut) before boilerplate removal. */
  rawText: string;
  /** HTML of an HTML body (see readBody); plain-text bodies get theirs from the clean text. */
  html?: string;
  hasFullContent: boolean;
  /** True when the body was cut to the article size cap (its text, or the part of it read). */
  textCut: boolean;
}

/** Options of normalizeFeed. */
export interface NormalizeOptions {
  /**
   * Returns what the store holds for an article id (undefined when it holds nothing). A stored
   * item (known by GUID or URL) that the source re-sends unchanged (same source hash) is left out
   * before the costly steps (boilerplate, language), so a feed re-read with a 200 costs little;
   * a changed one is normalized again, so its edit can follow.
   */
  known?: (articleId: string) => { sourceHash?: string } | undefined;
  /** Most UTF-8 bytes of an article's HTML, and of its text, kept (default DEFAULT_MAX_ARTICLE_BYTES). */
  maxArticleBytes?: number;
  /**
   * Normalizes for clustering alone (`feedfold cluster`): every field the story index reads is what it would be
   * otherwise, but what only the store and the published feed read is not made: `html` is empty, and `sourceHash`,
   * `author` and `categories` are left out (the last empty).
   */
  clusterOnly?: boolean;
  /**
   * An entry's own language tag is the item's alone (a `cluster` input line's `lang`), not one it took from its feed
   * or an enclosing element: it is taken as the article's language when the text is in that language's script (see
   * trustedDeclaredLanguage), and the text is then not read for its language.
   */
  itemLanguageTrusted?: boolean;
}

/** Result of normalizing one feed: the articles, and one recorded error per item that was left out. */
export interface NormalizeResult {
  articles: Article[];
  errors: FeedfoldError[];
  /** The feed's own title, cleaned as titles are (see cleanTitle); undefined when it has none. */
  feedTitle?: string;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function itemLabel(entry: RawEntry, index: number): string {
  if (typeof entry !== 'object' || entry === null) return `#${index + 1}`;
  return nonEmpty(entry.guid) ?? nonEmpty(entry.link) ?? nonEmpty(entry.title)?.slice(0, 80) ?? `#${index + 1}`;
}

/** Records an item that failed: a limit it hit is named, with its own kind; anything else is 'invalid-item'. */
function itemError(what: string, err: unknown): FeedfoldError {
  if (err instanceof FeedfoldError) return new FeedfoldError('normalize', err.kind, `${what}: ${err.message.replace(/^normalize: /, '')}`, { cause: err });
  return new FeedfoldError('normalize', 'invalid-item', what, { cause: err });
}

/** The note that ends stored HTML cut to the cap: an ellipsis, and a link to the original where there is one. */
function cutNote(url: string | undefined): string {
  return url === undefined ? '<p>…</p>' : `<p>… <a href="${url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">Read the whole article at the source</a></p>`;
}

/** Cuts stored HTML to `maxBytes` at a safe boundary (see truncateHtml), ending it with the note. */
function capHtml(html: string, url: string | undefined, maxBytes: number): string {
  if (fitsBytes(html, maxBytes)) return html;
  const note = cutNote(url);
  return `${truncateHtml(html, Math.max(0, maxBytes - utf8Bytes(note) - 1)).value}\n${note}`;
}

/** An item body read (see readBody), with whether it is the item's full content and whether it was cut. */
interface EntryBody extends ReadBody {
  fromContent: boolean;
  cut: boolean;
}

/**
 * Reads the item's full content, else its summary. Content with neither text nor a picture (a
 * video embed, a script) is no content: the summary is read instead, and the item counts as an excerpt.
 * A body is read only READ_FACTOR times `maxBytes` deep: what lies past that is cut anyway, and a
 * 9 MB body then costs what a 2 MB one does. The result is made once, not copied with each field added.
 */
function readEntryBody(entry: RawEntry, content: string | undefined, summary: string | undefined, base: string | undefined, maxBytes: number): EntryBody {
  const read = (body: string, fromContent: boolean): EntryBody => {
    const isHtml = entry.contentType === 'html' || (entry.contentType === undefined && looksLikeHtml(body));
    const bounded = isHtml ? truncateHtml(body, maxBytes * READ_FACTOR) : truncateText(body, maxBytes * READ_FACTOR);
    const got = readBody(bounded.value, isHtml, base);
    const out: EntryBody = { rawText: got.rawText, images: got.images, fromContent, cut: bounded.cut };
    if (got.html !== undefined) out.html = got.html;
    return out;
  };
  if (content !== undefined) {
    const full = read(content, true);
    if (full.rawText !== '' || full.images > 0) return full;
    if (summary === undefined) {
      full.fromContent = false;
      return full;
    }
  }
  return summary === undefined ? { rawText: '', images: 0, fromContent: false, cut: false } : read(summary, false);
}

function prepareEntry(entry: RawEntry, base: string | undefined, maxBytes: number, clusterOnly: boolean): PreparedEntry {
  const guid = nonEmpty(entry.guid);
  const link = nonEmpty(entry.link);
  // Without a link, an absolute http(s) GUID is the permalink (RSS 2.0 isPermaLink); a bare id
  // such as "item-42" must not be resolved into a URL against the site.
  const url = link !== undefined ? canonicalUrl(link, base) : guid !== undefined ? canonicalUrl(guid) : undefined;
  const content = nonEmpty(entry.content);
  const summary = nonEmpty(entry.summary);
  const read = readEntryBody(entry, content, summary, url ?? base, maxBytes);
  // Cut before anything else reads the text: boilerplate, language and clustering see at most the cap.
  const text = truncateText(read.rawText, maxBytes);
  const prepared: PreparedEntry = { entry, title: cleanTitle(entry.title), rawText: text.value, hasFullContent: read.fromContent, textCut: text.cut || read.cut };
  if (read.html !== undefined && !clusterOnly) prepared.html = capHtml(read.html, url, maxBytes);
  if (guid !== undefined) prepared.guid = guid;
  if (url !== undefined) prepared.url = url;
  return prepared;
}

/**
 * Chooses the id key: GUID, else canonical URL, else title and the item's own text (boilerplate
 * removed without the source context, so the id does not move when other items change).
 */
function idKey(p: PreparedEntry, title: string): string {
  if (p.guid !== undefined) return `guid\n${p.guid}`;
  if (p.url !== undefined) return `url\n${p.url}`;
  return `text\n${title}\n${removeBoilerplate(p.rawText, { normalized: true })}`;
}

/** Hashes the title and text as the source sent them: what an edit changes (see Article.sourceHash). */
function sourceHashOf(p: PreparedEntry): string {
  return shortHash(`${p.title}\n${p.rawText}`);
}

/** Finishes an entry into an Article; `id` is its id when already made (from a GUID or URL, see idKey), else it is made here. */
function finishEntry(p: PreparedEntry, id: string | undefined, repeated: ReadonlySet<string>, feed: RawFeed, source: SourceSpec, sourceTitle: string, now: string, maxBytes: number, options: NormalizeOptions): Article {
  const clusterOnly = options.clusterOnly === true;
  const text = removeBoilerplate(p.rawText, { repeatedLines: repeated, normalized: true });
  const titleDerived = p.title === '' || p.entry.titleDerived === true;
  const title = p.title !== '' ? p.title : deriveTitle(text !== '' ? text : p.rawText);
  const published = normalizeDate(p.entry.published, p.entry.publishedRaw);
  const updated = normalizeDate(p.entry.updated, p.entry.updatedRaw);
  const itemLanguage = nonEmpty(p.entry.language);
  const textSample = text.slice(0, LANGUAGE_SAMPLE_CHARS);
  const language = (options.itemLanguageTrusted === true ? trustedDeclaredLanguageOf(title, textSample, itemLanguage) : undefined) ?? detectLanguage(`${title}\n${textSample}`, itemLanguage ?? nonEmpty(feed.language));
  const article: Article = {
    id: id ?? `${source.id}:${shortHash(idKey(p, title))}`,
    sourceId: source.id,
    sourceTitle,
    sourceLocation: source.location,
    sourceRank: source.rank,
    title,
    titleDerived,
    firstSeen: now,
    language,
    // Plain text has no markup worth keeping: show the clean text, without its boilerplate.
    html: clusterOnly ? '' : (p.html ?? capHtml(textToHtml(text !== '' ? text : p.rawText), p.url, maxBytes)),
    text,
    truncated: p.textCut || looksTruncated(p.rawText, p.hasFullContent, text),
    // Title-only items must not all share the hash of the empty text.
    contentHash: text !== '' ? contentHash(text) : contentHash(`title:${title}`),
    ...(clusterOnly ? {} : { sourceHash: sourceHashOf(p) }),
    categories: clusterOnly ? [] : cleanCategories(p.entry.categories),
  };
  const sourceLink = nonEmpty(feed.link);
  if (sourceLink !== undefined) article.sourceLink = sourceLink;
  if (source.kind === 'article-dir') article.publisher = `file:${article.id}`;
  if (p.guid !== undefined) article.guid = p.guid;
  if (p.url !== undefined) article.url = p.url;
  if (published !== undefined || updated !== undefined) article.published = published ?? updated;
  if (updated !== undefined) article.updated = updated;
  const author = clusterOnly ? undefined : cleanAuthor(p.entry.author);
  if (author !== undefined) article.author = author;
  return article;
}

function baseUrlOf(feed: RawFeed, source: SourceSpec): string | undefined {
  for (const candidate of [feed.link, feed.selfLink, source.kind === 'feed-url' ? source.location : undefined]) {
    const text = nonEmpty(candidate);
    const url = text === undefined ? undefined : canonicalUrl(text);
    if (url !== undefined) return url;
  }
  return undefined;
}

/**
 * Lists the ids that `normalizeFeed` may ask `options.known` about: those of the items with a GUID
 * or URL, computed without reading any body, so a caller can look them all up at once.
 */
export function knownIdCandidates(feed: RawFeed, source: SourceSpec): string[] {
  const base = baseUrlOf(feed, source);
  const entries: readonly RawEntry[] = Array.isArray(feed.entries) ? feed.entries : [];
  const ids: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const guid = nonEmpty(entry.guid);
    const link = nonEmpty(entry.link);
    const key = guid !== undefined ? `guid\n${guid}` : link !== undefined ? urlKey(canonicalUrl(link, base)) : undefined;
    if (key !== undefined) ids.push(`${source.id}:${shortHash(key)}`);
  }
  return ids;
}

function urlKey(url: string | undefined): string | undefined {
  return url === undefined ? undefined : `url\n${url}`;
}

/**
 * Normalizes every entry of a parsed feed into an Article (ids, canonical URLs, dates, clean
 * text without boilerplate or the source's template lines, the HTML it was read from, language,
 * truncation, content hash; text and HTML cut to `maxArticleBytes`); an entry that cannot be used becomes one recorded error and never fails the feed.
 */
export function normalizeFeed(feed: RawFeed, source: SourceSpec, now: string, options: NormalizeOptions = {}): NormalizeResult {
  const errors: FeedfoldError[] = [];
  const base = baseUrlOf(feed, source);
  const maxBytes = options.maxArticleBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const sourceTitle = normalizeLine(source.title ?? '') || cleanTitle(feed.title) || source.location;
  const entries: readonly RawEntry[] = Array.isArray(feed.entries) ? feed.entries : [];

  const prepared: PreparedEntry[] = [];
  entries.forEach((entry, index) => {
    try {
      if (typeof entry !== 'object' || entry === null) {
        errors.push(new FeedfoldError('normalize', 'invalid-item', `${source.id}: item #${index + 1} is not an entry`));
        return;
      }
      const p = prepareEntry(entry, base, maxBytes, options.clusterOnly === true);
      if (p.title === '' && p.rawText === '') {
        errors.push(new FeedfoldError('normalize', 'empty-item', `${source.id}: item ${itemLabel(entry, index)} has no title and no text`));
        return;
      }
      prepared.push(p);
    } catch (err) {
      errors.push(itemError(`${source.id}: item ${itemLabel(entry, index)} could not be read`, err));
    }
  });

  // Pushed into an array literal, not mapped: a feed with no usable item made an empty list of another kind, which threw
  // findRepeatedLines' optimized code away when first met late in a run.
  const texts: string[] = [];
  for (const p of prepared) texts.push(p.rawText);
  const repeated = findRepeatedLines(texts, true);
  const articles: Article[] = [];
  const ids = new Set<string>();
  for (const [index, p] of prepared.entries()) {
    try {
      // Ids from a GUID or URL need no text (nor the title), so a known item is recognised before any costly work, and
      // the id is made once.
      const keyedId = p.guid !== undefined || p.url !== undefined ? `${source.id}:${shortHash(idKey(p, p.title))}` : undefined;
      if (options.known && keyedId !== undefined) {
        const stored = options.known(keyedId);
        if (stored !== undefined && stored.sourceHash === sourceHashOf(p)) continue;
      }
      const article = finishEntry(p, keyedId, repeated, feed, source, sourceTitle, now, maxBytes, options);
      if (ids.has(article.id)) {
        errors.push(new FeedfoldError('normalize', 'duplicate-item', `${source.id}: item ${article.guid ?? article.url ?? article.title} repeats an earlier item's id ${article.id}; first kept`));
        continue;
      }
      ids.add(article.id);
      articles.push(article);
    } catch (err) {
      errors.push(itemError(`${source.id}: item ${itemLabel(p.entry, index)} could not be normalized`, err));
    }
  }
  const feedTitle = cleanTitle(feed.title);
  return { articles, errors, ...(feedTitle !== '' ? { feedTitle } : {}) };
}
