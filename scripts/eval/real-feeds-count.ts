import { canonicalUrl } from '../../src/normalize/canonical-url.js';

/** What the counting needs to know of one corpus item. */
export interface CountedItem {
  key: string;
  /** Corpus file the item came from. */
  file: string;
  /** Files of one family carry the same blog's posts in several formats. */
  family: string;
  link: string;
  title: string;
}

/** How a pair of items folded into one entry is judged. */
export type PairKind = 'wrong-same-feed' | 'wrong-same-family' | 'format' | 'cross-family';

/** One folded entry with its wrong pairs, for the list of worst folds. */
export interface WrongFold {
  title: string;
  members: string[];
  wrongPairs: number;
}

/** The figures of the real-feeds day. */
export interface RealFoldCounts {
  /** Items written into the day's feeds. */
  items: number;
  /** Items the merged feed does not carry (as an alternate or related link). */
  unpublished: string[];
  wrongPairs: number;
  /** Items in at least one wrong pair. */
  wrongItems: number;
  /** Same-post pairs across a family's formats that were folded, and how many there are. */
  formatPairsFolded: number;
  formatPairsTotal: number;
  /** Folded pairs of items from different families: may be right (one story on two sites) or wrong. */
  crossFamilyPairs: number;
  /** Entries holding wrong pairs, most wrong pairs first. */
  worst: WrongFold[];
}

const normTitle = (t: string): string => t.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
/** Canonical URL with its fragment kept: some sites (scripting.com) name each post of a day page by a fragment. */
function normLink(l: string): string {
  const canonical = canonicalUrl(l);
  if (canonical === undefined) return l;
  const hash = URL.canParse(l) ? new URL(l).hash : '';
  return hash === '' || hash === '#' ? canonical : `${canonical}${hash}`;
}

/** Tells whether two items are the same post: the same normalized link, else the same non-empty title. */
export function samePost(a: CountedItem, b: CountedItem): boolean {
  if (normLink(a.link) === normLink(b.link)) return true;
  const ta = normTitle(a.title);
  return ta !== '' && ta === normTitle(b.title);
}

/**
 * Judges a folded pair: two items of one feed are different posts, so folding them is wrong; two
 * items of one family but different files are right only if they are the same post; items of
 * different families are counted apart.
 */
export function judgePair(a: CountedItem, b: CountedItem): PairKind {
  if (a.file === b.file) return 'wrong-same-feed';
  if (a.family !== b.family) return 'cross-family';
  return samePost(a, b) ? 'format' : 'wrong-same-family';
}

/** Counts the wrong, same-post and cross-family pairs among the entries' members (keys of `items`). */
export function countRealFolds(items: readonly CountedItem[], entries: readonly { title: string; members: readonly string[] }[]): RealFoldCounts {
  const byKey = new Map(items.map((it) => [it.key, it]));
  const wrongItems = new Set<string>();
  const worst: WrongFold[] = [];
  let wrongPairs = 0;
  let formatPairsFolded = 0;
  let crossFamilyPairs = 0;
  const published = new Set<string>();
  for (const e of entries) {
    const members = e.members.map((k) => byKey.get(k)).filter((it): it is CountedItem => it !== undefined);
    for (const m of members) published.add(m.key);
    let wrongHere = 0;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i] as CountedItem;
        const b = members[j] as CountedItem;
        const kind = judgePair(a, b);
        if (kind === 'format') formatPairsFolded++;
        else if (kind === 'cross-family') crossFamilyPairs++;
        else {
          wrongHere++;
          wrongItems.add(a.key).add(b.key);
        }
      }
    }
    wrongPairs += wrongHere;
    if (wrongHere > 0) worst.push({ title: e.title, members: members.map((m) => m.key), wrongPairs: wrongHere });
  }
  worst.sort((x, y) => y.wrongPairs - x.wrongPairs || x.title.localeCompare(y.title));
  const unpublished = items.filter((it) => !published.has(it.key)).map((it) => it.key);
  return { items: items.length, unpublished, wrongPairs, wrongItems: wrongItems.size, formatPairsFolded, formatPairsTotal: countFormatPairs(items), crossFamilyPairs, worst };
}

/** Counts the pairs of items in different files of one family that are the same post. */
export function countFormatPairs(items: readonly CountedItem[]): number {
  const byFamily = new Map<string, CountedItem[]>();
  for (const it of items) byFamily.set(it.family, [...(byFamily.get(it.family) ?? []), it]);
  let total = 0;
  for (const list of byFamily.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as CountedItem;
        const b = list[j] as CountedItem;
        if (a.file !== b.file && samePost(a, b)) total++;
      }
    }
  }
  return total;
}
