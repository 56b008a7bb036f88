import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterBatch, firstSeenTimes, isoOf, mostWithin, publishedMs, timeOrder } from '../../src/cli/cluster-batch.js';
import { parseDate } from '../../src/parse/parse-date.js';

const digits = (n: number, max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));

/** Dates shaped as toISOString writes them, fields out of range included (month 13, February 30, 24:00, second 60). */
const isoShaped = fc
  .tuple(digits(4, 9999), digits(2, 19), digits(2, 39), digits(2, 29), digits(2, 69), digits(2, 69), digits(3, 999))
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);

/** The string `format` returns, or the name of the error it throws. */
function outcome(format: () => string): string {
  try {
    return format();
  } catch (err) {
    return (err as Error).name;
  }
}

describe('batch dates and order', () => {
  it('reads a date to the millisecond parseDate gives it, also where it takes the quick path', () => {
    fc.assert(
      fc.property(isoShaped, (s) => {
        const iso = parseDate(s);
        expect(publishedMs(s)).toBe(iso === undefined ? NaN : Date.parse(iso));
      }),
      { numRuns: 20_000 },
    );
  });

  it('formats times as toISOString does, on the day formatted before or not, fractions and six-digit years included', () => {
    const time = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: -62_167_219_200_000 - 2 * 86_400_000, max: -62_167_219_200_000 + 2 * 86_400_000 }),
      fc.integer({ min: 253_402_300_799_999 - 2 * 86_400_000, max: 253_402_300_799_999 }),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    );
    fc.assert(
      fc.property(time, fc.array(fc.integer({ min: -90_000_000, max: 90_000_000 }), { maxLength: 20 }), (start, steps) => {
        let t = start;
        for (const step of [0, ...steps]) {
          t += step;
          expect(outcome(() => isoOf(t))).toBe(outcome(() => new Date(t).toISOString()));
        }
      }),
      { numRuns: 20_000 },
    );
    expect(outcome(() => isoOf(NaN))).toBe('RangeError');
    // A fraction whose difference from the day's start rounds to a whole millisecond: toISOString drops the fraction.
    isoOf(-86_400_000);
    expect(isoOf(-5_365_591.999999999)).toBe(new Date(-5_365_591.999999999).toISOString());
  });

  it('orders lines as their ISO dates compare under localeCompare, six-digit years included, input order breaking ties', () => {
    const time = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 1.7e12, max: 1.7e12 + 1000 }));
    fc.assert(
      fc.property(fc.array(time, { maxLength: 60 }), (times) => {
        const expected = times.map((t, i) => ({ iso: isoOf(t), i })).sort((a, b) => a.iso.localeCompare(b.iso) || a.i - b.i).map((x) => x.i);
        expect([...timeOrder(Float64Array.from(times))]).toEqual(expected);
      }),
    );
  });

  it('counts the most lines within a span of one another as a count over every line would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 80 }), fc.integer({ min: 0, max: 40 }), (list, span) => {
        const times = Float64Array.from(list);
        let most = 0;
        for (const t of list) most = Math.max(most, list.filter((u) => u >= t && u - t <= span).length);
        expect(mostWithin(times, timeOrder(times), span)).toBe(most);
      }),
    );
  });

  it('gives an undated line the date of the nearest dated line before it, else after it, else the batch epoch', () => {
    expect([...firstSeenTimes(Float64Array.from([NaN, NaN, 5, NaN, 9, NaN]))]).toEqual([5, 5, 5, 5, 9, 9]);
    expect([...firstSeenTimes(Float64Array.from([NaN, NaN]))]).toEqual([Date.parse('2000-01-01T00:00:00.000Z'), Date.parse('2000-01-01T00:00:00.000Z')]);
  });
});

describe('a source whose every body is its own template', () => {
  it('scores each placement as a number: an empty list of scored shingles shares nothing, never 0 / 0', () => {
    const words = 'council harbour bridge budget approved mayor residents vote tuesday evening plan funding'.split(' ');
    // 400 posts of one source, each body the same words in a rotation: every shingle of each is the source's template.
    const inputs = Array.from({ length: 400 }, (_, i) => {
      let p = '';
      for (let j = 0; j < 300; j++) p += `${words[(i * 7 + j * 13) % words.length]}${j % 17 === 16 ? '. ' : ' '}`;
      return { id: `big-${i}`, title: `Story ${i} about the ${words[i % words.length]}`, text: `${p}\n\n${p}`, source: 'big', published: new Date(Date.UTC(2025, 2, 1, 0, i)).toISOString() };
    });
    const out = clusterBatch(inputs);
    expect(out.filter((o) => o.action === 'joined').length).toBeGreaterThan(0);
    expect(out.every((o) => Number.isFinite(o.score))).toBe(true);
  });
});
