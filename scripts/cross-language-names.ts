/**
 * Writes src/cluster/cross-language-names.ts: the one-word country and language names that the cross-language vector
 * reads (see displayNamesOf in src/cluster/cross-language.ts), as this runtime's CLDR gives them. Kept in the source so
 * that a start does not ask Intl for them (a quarter of a second of CPU), and so that the keys do not move with the
 * CLDR of whatever runtime runs feedfold. Run it again to take up another CLDR (the clustering figures may then move).
 *
 * Usage: npx tsx scripts/cross-language-names.ts [--check]
 * With --check, writes nothing: prints whether the file holds what this runtime gives, and exits 1 when it does not.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { displayNamesOf, LANGUAGES } from '../src/cluster/cross-language.js';
import { writeOrCheckKept } from './kept-module.js';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cluster', 'cross-language-names.ts');

/** The module's text: the ids of every name in the order displayNamesOf lists them, then each language's names in that order. */
export function namesModule(): string {
  const byLanguage = LANGUAGES.map((lang) => [lang, new Map(displayNamesOf(lang).map(([name, id]) => [id, name]))] as const);
  const order = (id: string): string => `${id.slice(1)}${id[0] === 'R' ? 0 : 1}`;
  const ids = [...new Set(byLanguage.flatMap(([, names]) => [...names.keys()]))].sort((a, b) => (order(a) < order(b) ? -1 : 1));
  for (const [lang, names] of byLanguage) {
    for (const name of names.values()) if (/\s/.test(name) || name === '') throw new Error(`${lang}: the name ${JSON.stringify(name)} cannot be kept space-separated`);
  }
  const rows = byLanguage.map(([lang, names]) => `  ${lang}: ${JSON.stringify(ids.map((id) => names.get(id) ?? '').join(' '))},`);
  return [
    `// Written by scripts/cross-language-names.ts from CLDR ${process.versions.cldr} (ICU ${process.versions.icu}); do not edit.`,
    '',
    '/** Ids (`R` or `L` and the two-letter code) of the region and language names below, in the order they are read. */',
    `export const DISPLAY_NAME_IDS = ${JSON.stringify(ids.join(' '))};`,
    '',
    '/** Per language, the one-word name of each id of DISPLAY_NAME_IDS, space-separated (empty where it has none). */',
    'export const DISPLAY_NAMES: Readonly<Record<string, string>> = {',
    ...rows,
    '};',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeOrCheckKept('cross-language-names', FILE, namesModule(), 'as this runtime gives them', `differs from CLDR ${process.versions.cldr} of this runtime`);
}
