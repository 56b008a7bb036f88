/**
 * Finds `needle` (lower-case ASCII) in `text` from `from` on, ASCII letters in any case, as a
 * non-unicode `/i` pattern matches them; -1 when absent. One pass over the text: no lower-cased
 * copy, whose indexes could differ from the original's outside ASCII.
 */
export function indexOfAsciiIgnoringCase(text: string, needle: string, from = 0): number {
  let prefix = 0;
  while (prefix < needle.length && !isAsciiLetter(needle.charCodeAt(prefix))) prefix++;
  if (prefix > 0) return indexAfterPrefix(text, needle, prefix, from);
  const first = needle.charCodeAt(0);
  const firstUpper = first >= 97 && first <= 122 ? first - 32 : first;
  for (let i = from; i + needle.length <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== first && c !== firstUpper) continue;
    let j = 1;
    while (j < needle.length && lowerAscii(text.charCodeAt(i + j)) === needle.charCodeAt(j)) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * indexOfAsciiIgnoringCase of a needle whose first `prefix` characters are no ASCII letters: those match
 * only themselves, so the native search finds each place they occur (`<!` of `<!doctype`, `&` of
 * `&lt;`), and only the rest is compared there.
 */
function indexAfterPrefix(text: string, needle: string, prefix: number, from: number): number {
  const head = needle.slice(0, prefix);
  for (let i = text.indexOf(head, from); i !== -1 && i + needle.length <= text.length; i = text.indexOf(head, i + 1)) {
    let j = prefix;
    while (j < needle.length && lowerAscii(text.charCodeAt(i + j)) === needle.charCodeAt(j)) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function isAsciiLetter(code: number): boolean {
  return (code | 32) >= 97 && (code | 32) <= 122;
}

function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Returns `s` without its trailing characters that `isTrailing` accepts (one pass from the end). */
export function trimEndWhere(s: string, isTrailing: (ch: string) => boolean): string {
  let end = s.length;
  while (end > 0 && isTrailing(s[end - 1] as string)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Wraps a search for the next occurrence at or after a position, for positions that only grow: the
 * last answer is reused while it still lies ahead, so all the searches together read the text once.
 */
export function nextFinder(find: (from: number) => number): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -2 || (found !== -1 && found < from)) found = find(from);
    return found;
  };
}
