/**
 * A copy of a string as one flat string of its own, for a string the index keeps while its article is in the window.
 * V8 makes a slice of 13 or more characters a view into the string it was cut from, and a concatenation a tree of its
 * parts: kept as they come, a 16-character hash sliced from a 64-character digest keeps the whole digest alive, and an
 * id made of pieces keeps every piece and the nodes between them. Joining two non-empty parts of it writes the code
 * units into one new flat string (a join of one part would give that part back as it is); a string shorter than two
 * code units is always flat.
 */
export function ownString(s: string): string {
  return s.length < 2 ? s : [s.slice(0, 1), s.slice(1)].join('');
}
