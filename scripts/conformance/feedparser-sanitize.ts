import { Parser } from 'htmlparser2';

/**
 * feedparser's sanitizer, for the conformance runner only: the Universal Feed Parser tests expect
 * its exact output (which elements, attributes and CSS it keeps). feedfold itself sanitizes once,
 * with its own policy (src/sanitize), when it publishes.
 */

// Allow-lists of feedparser's sanitizer (_HTMLSanitizer): everything not listed is dropped;
// script, style and applet lose their content too.
const ELEMENTS = new Set(('a abbr acronym address area article aside audio b big blockquote br button canvas caption center cite code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option output p pre progress q rp rt ruby s samp section select small sound source spacer span strike strong sub sup table tbody td textarea tfoot th thead time tr tt u ul var video').split(' '));
const ATTRIBUTES = new Set(('abbr accept accept-charset accesskey action align alt autocomplete autofocus axis background balance bgcolor bgproperties border bordercolor bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch challenge char charoff charset checked choff cite class clear color cols colspan compact contenteditable controls coords data datafld datapagesize datasrc datetime default delay dir disabled draggable dynsrc enctype end face for form frame galleryimg gutter headers height hidden hidefocus high href hreflang hspace icon id inputmode ismap keytype label lang leftspacing list longdesc loop loopcount loopend loopstart low lowsrc max maxlength media method min multiple name nohref noshade nowrap open optimum pattern ping point-size poster pqg preload prompt radiogroup readonly rel repeat-max repeat-min replace required rev rightspacing rows rowspan rules scope selected shape size span src start step style summary suppress tabindex target template title toppadding type unselectable urn usemap valign value variable volume vrml vspace width wrap xml:lang').split(' '));
const DROP_WITH_CONTENT = new Set(['script', 'style', 'applet']);
// HTML void elements (HTML Living Standard §13.1.2): no end tag, written self-closed.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const CSS_PROPERTIES = new Set(('azimuth background-color border-bottom-color border-collapse border-color border-left-color border-right-color border-top-color clear color cursor direction display elevation float font font-family font-size font-style font-variant font-weight height letter-spacing line-height overflow pause pause-after pause-before pitch pitch-range richness speak speak-header speak-numeral speak-punctuation speech-rate stress text-align text-decoration text-indent unicode-bidi vertical-align voice-family volume white-space width').split(' '));
const CSS_KEYWORDS = new Set(('!important aqua auto black block blue bold both bottom brown center collapse dashed dotted fuchsia gray green italic left lime maroon medium navy none normal nowrap olive pointer purple red right silver solid teal top transparent underline white yellow').split(' '));
const CSS_VALUE_RE = /^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$/;
const SAFE_SCHEMES = new Set(['http', 'https', 'ftp', 'ftps', 'mailto', 'news', 'nntp', 'gopher', 'irc', 'ircs', 'feed', 'tel', 'sip', 'sftp', 'ssh', 'svn', 'git', 'magnet', 'aim', 'xmpp', 'urn', 'tag', 'data']);
const URL_ATTRS = new Set(['href', 'src', 'cite', 'action', 'longdesc', 'background', 'dynsrc', 'lowsrc', 'poster', 'usemap']);

/**
 * Sanitizes an HTML fragment the way feedparser does: only allow-listed elements and attributes
 * survive, script/style/applet are removed with their content, event handlers and unsafe URL
 * schemes (javascript:, vbscript:) are dropped, and style keeps only harmless CSS. Entity
 * references in text are kept as written.
 */
export function feedparserSanitize(html: string): string {
  if (html.indexOf('<') === -1) return html.trim();
  let out = '';
  let dropDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (DROP_WITH_CONTENT.has(name)) { dropDepth++; return; }
        if (dropDepth > 0 || !ELEMENTS.has(name)) return;
        let tag = `<${name}`;
        for (const [rawKey, rawValue] of Object.entries(attrs)) {
          const key = rawKey.toLowerCase();
          if (!ATTRIBUTES.has(key)) continue;
          let value = rawValue;
          if (key === 'style') {
            value = sanitizeStyle(value);
            if (value === '') continue;
          } else if (URL_ATTRS.has(key) && !isSafeUrl(value)) {
            value = '';
          }
          tag += ` ${key}="${escapeAttr(value)}"`;
        }
        out += VOID.has(name) ? `${tag} />` : `${tag}>`;
      },
      onclosetag(name, isImplied) {
        if (DROP_WITH_CONTENT.has(name)) { if (dropDepth > 0) dropDepth--; return; }
        if (dropDepth > 0 || !ELEMENTS.has(name) || VOID.has(name) || isImplied) return;
        out += `</${name}>`;
      },
      ontext(text) {
        if (dropDepth === 0) out += text;
      },
      oncomment(text) {
        // A comment is inert markup; "--" inside it would end it early in some readers.
        if (dropDepth === 0) out += `<!--${text.replace(/--/g, '- -')}-->`;
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(html.replace(/<!\[CDATA\[/g, '&lt;![CDATA['));
  return out.trim().replace(/\r\n/g, '\n');
}

function isSafeUrl(value: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const compact = value.replace(/[\u0000-\u0020]+/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (!m) return !/^[a-z0-9+.-]*&#/i.test(compact);
  return SAFE_SCHEMES.has(m[1] as string) && !(m[1] === 'data' && !/^data:image\/(png|gif|jpe?g|webp);/.test(compact));
}

function escapeAttr(v: string): string {
  return v.replace(/&(?!(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);)/gi, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// Longest CSS value token worth testing: a colour, rgb() or a length is far shorter, and the
// value pattern is quadratic on a long run of digits.
const CSS_TOKEN_MAX_CHARS = 64;

const isSpace = (c: string): boolean => /\s/.test(c);
const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);

/**
 * Removes url(...) values (feedparser: `url\s*\(\s*[^\s)]+?\s*\)\s*` replaced by a space), in one
 * pass: a failed candidate's address run is skipped, since every candidate inside it fails alike.
 */
function removeUrls(s: string): string {
  let out = '';
  let last = 0;
  let from = 0;
  for (let i = s.indexOf('url', from); i !== -1; i = s.indexOf('url', from)) {
    from = i + 1;
    let j = i + 3;
    while (j < s.length && isSpace(s[j] as string)) j++;
    if (s[j] !== '(') continue;
    j++;
    while (j < s.length && isSpace(s[j] as string)) j++;
    const run = j;
    while (j < s.length && !isSpace(s[j] as string) && s[j] !== ')') j++;
    if (j === run) continue;
    let k = j;
    while (k < s.length && isSpace(s[k] as string)) k++;
    if (s[k] !== ')') { from = Math.max(from, j); continue; }
    k++;
    while (k < s.length && isSpace(s[k] as string)) k++;
    out += `${s.slice(last, i)} `;
    last = k;
    from = k;
  }
  return out + s.slice(last);
}

/**
 * Tells whether a style is made only of the pieces feedparser allows
 * (`^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$`), by dynamic programming
 * over positions instead of a backtracking regex.
 */
function allowedPieces(s: string): boolean {
  const reach = new Uint8Array(s.length + 1);
  reach[0] = 1;
  for (let i = 0; i < s.length; i++) {
    if (!reach[i]) continue;
    const c = s[i] as string;
    if (/[:,;#%.a-zA-Z0-9!]/.test(c) || isSpace(c)) reach[i + 1] = 1;
    if (isWord(c) && s[i + 1] === '-' && isWord(s[i + 2])) reach[i + 3] = 1;
    if (c === "'" || c === '"' || c === '(') {
      const close = c === '(' ? ')' : c;
      const inside = c === '(' ? (x: string): boolean => /[\d,]/.test(x) || isSpace(x) : (x: string): boolean => isWord(x) || isSpace(x);
      let j = i + 1;
      while (j < s.length && inside(s[j] as string)) j++;
      if (j > i + 1 && s[j] === close) reach[j + 1] = 1;
    }
  }
  return reach[s.length] === 1;
}

/**
 * Splits a style into declarations the way feedparser's check reads them
 * (`\s*[-\w]+\s*:\s*[^:;]*;?` repeated, nothing but spaces left over); undefined when it is not
 * such a list.
 */
function declarations(s: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  let i = 0;
  const skipSpace = (): void => { while (i < s.length && isSpace(s[i] as string)) i++; };
  for (;;) {
    skipSpace();
    if (i >= s.length) return out;
    const name = i;
    while (i < s.length && (isWord(s[i]) || s[i] === '-')) i++;
    if (i === name) return undefined;
    const prop = s.slice(name, i);
    skipSpace();
    if (s[i] !== ':') return undefined;
    i++;
    skipSpace();
    const value = i;
    while (i < s.length && s[i] !== ':' && s[i] !== ';') i++;
    out.push([prop, s.slice(value, i)]);
    if (s[i] === ';') i++;
  }
}

/** Keeps only harmless CSS declarations from a style attribute (no url(), no expressions), in linear time. */
export function sanitizeStyle(style: string): string {
  const s = removeUrls(style);
  if (!allowedPieces(s)) return '';
  const decls = declarations(s);
  if (decls === undefined) return '';
  const clean: string[] = [];
  for (const [prop, value] of decls) {
    if (!value) continue;
    const lower = prop.toLowerCase();
    if (CSS_PROPERTIES.has(lower)) clean.push(`${prop}: ${value};`);
    else if (['background', 'border', 'margin', 'padding'].includes(lower.split('-')[0] as string)) {
      const ok = (k: string): boolean => CSS_KEYWORDS.has(k) || (k.length <= CSS_TOKEN_MAX_CHARS && CSS_VALUE_RE.test(k));
      if (value.split(/\s+/).filter((k) => k !== '').every(ok)) clean.push(`${prop}: ${value};`);
    }
  }
  return clean.join(' ');
}
