/**
 * Agency header lines: the dateline that opens a wire story ("BERLIN (Reuters) -", "Moskau (dpa) –", "МОСКВА, 5 апр
 * — РИА Новости.") and the credit or time lines that open or close it ("© AFP", "Von RND/dpa", "(sda / dpa / afp)",
 * "05. April 2020, 09:19 Uhr"). They say who sent a story and when, not what it is about: two unrelated stories from
 * one agency share them, and the dateline's city is the agency's desk more often than the story's place. Clustering
 * reads a body without them (the published text keeps them). The patterns are few and anchored at a body's first or
 * last lines, so a sentence that names an agency ("Putin told TASS") is never touched.
 */

import { mapPacked } from '../model/packed-map.js';

/**
 * Agencies and the credits of agency copy, lower-case: the world's wire services, and the national ones of the feeds'
 * languages (German, French, Spanish, Italian, Polish, Turkish, Russian, Arabic, Chinese).
 */
const AGENCIES = [
  'ap', 'afp', 'reuters', 'dpa', 'dpa-afx', 'apa', 'apa-ots', 'sda', 'sda-ats', 'kna', 'epd', 'ddp', 'dapd', 'afx', 'rnd',
  'efe', 'europa press', 'ansa', 'agi', 'adnkronos', 'pap', 'iar', 'ctk', 'čtk', 'tasr', 'mti', 'anp', 'belga', 'ats',
  'aa', 'anadolu', 'anadolu ajansı', 'dha', 'iha', 'i̇ha', 'trt', 'tass', 'itar-tass', 'ria', 'ria novosti', 'interfax',
  'ukrinform', 'unian', 'xinhua', 'kyodo', 'yonhap', 'pti', 'ians', 'upi', 'bloomberg', 'associated press',
  'agence france-presse', 'dpa/afp', 'notimex', 'telam', 'télam', 'mena', 'wam', 'spa', 'qna', 'kuna', 'petra', 'sana',
  'риа новости', 'риа', 'тасс', 'итар-тасс', 'интерфакс', 'прайм', 'укринформ', 'униан',
  'وكالات', 'رويترز', 'أ ف ب', 'د ب أ', 'واس', 'وام', 'قنا', 'كونا', 'بترا', 'سانا', 'الأناضول',
];
const AGENCY_SET = new Set(AGENCIES);

/** Words that introduce a credit ("Foto: dpa", "Von RND/dpa", "Source: Xinhua", "Kaynak: AA", "Por EFE"). */
const CREDIT_WORDS = new Set([
  'von', 'by', 'por', 'par', 'via', 'mit', 'material', 'und', 'and', 'et', 'y', 've', 'i', 'foto', 'fotos', 'photo', 'bild',
  'quelle', 'source', 'sources', 'kaynak', 'fuente', 'fonte', 'źródło', 'zrodlo', 'источник', 'фото', 'agencies', 'agenturen',
  'agences', 'agencias', 'wire', 'news', 'ajansı', 'haber', 'ajansi', 'copyright', 'avatar', 'dpa-infocom',
]);

/** A credit line is short: at most this many characters. */
const MAX_CREDIT_CHARS = 60;
/** Lines read at each end of a body. */
const EDGE_LINES = 2;

/**
 * A dateline opening the first line: an optional place (up to five words, capitals, commas, points; "FRANKFURT,
 * Germany", "LAS VEGAS", "Berlin") then the sender in parentheses ("(dpa)", "(AP)", "(dpa-AFX)", "(red)", "(mba)") and a
 * dash, colon or point: "Berlin (dpa) - ", "(AP) — ", "ORTENBERG (mba). ".
 */
const PAREN_DATELINE_RE = /^\s*(?:[\p{Lu}][\p{L}'’.-]*(?:[ ,/]+[\p{L}'’.-]+){0,4}\s*)?\(([\p{L}][\p{L}\p{N} ./,&-]{0,28})\)\s*[-–—:.•]\s*/u;

/** A dateline of a place in capitals and a dash: "PEKING - ", "GENEVA — ", "BERLIN • ". */
const CAPS_DATELINE_RE = /^\s*\p{Lu}{2,}(?:[ -]\p{Lu}{2,}){0,3}(?:,\s*[\p{Lu}][\p{L}.]+(?: [\p{L}.]+){0,2})?\s+[-–—•]\s+/u;

/**
 * A Russian-style dateline: place, date, dash and the agency ("МОСКВА, 5 апр — РИА Новости. ", "BERLIN, 3. März – dpa:
 * "), or the TASS form with the agency between slashes ("МОСКВА, 5 апреля. /ТАСС/. ").
 */
const AGENCY_DATELINE_RE = /^\s*[\p{Lu}][\p{L}-]*(?: [\p{L}-]+){0,3},\s*\d{1,2}\.?\s*\p{L}{3,10}\.?(?:\s*\d{4})?\s*(?:[-–—]\s*([\p{L}][\p{L} -]{1,24}?)\s*[.:,]|\/\s*([\p{L}][\p{L} -]{1,24}?)\s*\/\s*\.?)\s*/u;

/** A time of day or a written date, which a line of time alone carries: "09:19", "05.04.2020", "5. April 2020". */
const TIME_OR_DATE_RE = /\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}\.? \p{L}{3,10}\.? \d{4}\b|\b\p{L}{3,10}\.? \d{1,2},? \d{4}\b/u;

/** Splits a short line into tokens as written for the credit test (slashes, commas, parentheses, © and _ separate them). */
function creditTokens(line: string): string[] {
  return line
    .replace(/[()[\]|©@«»"“”:;,/·•_]+/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Tells whether a token as written is editors' initials ("lc", "mp", "fmg", "red"): two to four lower-case letters. */
function isInitials(token: string): boolean {
  return /^\p{Ll}{2,4}$/u.test(token);
}

/**
 * Tells whether a short line is an agency credit: it names an agency, and its other words are credit words or editors'
 * initials ("lc/ng (AFP, dpa, Reuters)", "Von RND/dpa", "© AFP", "Kaynak: AA", "РИА Новости"); or it is editors'
 * initials alone in parentheses ("(fmg)", "(red)").
 */
export function isCreditLine(line: string): boolean {
  if (line.length > 2 * MAX_CREDIT_CHARS) return false;
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_CREDIT_CHARS) return false;
  if (/^\(\p{Ll}{2,5}\)$/u.test(trimmed)) return true;
  const written = creditTokens(trimmed);
  const tokens = mapPacked(written, (t) => t.toLowerCase());
  let agency = false;
  let other = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    // Agencies of two or three words ("ria novosti", "associated press", "د ب أ").
    const three = i + 2 < tokens.length ? `${token} ${tokens[i + 1]} ${tokens[i + 2]}` : '';
    const two = i + 1 < tokens.length ? `${token} ${tokens[i + 1]}` : '';
    if (three !== '' && AGENCY_SET.has(three)) {
      agency = true;
      i += 2;
    } else if (two !== '' && AGENCY_SET.has(two)) {
      agency = true;
      i += 1;
    } else if (AGENCY_SET.has(token)) agency = true;
    else if (!CREDIT_WORDS.has(token) && !(isInitials(written[i] as string) && tokens.length > 1)) other++;
  }
  return agency && other === 0;
}

/** Tells whether a short line is a time or date line: a time or date, and at most three other words. */
export function isTimeLine(line: string): boolean {
  if (line.length > 2 * MAX_CREDIT_CHARS) return false;
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_CREDIT_CHARS || !TIME_OR_DATE_RE.test(trimmed)) return false;
  const words = trimmed.replace(TIME_OR_DATE_RE, ' ').match(/\p{L}{2,}/gu) ?? [];
  return words.length <= 3;
}

/** Characters a dateline ends within, and the marks one of them carries: a parenthesis, a dash or a slash. */
const DATELINE_MAX_CHARS = 90;
const DATELINE_MARK_RE = /[(\-–—•/]/;

/** Removes a dateline from the start of a line; the line as it was when it opens with none. */
export function stripDateline(line: string): string {
  if (!DATELINE_MARK_RE.test(line.slice(0, DATELINE_MAX_CHARS))) return line;
  const paren = PAREN_DATELINE_RE.exec(line);
  if (paren !== null && isSender(paren[1] as string)) return line.slice(paren[0].length);
  const agency = AGENCY_DATELINE_RE.exec(line);
  if (agency !== null && AGENCY_SET.has((agency[1] ?? agency[2] ?? '').toLowerCase().trim())) return line.slice(agency[0].length);
  const caps = CAPS_DATELINE_RE.exec(line);
  if (caps !== null) return line.slice(caps[0].length);
  return line;
}

/**
 * Tells whether the words in a dateline's parentheses name a sender: agencies ("dpa-AFX", "AFP/dpa"), or an editor's
 * initials in lower case ("red", "mba"); a party in capitals ("Merkel (CDU):") is none.
 */
function isSender(inside: string): boolean {
  const written = creditTokens(inside);
  return written.length > 0 && written.every((t) => isInitials(t) || AGENCY_SET.has(t.toLowerCase()) || CREDIT_WORDS.has(t.toLowerCase()) || t.toLowerCase().split('-').every((p) => AGENCY_SET.has(p)));
}

/** A credit in parentheses closing a body's last line: "… betroffenen Länder.(apa)", "… mitmachen. (fmg)". */
const TRAILING_CREDIT_RE = /\(([^()]{2,40})\)\s*$/u;

/** Removes a credit in parentheses from the end of a line; the line as it was when it closes with none. */
export function stripTrailingCredit(line: string): string {
  let end = line.length;
  while (end > 0 && isBlank(line.charCodeAt(end - 1))) end--;
  if (end === 0 || line.charCodeAt(end - 1) !== 41) return line;
  const m = TRAILING_CREDIT_RE.exec(line);
  if (m === null || !(isSender(m[1] as string) && (isCreditLine(m[1] as string) || isInitials((m[1] as string).trim())))) return line;
  return line.slice(0, m.index);
}

/**
 * Returns the text clustering reads of a body: without the credit and time lines among its first and last
 * EDGE_LINES non-empty lines, and without a dateline opening its first remaining line or a credit closing its last. A
 * body without such lines comes back as the same string. Only the lines at the two ends are cut out and read, so the
 * cost does not grow with the body.
 */
export function withoutAgencyLines(text: string): string {
  let from = 0;
  let to = text.length;
  // Credit and time lines at the start.
  for (let seen = 0; from < to && seen < EDGE_LINES; ) {
    const end = lineEnd(text, from, to);
    const line = text.slice(from, end);
    if (!isBlankLine(text, from, end)) {
      seen++;
      if (!isCreditLine(line) && !isTimeLine(line)) break;
    }
    from = Math.min(to, end + 1);
  }
  // And at the end. The last newline before `to` is kept with the `to` it was searched back from: the last line's
  // start is asked for again below, from within the same line, and a search backwards reads the whole line each time.
  let newline = -1;
  let newlineTo = -1;
  for (let seen = 0; to > from && seen < EDGE_LINES; ) {
    newline = to > 0 ? text.lastIndexOf('\n', to - 1) : -1;
    newlineTo = to;
    const start = newline < from ? from : newline + 1;
    const line = text.slice(start, to);
    if (!isBlankLine(text, start, to)) {
      seen++;
      if (!isCreditLine(line) && !isTimeLine(line)) break;
    }
    to = Math.max(from, start - 1);
  }
  // The first line of text may open with a dateline, the last close with a credit in parentheses.
  while (from < to && isBlank(text.charCodeAt(from))) from++;
  while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
  if (from >= to) return from === 0 && to === text.length ? text : '';
  const firstEnd = lineEnd(text, from, to);
  const opening = text.slice(from, firstEnd);
  const opened = stripDateline(opening);
  // No newline lies between the one found last and `to` when `to` is still on its line.
  if (!(to > newline && to <= newlineTo)) newline = text.lastIndexOf('\n', to - 1);
  const lastStart = newline < from ? from : newline + 1;
  const closing = lastStart >= firstEnd ? text.slice(lastStart, to) : opened;
  const closed = stripTrailingCredit(closing);
  if (from === 0 && to === text.length && opened === opening && closed === closing) return text;
  if (lastStart < firstEnd) return stripTrailingCredit(opened);
  return opened + text.slice(firstEnd, lastStart) + closed;
}

/** Where the line starting at `from` ends (its newline, or `to`). */
function lineEnd(text: string, from: number, to: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 || nl > to ? to : nl;
}

/** Tells whether text[from, to) holds only whitespace. */
function isBlankLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlank(text.charCodeAt(i))) return false;
  return true;
}

/** Whitespace between lines: space, tab, carriage return, newline, no-break space. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10 || code === 160;
}
