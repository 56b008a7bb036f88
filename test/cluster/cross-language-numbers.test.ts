import { describe, expect, it } from 'vitest';
import { computeFeatures, SALT_NUMBER, type ArticleFeatures } from '../../src/cluster/article-features.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/create-story-index.js';
import { conflictingNumbers as conflictingNumbersOf, countAgreements as countAgreementsOf, countConflicts as countConflictsOf, countValuesAgree, scorePair } from '../../src/cluster/score-pair.js';
import { COUNT_KINDS, extractNumbers, KINDS_BEFORE } from '../../src/cluster/text-features.js';
import { fnv1a } from '../../src/cluster/hash.js';
import { makeArticle } from './make-article.js';
import { storedPair } from './stored-pair.js';

/** The pair functions on two articles' features, packed as the index holds them. */
const countConflicts = (a: ArticleFeatures, b: ArticleFeatures): number => {
  const p = storedPair(a, b);
  return countConflictsOf(p.store, p.a, p.b);
};
const countAgreements = (a: ArticleFeatures, b: ArticleFeatures): number => {
  const p = storedPair(a, b);
  return countAgreementsOf(p.store, p.a, p.b);
};
const conflictingNumbers = (a: ArticleFeatures, b: ArticleFeatures): string[] => {
  const p = storedPair(a, b);
  return conflictingNumbersOf(p.store, p.a, p.b);
};

const { shingleSize, bands, rows } = DEFAULT_CLUSTER_OPTIONS;

/** Features of an article with a body long enough to count as one, in the given language. */
function features(id: string, language: string, title: string, sentence: string): ArticleFeatures {
  const filler = language === 'de'
    ? ' Die Angaben stammen aus einer Mitteilung, die am Vormittag veröffentlicht wurde, und sie wurden von mehreren Seiten bestätigt.'
    : ' The figures come from a statement released in the morning, and several sides have confirmed them since then.';
  return computeFeatures(makeArticle({ id, title, language, text: `${sentence}${filler}${filler}` }), { shingleSize, bands, rows });
}

describe('numbers across languages', () => {
  it('reads "3,5 Mrd." and "3.5 billion" as one figure that agrees, and a rounded figure as agreeing with it', () => {
    const de = features('de', 'de', 'Konzern übernimmt Rivalen', 'Der Konzern zahlt 3,5 Mrd. Euro für den Rivalen aus Lyon.');
    const en = features('en', 'en', 'Group buys rival', 'The group is paying 3.5 billion euros for its rival from Lyon.');
    expect(de.numbers).toContain('3.5');
    expect(en.numbers).toContain('3.5');
    expect(de.counts.get('billion')).toEqual(new Set(['3.5']));
    expect(en.counts.get('billion')).toEqual(new Set(['3.5']));
    expect(countConflicts(de, en)).toBe(0);

    // A report rounding 3.46 to 3.5 gives the same figure; a different sum is a contradiction.
    const exact = features('exact', 'de', 'Konzern übernimmt Rivalen', 'Der Konzern zahlt 3,46 Milliarden Euro für den Rivalen aus Lyon.');
    expect(countConflicts(exact, en)).toBe(0);
    expect(countAgreements(exact, en)).toBe(1);
    // A different sum is another quantity of the same scale (articles give many), not a contradiction.
    const other = features('other', 'de', 'Konzern übernimmt Rivalen', 'Der Konzern zahlt 4,1 Mrd. Euro für den Rivalen aus Lyon.');
    expect(countAgreements(other, en)).toBe(0);
    expect(countConflicts(other, en)).toBe(0);
  });

  it('keeps a counted figure stated differently a contradiction, and the same one written differently an agreement', () => {
    const en = features('en', 'en', 'Quake hits Izmir', 'A magnitude 5.8 quake hit Izmir, injuring 12 people.');
    const same = features('same', 'de', 'Beben in Izmir', 'Ein Beben der Stärke 5,8 erschütterte Izmir, 12 Menschen wurden verletzt.');
    const other = features('other', 'de', 'Beben in Izmir', 'Ein Beben der Stärke 6,1 erschütterte Izmir, 12 Menschen wurden verletzt.');
    expect(countConflicts(same, en)).toBe(0);
    expect(countConflicts(other, en)).toBe(1);
    expect(conflictingNumbers(other, en)).toEqual(['magnitude: 6.1 vs 5.8']);
  });

  it('reads a spelled number before a word of scale: "zehn Milliarden" is "10 billion"', () => {
    const de = features('de', 'de', 'Bezos spendet', 'Bezos gibt zehn Milliarden Dollar für den Klimaschutz.');
    const en = features('en', 'en', 'Bezos pledges', 'Bezos commits 10 billion dollars to fight climate change.');
    expect(de.counts.get('billion')).toEqual(new Set(['10']));
    expect(countAgreements(de, en)).toBe(1);
    expect(extractNumbers('one millionaire, oneten million, Zwei Millionen')).toEqual([{ value: '2', kind: 'million' }]);
  });

  it('does not read a date as a contradicting number', () => {
    // One event dated a day apart by two reports (time zones, the day it was reported) is no contradiction.
    const de = features('de', 'de', 'Partei wirft Kalbitz hinaus', 'Der Vorstand hat am 16. Mai Kalbitz aus der Partei geworfen.');
    const en = features('en', 'en', 'Party expels Kalbitz', 'The board expelled Kalbitz from the party on Friday (15 May).');
    expect(de.counts.get('date:may')).toEqual(new Set(['16']));
    expect(en.counts.get('date:may')).toEqual(new Set(['15']));
    expect(countConflicts(de, en)).toBe(0);
    expect(conflictingNumbers(de, en)).toEqual([]);

    // "im April 50 000 Stück" is a quantity in April, not a day of it; "05. April" is April 5.
    expect(extractNumbers('Wir können im April 50 000 Stück herstellen. Stand: 05. April 2020')).toEqual([
      { value: '50000' },
      { value: '5', kind: 'date:apr' },
      { value: '2020' },
    ]);

    // Control: the same two reports giving different death tolls do contradict.
    const deDead = features('de-dead', 'de', 'Unglück in Lyon', 'Bei dem Unglück am 16. Mai starben 12 Menschen, 12 Tote wurden geborgen.');
    const enDead = features('en-dead', 'en', 'Accident in Lyon', 'The accident on 15 May killed 15 people; 15 dead were recovered.');
    expect(countConflicts(deDead, enDead)).toBeGreaterThan(0);
  });

  it('does not count two polls of percentages as a contradiction', () => {
    const de = features('de', 'de', 'Umfrage', 'Sanders liegt bei 46,6 Prozent, Biden bei 19,2 Prozent, Buttigieg bei 15,4 Prozent und Warren bei 10,3 Prozent.');
    const en = features('en', 'en', 'Poll', 'Sanders has 46 percent, Biden 19 percent, Buttigieg 15 percent and Warren 10 percent; 60 percent voted early.');
    expect(countConflicts(de, en)).toBe(0);
    expect(countAgreements(de, en)).toBe(4);
  });

  it('compares values within the precision they are written with', () => {
    expect(countValuesAgree(46, 1, 46.6, 0.1)).toBe(true);
    expect(countValuesAgree(12, 1, 13, 1)).toBe(false);
    expect(countValuesAgree(3.5, 0.1, 3.46, 0.01)).toBe(true);
    expect(countValuesAgree(3.5, 0.1, 3.6, 0.1)).toBe(false);
    // Neither rounded nor cut: 1.5 is not "1" written coarser, nor 80.4 "81".
    expect(countValuesAgree(1, 1, 1.5, 0.1)).toBe(false);
    expect(countValuesAgree(81, 1, 80.4, 0.1)).toBe(false);
    expect(countValuesAgree(80, 1, 80.4, 0.1)).toBe(true);
  });

  it('reads thousands written in groups, Polish and Turkish counts and dates', () => {
    expect(extractNumbers('mehr als 30 000 Brillen und 44\'000 Menschen')).toEqual([{ value: '30000' }, { value: '44000', kind: 'people' }]);
    expect(extractNumbers('20 lutego zginęło 12 osób')).toEqual([{ value: '20', kind: 'date:feb' }, { value: '12', kind: 'people' }]);
    expect(extractNumbers('15 Mayıs: yüzde 12, 250 kişi')).toEqual([{ value: '15', kind: 'date:may' }, { value: '12', kind: 'percent' }, { value: '250', kind: 'people' }]);
  });
});

describe('number support across languages', () => {
  // The two texts below translate each other, so the cross-language text alone would fold them: it is left out here
  // to see what the names and the numbers do by themselves (cross-language-text.test.ts tests the text).
  const weights = { ...DEFAULT_CLUSTER_OPTIONS.weights, crossText: 0 };
  const score = (a: ArticleFeatures, b: ArticleFeatures): number => {
    // Every rarity weight 1.
    const p = storedPair(a, b);
    return scorePair(p.store, p.a, p.b, weights, DEFAULT_CLUSTER_OPTIONS.windowHours).score;
  };
  const de = (figure: string): ArticleFeatures =>
    features('de', 'de', 'Optiker baut neues Werk', `Die Optikerkette Fielmann will ${figure} in ein neues Werk in Rathenow stecken, sagte der Vorstandschef Marc Fielmann. Auch Exner von der Universität Bonn berät Fielmann bei dem Vorhaben in Rathenow.`);
  const en = (figure: string): ArticleFeatures =>
    features('en', 'en', 'Optician builds new plant', `The optician chain Fielmann is putting ${figure} into a new plant in Rathenow, chief executive Marc Fielmann said. Exner of the University of Bonn advises Fielmann on the plan in Rathenow. Analysts at Barclays, Citigroup, Nomura, Jefferies, Berenberg, Kepler and Bernstein expect more such plants.`);

  it('lets one shared figure that singles out the story support shared names, and not a shared year or "Covid-19"', () => {
    const threshold = DEFAULT_CLUSTER_OPTIONS.threshold;
    // The names alone stay under the threshold: a different event about the same people would share them too.
    expect(score(de('viel Geld'), en('a lot of money'))).toBeLessThan(threshold);
    expect(score(de('im Jahr 2020 viel Geld'), en('a lot of money in 2020'))).toBeLessThan(threshold);
    expect(score(de('wegen Covid-19 viel Geld'), en('a lot of money because of Covid-19'))).toBeLessThan(threshold);
    expect(score(de('rund 20 Millionen Euro'), en('about 20 million euros'))).toBeGreaterThanOrEqual(threshold);
    // Written with a different precision, the figure still agrees.
    expect(score(de('rund 20,4 Millionen Euro'), en('about 20 million euros'))).toBeGreaterThanOrEqual(threshold);
  });
});

describe('counted kinds', () => {
  it('hash apart, so the contradiction test over packed kinds is the one over their names', () => {
    const kinds = new Set([...COUNT_KINDS.values(), ...KINDS_BEFORE.values(), 'score', 'speed']);
    const hashes = new Set([...kinds].map((kind) => fnv1a(kind, SALT_NUMBER) | 0));
    expect(hashes.size).toBe(kinds.size);
  });
});
