/**
 * A copy of a string as one flat string of its own, for a string the index keeps while its article is in the window.
 * V8 makes a slice of 13 or more characters a view into the string it was cut from, and a concatenation a tree of its
 * parts: kept as they come, a 16-character hash sliced from a 64-character digest keeps the whole digest alive, and an
 * id made of pieces keeps every piece and the nodes between them. JSON's round trip gives a new flat string, equal to
 * the original code unit for code unit (a lone surrogate is escaped and read back).
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
