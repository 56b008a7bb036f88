/** Returns `s` without its trailing characters that `isTrailing` accepts (one pass from the end, where a `[…]+$` pattern retries every start). */
export function trimEndWhere(s: string, isTrailing: (ch: string) => boolean): string {
  let end = s.length;
  while (end > 0 && isTrailing(s[end - 1] as string)) end--;
  return end === s.length ? s : s.slice(0, end);
}
