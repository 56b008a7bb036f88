/**
 * stripTrailingFurniture as it was with backtracking patterns, before it became linear scans: the
 * reference test/normalize/bounded-time.test.ts compares the scans with. Test-only.
 */

const TRAILING_CREDIT =
  /\s*\((?:AP|AFP|Reuters|Getty(?: Images)?|EPA|dpa|PA|Shutterstock|Imago|Bloomberg|File|AP Photo[^)]{0,60}|Photo[^)]{0,60}|Foto[^)]{0,60}|Image[^)]{0,60}|Credit[^)]{0,60})\)\s*$/u;
const SENTENCE_END = /[.!?]["”’»)]?\s+(?=\S)/gu;
const TRAILING_READ_ON =
  /(?:^|(?<=[.!?…"”’)\]])\s+)(?:continue reading|read more|keep reading|read the (?:full|rest of the) (?:story|article|post)|weiterlesen|lire la suite|leer más|seguir leyendo)\b[^.!?\n]{0,150}[\s»›→>]*$/iu;
const CREDIT_MAX_WORDS = 30;

function words(line: string): number {
  return line.split(' ').length;
}

/** The previous stripTrailingFurniture. */
export function stripTrailingFurniture(line: string): string {
  line = line.replace(TRAILING_READ_ON, '').trimEnd();
  const match = TRAILING_CREDIT.exec(line);
  if (match === null) return line;
  const head = line.slice(0, match.index);
  let cut = -1;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(head); m !== null; m = SENTENCE_END.exec(head)) cut = m.index + m[0].length;
  if (cut === -1) return words(line) <= CREDIT_MAX_WORDS ? '' : line;
  const caption = head.slice(cut);
  return words(caption) <= CREDIT_MAX_WORDS ? head.slice(0, cut).trimEnd() : line;
}
