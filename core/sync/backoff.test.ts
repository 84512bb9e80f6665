import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it('stays within [0, min(3 s, 0.5 s × 2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const delay = retryDelayMs(attempt, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(
            Math.min(BACKOFF_CAP_MS, 500 * 2 ** Math.max(0, Math.min(attempt, 30))),
          );
        },
      ),
    );
  });

  it('grows then caps', () => {
    const top = (attempt: number) => retryDelayMs(attempt, () => 0.999999);
    expect(top(0)).toBe(499);
    expect(top(2)).toBe(1999);
    expect(top(3)).toBe(2999);
    expect(top(50)).toBe(2999);
  });
});
