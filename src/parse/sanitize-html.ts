import { Parser } from 'htmlparser2';

// Allow-lists in the tradition of feedparser's sanitizer (the de-facto reference for what feed
// readers keep): everything not listed is dropped; script, style and applet lose their content too.
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
 * Sanitizes an HTML fragment from a feed: only allow-listed elements and attributes survive,
 * script/style/applet are removed with their content, event handlers and unsafe URL schemes
 * (javascript:, vbscript:) are dropped, and style keeps only harmless CSS. Entity references in
 * text are kept as written.
 */
export function sanitizeHtml(html: string): string {
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

/** Keeps only harmless CSS declarations from a style attribute (no url(), no expressions). */
function sanitizeStyle(style: string): string {
  const s = style.replace(/url\s*\(\s*[^\s)]+?\s*\)\s*/g, ' ');
  if (!/^([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$/.test(s)) return '';
  if (s.replace(/\s*[-\w]+\s*:\s*[^:;]*;?/g, '').trim() !== '') return '';
  const clean: string[] = [];
  for (const m of s.matchAll(/([-\w]+)\s*:\s*([^:;]*)/g)) {
    const prop = m[1] as string;
    const value = m[2] as string;
    if (!value) continue;
    const lower = prop.toLowerCase();
    if (CSS_PROPERTIES.has(lower)) clean.push(`${prop}: ${value};`);
    else if (['background', 'border', 'margin', 'padding'].includes(lower.split('-')[0] as string)) {
      if (value.split(/\s+/).filter((k) => k !== '').every((k) => CSS_KEYWORDS.has(k) || CSS_VALUE_RE.test(k))) clean.push(`${prop}: ${value};`);
    }
  }
  return clean.join(' ');
}
