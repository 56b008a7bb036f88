import { htmlparser2 } from '../model/htmlparser2.js';

/** The outcome of decoding character references in one XML text or attribute value. */
export interface EntityDecodeState {
  /** Set when the input used references XML does not define, or a bare '&' (not well-formed). */
  lenient: boolean;
}

// XML 1.0 §4.6: the only predefined entities.
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const htmlEntityCache = new Map<string, string | undefined>();
const REFERENCE_RE = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,31});?/g;

/**
 * Decodes XML character and entity references; HTML named entities (`&nbsp;`), numeric references
 * without ';' and bare '&' are accepted the way feed readers do, and flagged as lenient.
 */
export function decodeXmlEntities(s: string, state: EntityDecodeState): string {
  if (s.indexOf('&') === -1) return s;
  let out = '';
  let last = 0;
  REFERENCE_RE.lastIndex = 0;
  for (let m = REFERENCE_RE.exec(s); m !== null; m = REFERENCE_RE.exec(s)) {
    const ref = m[1] as string;
    const terminated = m[0].endsWith(';');
    let replacement: string | undefined;
    if (ref.charCodeAt(0) === 35 /* # */) {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      replacement = codePointToString(cp);
      if (!terminated) state.lenient = true;
    } else if (terminated && Object.hasOwn(XML_ENTITIES, ref)) {
      replacement = XML_ENTITIES[ref];
    } else {
      replacement = terminated ? htmlEntity(ref) : undefined;
      state.lenient = true;
    }
    if (replacement === undefined) continue;
    out += s.slice(last, m.index) + replacement;
    last = m.index + m[0].length;
  }
  if (last === 0) {
    state.lenient = true; // only bare ampersands
    return s;
  }
  const rest = s.slice(last);
  if (rest.indexOf('&') !== -1) state.lenient = true;
  return out + rest;
}

// HTML §13.2.5.80: references to 0x80–0x9F mean the windows-1252 character, as every browser reads them.
const CP1252_C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function codePointToString(cp: number): string {
  // XML 1.0 §2.2 Char: NUL, surrogates and out-of-range code points are not characters.
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  if (cp >= 0x80 && cp <= 0x9f) return CP1252_C1[cp - 0x80] as string;
  return String.fromCodePoint(cp);
}

// The HTML named-entity table lives in htmlparser2's decoder; ask it once per name.
function htmlEntity(name: string): string | undefined {
  if (htmlEntityCache.has(name)) return htmlEntityCache.get(name);
  let text = '';
  const p = new (htmlparser2().Parser)({ ontext(t) { text += t; } }, { decodeEntities: true });
  p.end(`&${name};`);
  const value = text === `&${name};` ? undefined : text;
  htmlEntityCache.set(name, value);
  return value;
}
