import { isAscii, isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type * as IconvModule from 'iconv-lite';

// A CommonJS package, required as such (see sanitize-html.ts): no ES module wrapper, whose exports Node.js finds by
// lexing the package's source in every parse worker.
const iconv = createRequire(import.meta.url)('iconv-lite') as typeof IconvModule;

/** How a body was decoded: the label acted on and where it came from. */
export interface DecodedBody {
  text: string;
  /** The encoding label as found (lower case), e.g. 'iso-8859-1'; 'utf-8' when nothing was said. */
  encoding: string;
  /** The decoder actually used, after WHATWG aliasing (iso-8859-1 → windows-1252). */
  decoder: string;
  source: 'bom' | 'http' | 'prolog' | 'sniffed' | 'default';
  /** True when a declared encoding was overridden or could not be used. */
  overridden: boolean;
}

// WHATWG Encoding §4.2: these labels all mean windows-1252 in every browser, because servers
// that say "Latin-1" very often send cp1252 curly quotes in 0x80–0x9F.
const WINDOWS_1252_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'us-ascii', 'ascii', 'ansi_x3.4-1968', 'cp819', 'ibm819', 'iso_8859-1', 'iso-ir-100', 'csisolatin1', 'cp1252', 'x-cp1252', 'windows-1252']);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'x-unicode20utf8']);
const UTF16_LABELS = new Set(['utf-16', 'utf16', 'utf_16', 'u16', 'utf-16le', 'utf-16be', 'ucs-2', 'iso-10646-ucs-2', 'unicode', 'utf-32', 'utf32', 'utf_32', 'u32', 'utf-32le', 'utf-32be']);
const PROLOG_SCAN_BYTES = 1024;

/** Decodes a feed body to a string using BOM, HTTP charset and XML prolog, never throwing. */
export function decodeBody(body: Buffer, contentType?: string): string {
  return decodeBodyDetailed(body, contentType).text;
}

/** Decodes a feed body like `decodeBody` and reports which encoding was used and why. */
export function decodeBodyDetailed(body: Buffer, contentType?: string): DecodedBody {
  const bom = sniffBom(body);
  if (bom) {
    // WHATWG "decode": a BOM beats every label (also what RFC 7303 §3 recommends readers do).
    const httpLabel = charsetFromContentType(contentType);
    const overridden = httpLabel !== undefined && normalizeLabel(httpLabel) !== bom.label && !(bom.label.startsWith('utf-') && UTF16_LABELS.has(httpLabel));
    return finish(body.subarray(bom.length), bom.label, bom.label, 'bom', overridden);
  }
  const httpLabel = charsetFromContentType(contentType);
  const prologLabel = charsetFromProlog(body);
  if (httpLabel !== undefined) {
    // RFC 7303 §3: the charset parameter of the media type is authoritative.
    // A prolog that disagrees is overruled without complaint: that is the precedence, not an error.
    const decoder = decoderFor(httpLabel, body);
    if (decoder) return finish(body, reportedLabel(httpLabel), decoder, 'http', false);
  }
  const utf16 = sniffUtf16WithoutBom(body);
  if (utf16) return finish(body, utf16, utf16, 'sniffed', false);
  if (prologLabel !== undefined) {
    if (WINDOWS_1252_LABELS.has(prologLabel) && hasNonAscii(body) && isValidUtf8(body)) {
      // A Latin-1 label on bytes that are valid multi-byte UTF-8 is a mislabel: real Latin-1 text
      // almost never forms valid UTF-8 sequences, so the bytes are the better witness.
      return finish(body, 'utf-8', 'utf-8', 'sniffed', true);
    }
    if (UTF16_LABELS.has(prologLabel)) {
      // A UTF-16 label on a document we just read as ASCII-compatible bytes is false.
      return finish(body, 'utf-8', 'utf-8', 'sniffed', true);
    }
    const decoder = decoderFor(prologLabel, body);
    if (decoder) return finish(body, reportedLabel(prologLabel), decoder, 'prolog', false);
    return finish(body, 'utf-8', 'utf-8', 'default', true);
  }
  if (hasNonAscii(body) && !isValidUtf8(body)) {
    // Nothing was declared and the bytes are not UTF-8: old feeds written by Windows tools send
    // cp1252 ("don’t" as 0x92); decoding them as windows-1252 is what feedparser and browsers do.
    return finish(body, 'windows-1252', 'windows-1252', 'sniffed', false);
  }
  return finish(body, 'utf-8', 'utf-8', 'default', false);
}

function finish(bytes: Buffer, encoding: string, decoder: string, source: DecodedBody['source'], overridden: boolean): DecodedBody {
  let text = iconv.decode(bytes, decoder, { stripBOM: true });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, encoding, decoder, source, overridden };
}

function sniffBom(b: Buffer): { label: string; length: number } | undefined {
  // UTF-32 first: its little-endian BOM starts like UTF-16's.
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return { label: 'utf-32le', length: 4 };
  if (b.length >= 4 && b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return { label: 'utf-32be', length: 4 };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { label: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { label: 'utf-16be', length: 2 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { label: 'utf-16le', length: 2 };
  return undefined;
}

// XML 1.0 Appendix F: "<?" encoded in UTF-16 without a BOM shows as 00 3C 00 3F or 3C 00 3F 00.
function sniffUtf16WithoutBom(b: Buffer): string | undefined {
  if (b.length < 4) return undefined;
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0x00 && b[3] === 0x3c) return 'utf-32be';
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x00 && b[3] === 0x00) return 'utf-32le';
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return 'utf-16be';
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return 'utf-16le';
  return undefined;
}

/** Extracts the charset parameter from a Content-Type header value (RFC 9110 §8.3). */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*(["']?)([^"';\s]+)\1/i.exec(contentType);
  return m?.[2] ? m[2].toLowerCase() : undefined;
}

function charsetFromProlog(b: Buffer): string | undefined {
  const head = b.subarray(0, PROLOG_SCAN_BYTES).toString('latin1');
  const m = /^[\s\u00a0]*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ? m[1].toLowerCase() : undefined;
}

// WHATWG Encoding §4.2 and §10.1: GB2312 and GBK labels are decoded as their superset GB18030.
const GB18030_LABELS = new Set(['gb2312', 'gbk', 'x-gbk', 'chinese', 'csgb2312', 'gb_2312-80', 'gb_2312', 'iso-ir-58', 'gb18030']);

function normalizeLabel(label: string): string {
  if (UTF8_LABELS.has(label)) return 'utf-8';
  if (WINDOWS_1252_LABELS.has(label)) return 'windows-1252';
  if (GB18030_LABELS.has(label)) return 'gb18030';
  return label;
}

function reportedLabel(label: string): string {
  return GB18030_LABELS.has(label) ? 'gb18030' : label;
}

function decoderFor(label: string, body: Buffer): string | undefined {
  const normalized = normalizeLabel(label);
  if (normalized === 'utf-16' || normalized === 'utf16' || normalized === 'unicode') {
    return body[0] === 0x00 ? 'utf-16be' : 'utf-16le';
  }
  return iconv.encodingExists(normalized) ? normalized : undefined;
}

function hasNonAscii(b: Buffer): boolean {
  return !isAscii(b);
}

/** Tells whether a buffer is well-formed UTF-8 (RFC 3629). */
export function isValidUtf8(b: Buffer): boolean {
  return isUtf8(b);
}
