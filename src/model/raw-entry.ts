/**
 * What the parse stage reads from one feed or article file, before validation.
 * Everything is optional: outside data is not trusted until normalize has checked it.
 */
export interface RawEntry {
  guid?: string;
  link?: string;
  title?: string;
  /** True when the title was made up from the text (article files without a title line). */
  titleDerived?: boolean;
  /** Summary or excerpt, HTML or text as given by the source. */
  summary?: string;
  /** Full content, HTML or text as given by the source. */
  content?: string;
  /** How `content`/`summary` are to be read; 'html' when unknown and the string holds tags. */
  contentType?: 'html' | 'text';
  /** ISO 8601 UTC, when the source date parsed; the raw string is kept beside it. */
  published?: string;
  publishedRaw?: string;
  updated?: string;
  updatedRaw?: string;
  author?: string;
  categories?: string[];
  enclosures?: RawEnclosure[];
  /** Language tag given by the source (xml:lang, dc:language, <language>). */
  language?: string;
}

export interface RawEnclosure {
  url: string;
  type?: string;
  length?: number;
}

/** One parsed document: a feed, or a directory of article files. */
export interface RawFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json' | 'articles';
  title?: string;
  /** The site's home page. */
  link?: string;
  /** The feed's own URL when it names one (atom:link rel=self). */
  selfLink?: string;
  language?: string;
  entries: RawEntry[];
}
