import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Counter } from './model';
import { averageServiceSec, effectiveCounters, estimateWaitSec } from './wait-estimate';

const duration = fc.oneof(
  fc.integer({ min: 0, max: 7200 }),
  fc.double({ min: -100, max: 10_000, noNaN: false }),
);

describe('averageServiceSec (properties)', () => {
  it('lies between the shortest and the longest usable duration', () => {
    fc.assert(
      fc.property(fc.array(duration, { maxLength: 40 }), (durations) => {
        const usable = durations.filter((d) => Number.isFinite(d) && d >= 0);
        fc.pre(usable.length > 0);
        const avg = averageServiceSec(durations);
        expect(avg).toBeGreaterThanOrEqual(Math.min(...usable) - 1e-9);
        expect(avg).toBeLessThanOrEqual(Math.max(...usable) + 1e-9);
      }),
    );
  });

  it('is the plain mean when no duration is an outlier, whatever the order', () => {
    // Values within a factor 4 of each other are all below 4 × the median.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 400 }), { minLength: 1, maxLength: 40 }),
        (durations) => {
          const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
          expect(averageServiceSec(durations)).toBeCloseTo(mean, 9);
          expect(averageServiceSec([...durations].reverse())).toBeCloseTo(mean, 9);
        },
      ),
    );
  });

  it('lets one visit, however long, weigh at most four times the longest of the others', () => {
    // With five or more other visits the median stays at or below their maximum M, so the new
    // visit is capped at 4 × M at worst (and capping the others only lowers the mean).
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 60, max: 900 }), { minLength: 5, maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (others, visit) => {
          const sum = others.reduce((a, b) => a + b, 0);
          const bound = (sum + 4 * Math.max(...others)) / (others.length + 1);
          expect(averageServiceSec([...others, visit])).toBeLessThanOrEqual(bound + 1e-9);
        },
      ),
    );
  });
});

describe('effectiveCounters (properties)', () => {
  const counterArb: fc.Arbitrary<Pick<Counter, 'status' | 'profile'>> = fc.record({
    status: fc.constantFrom('open', 'paused', 'closed' as const),
    profile: fc.uniqueArray(
      fc.record({
        serviceId: fc.constantFrom('a', 'b', 'c', 'd'),
        weight: fc.integer({ min: 1, max: 5 }),
      }),
      { selector: (e) => e.serviceId, maxLength: 4 },
    ),
  });

  it('shares out each open counter exactly once among its services', () => {
    fc.assert(
      fc.property(fc.array(counterArb, { maxLength: 6 }), (counters) => {
        const total = ['a', 'b', 'c', 'd'].reduce(
          (sum, s) => sum + effectiveCounters(s, counters),
          0,
        );
        const working = counters.filter((c) => c.status === 'open' && c.profile.length > 0).length;
        expect(total).toBeCloseTo(working, 9);
      }),
    );
  });
});

describe('estimateWaitSec (properties)', () => {
  const inputArb = fc.record({
    ahead: fc.integer({ min: 0, max: 500 }),
    avgServiceSec: fc.double({ min: 0, max: 3600, noNaN: true }),
    effectiveCounters: fc.double({ min: 0.05, max: 20, noNaN: true }),
  });

  it('is a whole number of seconds, never negative', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const estimate = estimateWaitSec(input);
        expect(Number.isInteger(estimate)).toBe(true);
        expect(estimate).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('grows with the people ahead and shrinks with more counter time', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        (input, more, factor) => {
          const base = estimateWaitSec(input) as number;
          expect(estimateWaitSec({ ...input, ahead: input.ahead + more })).toBeGreaterThanOrEqual(
            base,
          );
          expect(
            estimateWaitSec({ ...input, effectiveCounters: input.effectiveCounters * factor }),
          ).toBeLessThanOrEqual(base);
        },
      ),
    );
  });
});
