import { htmlparser2 } from '../model/htmlparser2.js';
import type { ChildNode, Document, Element } from 'domhandler';
import { FeedfoldError } from '../model/errors.js';
import { collapseWhitespaceRuns } from './clean-text.js';
import { trimEndWhere } from './trim-end.js';

/**
 * Deepest element nesting of an HTML body or title, in elements. Articles nest a few dozen levels;
 * deeper input is refused (the item is skipped with this reason) before any walk of the tree.
 */
export const MAX_HTML_DEPTH = 512;

/** Elements that end a paragraph: their content is set off by a blank line. */
const PARAGRAPH_TAGS: ReadonlySet<string> = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'blockquote',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'figure', 'figcaption', 'table', 'ul', 'ol', 'dl',
  'address', 'hr', 'form', 'fieldset', 'details', 'summary', 'center', 'body', 'html',
]);

/** Elements that take one line each (list items, table rows, definition terms). */
const LINE_TAGS: ReadonlySet<string> = new Set(['li', 'dt', 'dd', 'tr', 'caption']);

/** Table cells: separated by a space on their row's line. */
const CELL_TAGS: ReadonlySet<string> = new Set(['td', 'th']);

/** Elements that never hold article text. */
export const NON_TEXT_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'frame', 'object', 'embed',
  'applet', 'svg', 'math', 'select', 'option', 'button', 'textarea', 'canvas', 'audio', 'video', 'map',
]);

const SPACE_AFTER_NEWLINE = /\n[ \t]+/g;

/** Removes spaces and tabs before every line break (as /[ \t]+\n/g → '\n', without retrying inside a run). */
function withoutSpaceBeforeNewlines(text: string): string {
  if (!text.includes(' \n') && !text.includes('\t\n')) return text;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) lines[i] = trimEndWhere(lines[i] as string, (ch) => ch === ' ' || ch === '\t');
  return lines.join('\n');
}

/** Options for {@link htmlToText}. */
export interface HtmlToTextOptions {
  /** Returns true for an element to leave out with everything inside (boilerplate blocks). */
  skipElement?: (element: Element) => boolean;
}

/** Collects text with pending separators so that breaks never double up or lead the output. */
class TextSink {
  private readonly parts: string[] = [];
  private pendingBreak = 0;
  private pendingSpace = false;
  private empty = true;

  write(text: string): void {
    if (text === '') return;
    if (!this.empty) {
      if (this.pendingBreak === 2) this.parts.push('\n\n');
      else if (this.pendingBreak === 1) this.parts.push('\n');
      else if (this.pendingSpace) this.parts.push(' ');
    }
    this.pendingBreak = 0;
    this.pendingSpace = false;
    this.parts.push(text);
    this.empty = false;
  }

  space(): void {
    this.pendingSpace = true;
  }

  /** Requests a line break (1) or a paragraph break (2) before the next text. */
  lineBreak(level: 1 | 2): void {
    if (level > this.pendingBreak) this.pendingBreak = level;
  }

  /** Records a <br>: a second one in a row makes a paragraph break, as it renders. */
  hardBreak(): void {
    this.pendingBreak = this.pendingBreak >= 1 ? 2 : 1;
  }

  toString(): string {
    const text = withoutSpaceBeforeNewlines(this.parts.join(''));
    // Most texts have no space or tab after a line break, which two quick scans tell.
    return (text.includes('\n ') || text.includes('\n\t') ? text.replace(SPACE_AFTER_NEWLINE, '\n') : text).trim();
  }
}

function writeText(sink: TextSink, data: string, preformatted: boolean): void {
  if (preformatted) {
    sink.write(data);
    return;
  }
  const collapsed = collapseWhitespaceRuns(data);
  if (collapsed === ' ') {
    sink.space();
    return;
  }
  if (collapsed.startsWith(' ')) sink.space();
  sink.write(collapsed.trim());
  if (collapsed.endsWith(' ')) sink.space();
}

function walk(nodes: readonly ChildNode[], sink: TextSink, options: HtmlToTextOptions, preformatted: boolean): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      writeText(sink, node.data, preformatted);
      continue;
    }
    if (node.type === 'cdata') {
      walk(node.children, sink, options, preformatted);
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const name = node.name.toLowerCase();
    if (NON_TEXT_TAGS.has(name)) continue;
    if (name === 'br') {
      sink.hardBreak();
      continue;
    }
    if (options.skipElement !== undefined && options.skipElement(node)) {
      // The block is gone, but it still separated what came before from what follows.
      if (PARAGRAPH_TAGS.has(name)) sink.lineBreak(2);
      else sink.space();
      continue;
    }
    const level = PARAGRAPH_TAGS.has(name) ? 2 : LINE_TAGS.has(name) ? 1 : 0;
    if (level > 0) sink.lineBreak(level as 1 | 2);
    else if (CELL_TAGS.has(name)) sink.space();
    walk(node.children, sink, options, preformatted || name === 'pre');
    if (level > 0) sink.lineBreak(level as 1 | 2);
    else if (CELL_TAGS.has(name)) sink.space();
  }
}

/**
 * Converts HTML to plain text the way it reads: paragraphs and blocks separated by a blank
 * line, <br> as a line break, one list item or table row per line, entities decoded,
 * scripts/styles/embeds left out, whitespace collapsed outside <pre>.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  return documentToText(parseHtml(html), options);
}

/**
 * Parses HTML into a DOM (entities decoded) for {@link documentToText} and in-place cleaning.
 * Throws FeedfoldError('normalize', 'too-deep') for elements nested deeper than MAX_HTML_DEPTH.
 */
export function parseHtml(html: string): Document {
  const document = htmlparser2().parseDocument(html, { decodeEntities: true });
  if (depthExceeds(document.children, MAX_HTML_DEPTH)) throw new FeedfoldError('normalize', 'too-deep', `HTML nested deeper than ${MAX_HTML_DEPTH} elements (nesting limit)`);
  return document;
}

/** Tells whether elements nest deeper than `max` below these nodes, without recursion. */
function depthExceeds(nodes: readonly ChildNode[], max: number): boolean {
  const stack: [readonly ChildNode[], number][] = [[nodes, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [children, depth] = top;
    for (const node of children) {
      if (!('children' in node) || node.children.length === 0) continue;
      if (depth + 1 > max) return true;
      stack.push([node.children, depth + 1]);
    }
  }
  return false;
}

/** Converts a parsed document to plain text, as {@link htmlToText} does for a string. */
export function documentToText(document: Document, options: HtmlToTextOptions = {}): string {
  const sink = new TextSink();
  walk(document.children, sink, options, false);
  return sink.toString();
}
