import { describe, it, expect } from 'vitest';
import type { Counter } from './model';
import { averageServiceSec, effectiveCounters, estimateWaitSec } from './wait-estimate';

type CounterLike = Pick<Counter, 'status' | 'profile'>;
const open = (...profile: [string, number][]): CounterLike => ({
  status: 'open',
  profile: profile.map(([serviceId, weight]) => ({ serviceId, weight })),
});

describe('averageServiceSec', () => {
  it('is the mean of ordinary durations', () => {
    expect(averageServiceSec([200, 300, 400])).toBe(300);
    expect(averageServiceSec([120])).toBe(120);
  });

  it('falls back when there is no usable history', () => {
    expect(averageServiceSec([])).toBe(300);
    expect(averageServiceSec([], 240)).toBe(240);
    expect(averageServiceSec([Number.NaN, -5, Number.POSITIVE_INFINITY], 180)).toBe(180);
  });

  it('ignores non-finite and negative durations', () => {
    expect(averageServiceSec([100, Number.NaN, 200, -40, Number.POSITIVE_INFINITY, 300])).toBe(200);
  });

  it('caps an outlier at four times the median instead of letting it dominate', () => {
    // Median 300: the 7200 s case counts as 1200 s.
    expect(averageServiceSec([300, 7200, 200, 400, 250])).toBe((200 + 250 + 300 + 400 + 1200) / 5);
    // An even count takes the middle pair's mean as median: (100+300)/2 = 200, cap 800.
    expect(averageServiceSec([100, 300, 5000, 50])).toBe((50 + 100 + 300 + 800) / 4);
  });

  it('keeps long visits that are not outliers', () => {
    expect(averageServiceSec([600, 900, 1200])).toBe(900);
  });
});

describe('effectiveCounters', () => {
  it('counts each open counter by the share of its weights the service gets', () => {
    const counters = [open(['a', 3], ['b', 1]), open(['a', 1]), open(['b', 2], ['c', 2])];
    expect(effectiveCounters('a', counters)).toBe(0.75 + 1);
    expect(effectiveCounters('b', counters)).toBe(0.25 + 0.5);
    expect(effectiveCounters('c', counters)).toBe(0.5);
    expect(effectiveCounters('d', counters)).toBe(0);
  });

  it('leaves out paused and closed counters', () => {
    const counters: CounterLike[] = [
      { ...open(['a', 1]), status: 'paused' },
      { ...open(['a', 1]), status: 'closed' },
      open(['a', 1], ['b', 1]),
    ];
    expect(effectiveCounters('a', counters)).toBe(0.5);
  });

  it('treats weights that are not positive as not served', () => {
    expect(effectiveCounters('a', [open(['a', 0], ['b', 1])])).toBe(0);
    expect(effectiveCounters('b', [open(['a', -2], ['b', 1])])).toBe(1);
  });
});

describe('estimateWaitSec', () => {
  it('divides the work ahead by the counter time available', () => {
    expect(estimateWaitSec({ ahead: 6, avgServiceSec: 300, effectiveCounters: 2 })).toBe(900);
    expect(estimateWaitSec({ ahead: 1, avgServiceSec: 100, effectiveCounters: 3 })).toBe(33);
    expect(estimateWaitSec({ ahead: 0, avgServiceSec: 300, effectiveCounters: 1 })).toBe(0);
  });

  it('is null when no counter serves the service', () => {
    expect(estimateWaitSec({ ahead: 4, avgServiceSec: 300, effectiveCounters: 0 })).toBeNull();
  });

  it('is null rather than a made-up number for inputs that are not numbers', () => {
    expect(
      estimateWaitSec({ ahead: Number.NaN, avgServiceSec: 300, effectiveCounters: 1 }),
    ).toBeNull();
    expect(
      estimateWaitSec({ ahead: 2, avgServiceSec: Number.NaN, effectiveCounters: 1 }),
    ).toBeNull();
    expect(
      estimateWaitSec({
        ahead: 2,
        avgServiceSec: 300,
        effectiveCounters: Number.POSITIVE_INFINITY,
      }),
    ).toBeNull();
  });

  it('never goes below zero', () => {
    expect(estimateWaitSec({ ahead: -3, avgServiceSec: 300, effectiveCounters: 1 })).toBe(0);
  });
});
