/**
 * Line-level patterns for page furniture that survives HTML-to-text conversion (or arrives as
 * plain text): section headers, share and follow prompts, bylines and date lines, copyright,
 * photo credits, newsletter and cookie notices. All compiled once at load.
 */

const MONTHS =
  'jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|jun(?:e|\\.)?|jul(?:y|\\.)?|aug(?:ust|\\.)?|sep(?:t(?:ember)?|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?' +
  '|januar|februar|märz|mai|juni|juli|oktober|dezember' +
  '|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre' +
  '|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre';
const WEEKDAY = '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?';
const DATE =
  `${WEEKDAY}(?:(?:${MONTHS})\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}\\.?\\s+(?:de\\s+)?(?:${MONTHS})\\s+(?:de\\s+)?\\d{4}` +
  '|\\d{4}-\\d{2}-\\d{2}(?:[t ]\\d{2}:\\d{2}(?::\\d{2})?z?)?|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4})';
const TIME = '(?:\\s*(?:,|at|um|à|a las|-|–|\\|)?\\s*\\d{1,2}[:.h]\\d{2}\\s*(?:am|pm|a\\.m\\.|p\\.m\\.|uhr)?\\s*(?:[a-z]{2,4})?)?';

/** "March 1, 2025 by Linh", "Posted on 2025-03-01", "Updated: 4 March 2025, 10:12 GMT". */
const DATE_LINE = new RegExp(
  `^(?:(?:posted|published|updated|last updated|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado)(?:\\s+on|\\s+am|\\s+le|\\s+el)?\\s*:?\\s*)?` +
    `${DATE}${TIME}(?:\\s*(?:by|von|par|por|[|·•–-])\\s*.{1,60})?$`,
  'iu',
);

/** "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Von Max Muster". */
const BYLINE = /^(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]i|[Dd]oor|[Ww]ritten by|[Ww]ords by)\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|and|&|und|et|y|e|van|von|de|la|del))*\s*(?:[,|·•–-]\s*.{0,60})?$/u;

/** Headings of sidebars, related lists, comment and share sections (the whole line). */
const SECTION_HEADER = new RegExp(
  '^(?:related(?: posts?| articles?| stories| coverage| content| news| reading| links| topics)?|read more|read also|also read|see also' +
    '|more from [\\p{L}\\d .&\'’-]{1,40}|more (?:stories|news|articles|on this story)|you (?:may|might) also like|recommended(?: for you| stories| articles| reading)?' +
    '|recent (?:posts|comments|articles|stories)|popular (?:posts|stories|articles)|most (?:popular|read|viewed|shared)|trending(?: now| stories)?' +
    '|latest (?:news|stories|posts|articles)|further reading|top stories|don[\'’]t miss|editor[\'’]?s picks|around the web|from the web|sponsored (?:content|links|stories)' +
    '|primary sidebar|secondary sidebar|sidebar|footer|skip to (?:main )?content|main (?:menu|navigation)|menu|search|log ?in|sign in|register' +
    '|leave a (?:comment|reply)|post a comment|comments?|\\d+ comments?|no comments(?: yet)?|join the (?:discussion|conversation)' +
    '|advertisement|advertising|sponsored|ad|continue reading|keep reading|read the (?:full|whole|rest of the) (?:story|article)|click here(?: to read more)?|loading|archives|categories|meta|tags?|share|print|email' +
    '|about the author|author bio|newsletter|subscribe|sign up|follow us' +
    '|anzeige|werbung|mehr zum thema|lesen sie auch|auch interessant|weitere artikel|das könnte sie auch interessieren|teilen' +
    '|publicité|à lire aussi|lire aussi|sur le même sujet|partager|publicidad|lee también|te puede interesar|compartir|noticias relacionadas)' +
    '[\\s:.…→»›>|-]*$',
  'iu',
);

/**
 * Headers after which the rest of a page is furniture (sidebars, related lists, comments, tags):
 * either a whole-line heading, or a taxonomy label with its terms ("Filed Under: Local").
 */
const END_MARKER = new RegExp(
  '^(?:(?:filed under|tagged(?: with)?|tags|categories|category|posted in|categori[sz]ed in|topics)\\s*:.*' +
    '|(?:primary sidebar|secondary sidebar|sidebar|recent (?:posts|comments|articles|stories)|related(?: posts?| articles?| stories| coverage| content)?' +
    '|you (?:may|might) also like|more (?:stories|news|articles)|more from [\\p{L}\\d .&\'’-]{1,40}|recommended(?: for you| stories| articles| reading)?' +
    '|popular (?:posts|stories|articles)|most (?:popular|read|viewed|shared)|trending(?: now| stories)?|latest (?:news|stories|posts|articles)|top stories' +
    '|around the web|leave a (?:comment|reply)|post a comment|\\d+ comments?|share this(?: article| story| post)?|about the author' +
    '|mehr zum thema|lesen sie auch|weitere artikel|sur le même sujet|noticias relacionadas)[\\s:.…→»›>|-]*)$',
  'iu',
);

/** "Related: …", "Filed Under: …", "Tags: …": a label and a colon, then links or headlines. */
const LABELLED_LIST = new RegExp(
  '^(?:related|read more|read also|also read|see also|more|recommended|filed under|tagged(?: with)?|tags|categories|category|posted in|categori[sz]ed in|topics' +
    '|share this|lesen sie auch|mehr zum thema|schlagworte|à lire aussi|lire aussi|lee también|leer más|etiquetas)\\s*:\\s*\\S',
  'iu',
);

/** Share, follow and "click to" prompts. */
const SHARE_PROMPT =
  /^(?:share (?:this|on|via|the article|article|story)\b|share:|sharing is caring|click to (?:share|email|print|tweet|copy)|tweet (?:this|it)\b|pin it\b|email this\b|print this\b|follow us\b|follow (?:[\p{L}@.]+ ){0,3}on (?:twitter|x|facebook|instagram|tiktok|linkedin|threads|bluesky|mastodon|youtube|google news)\b|like us on facebook|join (?:us|our [\p{L}]+) on\b|find us on\b|folgen sie uns|suivez-nous|síguenos)/iu;

/** Newsletter sign-up prompts: an invitation to a newsletter anywhere in the line… */
const NEWSLETTER_INVITATION = /\b(?:subscribe to|sign up (?:for|to)|signup for|get|join) (?:our|the)\b.{0,60}\bnewsletters?\b/iu;
/** …or a sign-up form's prompt opening it. */
const NEWSLETTER_PROMPT = /^(?:enter your e-?mail|your e-?mail address|subscribe now|sign up now)\b/iu;

/** Cookie and consent banners. */
const COOKIE_NOTICE =
  /\b(?:we use cookies|this (?:web)?site uses cookies|uses cookies to|cookie (?:policy|settings|preferences)|accept (?:all )?cookies|verwendet cookies|utilise des cookies|utiliza cookies)\b/iu;
/**
 * A word every match of NEWSLETTER_INVITATION or COOKIE_NOTICE holds, matched as they match it
 * (case-insensitive, Unicode): a line without one is tested no further, and one pass over it says so.
 */
const NOTICE_WORD = /newsletter|cookie/iu;

/** Copyright and rights lines (site footers). */
const COPYRIGHT = /^(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b|\balle rechte vorbehalten\b|\btous droits réservés\b|\btodos los derechos reservados\b/iu;
const COPYRIGHT_SIGN = /©/u;

/** "Photo: …", "Image credit: …", "Foto: …": a caption or credit, not story text. */
const CREDIT_LABEL =
  /^(?:photo(?:graph)?s?|images?|pictures?|credit|photo credit|image credit|image source|illustration|foto(?:s)?|bild(?:quelle)?|crédits? photo|crédit|watch|video)\s*:/iu;

/** "ZUMAPRESS.com / MEGA …", "Getty Images / Jane Doe": agency / photographer credits that open a caption. */
const SLASH_CREDIT = /^\p{Lu}[\p{L}\d.&'’-]*(?:\s\p{Lu}[\p{L}\d.&'’-]*)?\s\/\s[\p{L}\d.&'’-]+/u;

/** A caption sentence that ends in a wire or photo agency credit: "Alec Baldwin(AP)". */
// Matched from its '(' on; the spaces before it are walked back in code (a leading \s* retried the
// pattern from every space of a run).
const TRAILING_CREDIT =
  /\((?:AP|AFP|Reuters|Getty(?: Images)?|EPA|dpa|PA|Shutterstock|Imago|Bloomberg|File|AP Photo[^)]{0,60}|Photo[^)]{0,60}|Foto[^)]{0,60}|Image[^)]{0,60}|Credit[^)]{0,60})\)\s*$/u;
const SPACE = /\s/u;
const SENTENCE_END = /[.!?]["”’»)]?\s+(?=\S)/gu;

/** WordPress's feed footer: "The post <title> appeared first on <site>." */
const APPEARED_FIRST = /^the post .{1,300} appeared first on .{1,120}$/iu;

/** A read-on link closing a line: "… the union said. Continue reading →", "Read more: Port strike ends". */
// Searched for by its link text, in the last READ_ON_REACH characters before the closing arrows and
// spaces, and its opening (start of line, or spaces after a sentence's end) checked in code: the
// whole pattern, `[^.!?\n]{0,150}[\s»›→>]*$` after every link text, took time quadratic in a run of arrows.
const READ_ON_TEXT = /(?:continue reading|read more|keep reading|read the (?:full|rest of the) (?:story|article|post)|weiterlesen|lire la suite|leer más|seguir leyendo)\b[^.!?\n]{0,150}$/giu;
const READ_ON_CLOSER = /[\s»›→>]/u;
const READ_ON_AFTER_SENTENCE = /[.!?…"”’)\]]/u;
/** Longest link text (28) and what may follow it (150), in characters. */
const READ_ON_REACH = 28 + 150;
/** A part of each link text of READ_ON_TEXT, matched as it matches them: a line whose end holds none has no read-on link. */
const READ_ON_WORD = /read|lesen|lire|leer|leyendo/giu;

/** Lines of nothing but separators ("-", "•", "* * *"). */
const SEPARATOR = /^[\s\-–—•·|*_=~#+]*$/u;

/** Words from which a caption line is too long to be a credit. */
const CREDIT_MAX_WORDS = 30;
/** Words from which a byline/date/notice line is too long to be one. */
const SHORT_LINE_MAX_WORDS = 14;
/** Characters from which a line is too long to be a byline or date line (bounds the work of their patterns). */
const SHORT_LINE_MAX_CHARS = 400;
/** Characters from which a copyright or cookie line is prose, not a notice. */
const NOTICE_MAX_CHARS = 400;

/**
 * Tells whether `text` has at least `n` (two or more) words, parts between spaces as
 * `text.split(' ').length >= n` counts them: every rule asks only "more or fewer than", so
 * counting stops at `n`, and no array is made.
 */
export function hasWords(text: string, n: number): boolean {
  if (text.length < n - 1) return false;
  let at = -1;
  for (let k = 1; k < n; k++) {
    at = text.indexOf(' ', at + 1);
    if (at === -1) return false;
  }
  return true;
}

/** Tells whether a line is a newsletter or cookie notice (see NEWSLETTER_INVITATION, NEWSLETTER_PROMPT, COOKIE_NOTICE). */
function isNotice(line: string): boolean {
  if (NEWSLETTER_PROMPT.test(line)) return true;
  return NOTICE_WORD.test(line) && (NEWSLETTER_INVITATION.test(line) || COOKIE_NOTICE.test(line));
}

/** Returns true when a whole line is a separator. */
export function isSeparatorLine(line: string): boolean {
  return SEPARATOR.test(line);
}

/** Returns true when a line is a header after which the rest of the page is sidebar, tags, related lists or comments. */
export function isEndMarker(line: string): boolean {
  return line.length <= 120 && END_MARKER.test(line);
}

/** Returns true when a whole line is boilerplate by its own wording (see the patterns above). */
export function isBoilerplateLine(line: string): boolean {
  if (SEPARATOR.test(line)) return true;
  if (line.length <= 120 && SECTION_HEADER.test(line)) return true;
  if (LABELLED_LIST.test(line) && line.length <= 600) return true;
  if (line.length <= 200 && SHARE_PROMPT.test(line)) return true;
  if (APPEARED_FIRST.test(line)) return true;
  if (line.length <= NOTICE_MAX_CHARS && isNotice(line)) return true;
  if (line.length <= 200 && (COPYRIGHT.test(line) || COPYRIGHT_SIGN.test(line))) return true;
  if (line.length <= SHORT_LINE_MAX_CHARS && !hasWords(line, SHORT_LINE_MAX_WORDS + 1) && (DATE_LINE.test(line) || BYLINE.test(line))) return true;
  // Both patterns are anchored and fail within a line's first words: tried before the words are counted.
  return (CREDIT_LABEL.test(line) || SLASH_CREDIT.test(line)) && !hasWords(line, CREDIT_MAX_WORDS + 1);
}

/**
 * Returns where a closing read-on link starts ("… the union said. Continue reading →"), or the
 * line's length when it has none: the link text at the start of the line or after spaces that
 * follow a sentence's end, at most 150 characters of its title, then only spaces and arrows.
 */
function readOnStart(line: string): number {
  let end = line.length;
  while (end > 0 && READ_ON_CLOSER.test(line[end - 1] as string)) end--;
  const body = line.slice(0, end);
  // Neither the link text nor what follows it holds a ".", "!" or "?": it starts after the last one, and the words
  // are not looked for in a line that ends a sentence (most lines).
  let from = end;
  for (const reach = Math.max(0, end - READ_ON_REACH); from > reach; from--) {
    const code = body.charCodeAt(from - 1);
    if (code === 0x2e || code === 0x21 || code === 0x3f) break;
  }
  READ_ON_WORD.lastIndex = from;
  if (!READ_ON_WORD.test(body)) return line.length;
  READ_ON_TEXT.lastIndex = from;
  for (let m = READ_ON_TEXT.exec(body); m !== null; m = READ_ON_TEXT.exec(body)) {
    if (m.index === 0) return 0;
    let start = m.index;
    while (start > 0 && SPACE.test(body[start - 1] as string)) start--;
    if (start < m.index && start > 0 && READ_ON_AFTER_SENTENCE.test(body[start - 1] as string)) return start;
    READ_ON_TEXT.lastIndex = m.index + 1;
  }
  return line.length;
}

/**
 * Removes a closing read-on link, then a trailing caption sentence that ends in an agency credit ("…alum. Kim Basinger made
 * a rare comment(AP)" keeps "…alum."); returns '' when the whole line is such a caption.
 */
export function stripTrailingFurniture(line: string): string {
  line = line.slice(0, readOnStart(line)).trimEnd();
  // The credit closes the line: a line that ends otherwise has none, and the pattern need not scan it.
  const match = line.endsWith(')') ? TRAILING_CREDIT.exec(line) : null;
  if (match === null) return line;
  let start = match.index;
  while (start > 0 && SPACE.test(line[start - 1] as string)) start--;
  const head = line.slice(0, start);
  let cut = -1;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(head); m !== null; m = SENTENCE_END.exec(head)) cut = m.index + m[0].length;
  if (cut === -1) return hasWords(line, CREDIT_MAX_WORDS + 1) ? line : '';
  // Only a short final sentence is a caption; a long one is the story quoting its source.
  const caption = head.slice(cut);
  return hasWords(caption, CREDIT_MAX_WORDS + 1) ? line : head.slice(0, cut).trimEnd();
}
