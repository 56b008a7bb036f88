import { describe, expect, it } from 'vitest';
import { WarningLimiter } from '../../src/log/warning-limiter.js';

/** A sink that keeps what it is given, and a clock the test moves. */
function harness(perInterval = 3, intervalMs = 1_000) {
  const records: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  let now = 0;
  const limiter = new WarningLimiter({ warn: (fields, msg) => records.push({ fields: fields as Record<string, unknown>, msg }) }, { perInterval, intervalMs, now: () => now });
  return { records, limiter, advance: (ms: number) => (now += ms) };
}

describe('WarningLimiter', () => {
  it('writes the first warnings of a kind, counts the rest, and summarizes them when the next interval starts', () => {
    const { records, limiter, advance } = harness();
    for (let i = 0; i < 1_000; i += 1) limiter.warn('request-failed', { i }, 'serve: request failed');
    expect(records.map((r) => r.fields.i)).toEqual([0, 1, 2]);
    advance(1_000);
    limiter.warn('request-failed', { i: 'next' }, 'serve: request failed');
    expect(records.slice(3)).toEqual([
      { fields: { kind: 'request-failed', suppressed: 997, intervalSeconds: 1 }, msg: 'suppressed 997 similar warnings ("serve: request failed") in 1 s' },
      { fields: { kind: 'request-failed', i: 'next' }, msg: 'serve: request failed' },
    ]);
    limiter.flush();
    expect(records).toHaveLength(5);
  });

  it('limits each kind on its own', () => {
    const { records, limiter } = harness(2);
    for (let i = 0; i < 10; i += 1) {
      limiter.warn('a', {}, 'a');
      limiter.warn('b', {}, 'b');
    }
    limiter.flush();
    expect(records.map((r) => [r.fields.kind, r.fields.suppressed ?? '-'])).toEqual([
      ['a', '-'],
      ['b', '-'],
      ['a', '-'],
      ['b', '-'],
      ['a', 8],
      ['b', 8],
    ]);
  });

  it('writes the summary when the interval ends even if no warning follows', async () => {
    const records: string[] = [];
    const limiter = new WarningLimiter({ warn: (_f, msg) => records.push(msg) }, { perInterval: 1, intervalMs: 20 });
    limiter.warn('k', {}, 'w');
    limiter.warn('k', {}, 'w');
    const deadline = Date.now() + 30_000;
    while (records.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(records).toEqual(['w', 'suppressed 1 similar warnings ("w") in 0 s']);
  });

  it('never lets a failing sink throw', () => {
    const limiter = new WarningLimiter(
      {
        warn: () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
      { perInterval: 1, intervalMs: 1_000 },
    );
    expect(() => {
      limiter.warn('k', {}, 'w');
      limiter.warn('k', {}, 'w');
      limiter.flush();
    }).not.toThrow();
  });
});
