// feedparser's _sanitize_style, as regular expressions (the form the runner used before, quadratic
// on long styles): the reference the linear implementation must agree with.
const CSS_PROPERTIES = new Set(('azimuth background-color border-bottom-color border-collapse border-color border-left-color border-right-color border-top-color clear color cursor direction display elevation float font font-family font-size font-style font-variant font-weight height letter-spacing line-height overflow pause pause-after pause-before pitch pitch-range richness speak speak-header speak-numeral speak-punctuation speech-rate stress text-align text-decoration text-indent unicode-bidi vertical-align voice-family volume white-space width').split(' '));
const CSS_KEYWORDS = new Set(('!important aqua auto black block blue bold both bottom brown center collapse dashed dotted fuchsia gray green italic left lime maroon medium navy none normal nowrap olive pointer purple red right silver solid teal top transparent underline white yellow').split(' '));
const CSS_VALUE_RE = /^(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$/;

/** Keeps the CSS declarations feedparser keeps, with its regular expressions (quadratic on long styles). */
export function referenceSanitizeStyle(style: string): string {
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
