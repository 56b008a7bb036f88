import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeMs } from '../../src/model/iso-time.js';

describe('parseTimeMs', () => {
  it('reads what Date.parse reads, in toISOString form and out of it', () => {
    const cases = [
      '2025-03-01T12:00:00.000Z', '2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z', '2025-04-31T00:00:00.000Z', '2025-02-32T00:00:00.000Z', '2025-13-01T00:00:00.000Z',
      '2025-00-01T00:00:00.000Z', '2025-01-01T24:00:00.000Z', '2025-01-01T23:60:00.000Z', '0099-01-01T00:00:00.000Z',
      '1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2025-03-01T12:00:00Z', '2025-03-01T12:00:00.000+01:00',
      '2025-03-01 12:00:00.000Z', '2025-03-01T12:00:00.00aZ', '+02025-03-01T12:00:00.000Z', 'Sat, 01 Mar 2025 12:00:00 GMT', '',
    ];
    for (const value of cases) expect(parseTimeMs(value), value).toBe(Date.parse(value));
  });

  it('agrees with Date.parse on generated dates of the toISOString form, real and not', () => {
    const field = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
    fc.assert(
      fc.property(field(9999, 4), field(14, 2), field(33, 2), field(25, 2), field(61, 2), field(61, 2), field(999, 3), (y, mo, d, h, mi, s, ms) => {
        const value = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
        expect(parseTimeMs(value)).toBe(Date.parse(value));
      }),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const value = date.toISOString();
        expect(parseTimeMs(value)).toBe(date.getTime());
      }),
      { numRuns: 20000 },
    );
  });
});
