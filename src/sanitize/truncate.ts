import { htmlparser2 } from '../model/htmlparser2.js';

/** HTML void elements (HTML Living Standard §13.1.2): no end tag to close. */
const VOID: ReadonlySet<string> = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Characters fed to the tokenizer at a time, so that a cut near the start never reads the rest. */
const CHUNK_CHARS = 16_384;
/** Distance from the cut, in characters, within which a space is preferred as the cut point. */
const WORD_BOUNDARY_CHARS = 64;
/** Longest character reference (`&CounterClockwiseContourIntegral;` is 33). */
const ENTITY_MAX_CHARS = 40;
const ELLIPSIS = '…';

/** What a truncation gave: the result, and whether anything was cut. */
export interface Truncated {
  value: string;
  cut: boolean;
}

/** Returns the UTF-8 size of a string in bytes. */
export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** UTF-8 bytes a UTF-16 code unit takes at most: 3 for one of the BMP, 4 for a surrogate pair (2 a half). */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Tells whether a string takes at most `maxBytes` UTF-8 bytes. A string short enough to fit even at
 * MAX_BYTES_PER_UNIT bytes a code unit (most article bodies, against a cap of hundreds of KB) fits
 * without its bytes being counted.
 */
export function fitsBytes(value: string, maxBytes: number): boolean {
  return value.length * MAX_BYTES_PER_UNIT <= maxBytes || utf8Bytes(value) <= maxBytes;
}

function charBytes(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  // A surrogate half counts 2: the pair is 4 bytes, a lone half becomes U+FFFD (3) at worst.
  if (code >= 0xd800 && code <= 0xdfff) return 2;
  return 3;
}

/** Returns how many characters of `value` from `start` fit in `budget` UTF-8 bytes, never splitting a surrogate pair. */
function fittingChars(value: string, start: number, end: number, budget: number): number {
  let used = 0;
  let i = start;
  while (i < end) {
    const bytes = charBytes(value.charCodeAt(i));
    if (used + bytes > budget) break;
    used += bytes;
    i++;
  }
  // Never end between the two halves of a surrogate pair.
  if (i > start && i < end) {
    const last = value.charCodeAt(i - 1);
    if (last >= 0xd800 && last <= 0xdbff) i--;
  }
  return i - start;
}

/** Moves a cut back to the last space close before it, so that no word is cut in half. */
function atWordBoundary(value: string, start: number, cut: number): number {
  for (let i = cut; i > start && i >= cut - WORD_BOUNDARY_CHARS; i--) {
    const c = value.charCodeAt(i - 1);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  return cut;
}

/** Moves a cut in HTML text back before a character reference it would split (`&am|p;`). */
function outsideReference(value: string, start: number, cut: number): number {
  const from = Math.max(start, cut - ENTITY_MAX_CHARS);
  const amp = value.lastIndexOf('&', cut - 1);
  if (amp < from) return cut;
  return value.indexOf(';', amp) >= cut || value.indexOf(';', amp) === -1 ? amp : cut;
}

/** Returns html.slice(0, end) without the spaces (and a lone `<`) the cut left at its end. */
function trimCutEnd(html: string, end: number): string {
  let i = end;
  while (i > 0) {
    const c = html.charCodeAt(i - 1);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13 && c !== 12 && c !== 60) break;
    i--;
  }
  return html.slice(0, i);
}

/**
 * Cuts plain text to at most `maxBytes` UTF-8 bytes, ellipsis included: at a space when one is
 * close, never inside a surrogate pair, and marked with "…" when cut.
 */
export function truncateText(text: string, maxBytes: number): Truncated {
  if (fitsBytes(text, maxBytes)) return { value: text, cut: false };
  const room = Math.max(0, maxBytes - utf8Bytes(ELLIPSIS));
  const fit = fittingChars(text, 0, text.length, room);
  const cut = atWordBoundary(text, 0, fit);
  return { value: `${text.slice(0, cut > 0 ? cut : fit).trimEnd()}${ELLIPSIS}`, cut: true };
}

/**
 * Cuts an HTML fragment to at most `maxBytes` UTF-8 bytes at a safe boundary: between tags or
 * inside text (at a space when one is close), never inside a tag, a character reference or a
 * surrogate pair, with every element still open closed after the cut. The input is read token by
 * token as a browser would (htmlparser2) and only as far as the cut, so a 9 MB fragment costs what
 * the kept part costs.
 */
export function truncateHtml(html: string, maxBytes: number): Truncated {
  if (fitsBytes(html, maxBytes)) return { value: html, cut: false };
  // Elements open at `kept`, and the bytes of their end tags.
  const open: string[] = [];
  let closersBytes = 0;
  // Elements the parser closed without an end tag in the text (a <li> before the next <li>): closed
  // once the token that closed them is kept, still open (and closed by the cut) otherwise.
  let implied: string[] = [];
  let impliedBytes = 0;
  // html.slice(0, kept) is made of whole tokens and takes `used` bytes.
  let kept = 0;
  let used = 0;
  let cutText = -1;
  let done = false;

  const closerOf = (name: string): number => (open.includes(name) ? name.length + 3 : 0);
  const close = (name: string): void => {
    const at = open.lastIndexOf(name);
    if (at !== -1) for (const inner of open.splice(at)) closersBytes -= inner.length + 3;
  };
  /** Tells whether the text up to `end`, with `extra` more bytes of end tags, fits the budget. */
  const fits = (end: number, extra: number): boolean => used + utf8Bytes(html.slice(kept, end)) + closersBytes - impliedBytes + extra <= maxBytes;
  const keep = (end: number): void => {
    used += utf8Bytes(html.slice(kept, end));
    kept = end;
    for (const name of implied) close(name);
    implied = [];
    impliedBytes = 0;
  };
  // A comment or a declaration is kept whole or not at all.
  function wholeToken(): void {
    if (done) return;
    const end = parser.endIndex + 1;
    if (fits(end, 0)) keep(end);
    else done = true;
  }
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name) {
        if (done) return;
        const end = parser.endIndex + 1;
        const closer = VOID.has(name) ? 0 : name.length + 3;
        if (!fits(end, closer)) { done = true; return; }
        keep(end);
        if (closer > 0) {
          open.push(name);
          closersBytes += closer;
        }
      },
      onclosetag(name, isImplied) {
        if (done || VOID.has(name)) return;
        if (isImplied) {
          impliedBytes += closerOf(name);
          implied.push(name);
          return;
        }
        const end = parser.endIndex + 1;
        if (!fits(end, -closerOf(name))) { done = true; return; }
        keep(end);
        close(name);
      },
      ontext() {
        if (done) return;
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        if (fits(end, 0)) { keep(end); return; }
        done = true;
        // Whatever lies between the last whole token and this text is kept with it.
        const budget = maxBytes - used - utf8Bytes(html.slice(kept, start)) - (closersBytes - impliedBytes);
        if (budget <= 0) return;
        const cut = outsideReference(html, start, atWordBoundary(html, start, start + fittingChars(html, start, end, budget)));
        if (cut <= start) return;
        cutText = cut;
        keep(start);
      },
      oncomment: wholeToken,
      onprocessinginstruction: wholeToken,
    },
    { decodeEntities: false, lowerCaseTags: true },
  );
  for (let i = 0; i < html.length && !done; i += CHUNK_CHARS) parser.write(html.slice(i, i + CHUNK_CHARS));
  if (!done) parser.end();
  const head = cutText === -1 ? html.slice(0, kept) : trimCutEnd(html, cutText);
  const closers = open.reverse().map((name) => `</${name}>`).join('');
  return { value: `${head}${closers}`, cut: true };
}
