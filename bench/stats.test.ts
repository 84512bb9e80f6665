// The timing loops' bookkeeping: which calls are timed, in what order, numbered how.
import { describe, expect, it } from 'vitest';
import { percentile, timeInterleaved } from './stats';

describe('timeInterleaved', () => {
  /** Series that record every call as "<series><index>", in the order made. */
  function recordingSeries(names: string[], starts: number[]) {
    const calls: string[] = [];
    const series = names.map((name, k) => ({
      call: (i: number) => void calls.push(`${name}${i}`),
      start: starts[k]!,
    }));
    return { calls, series };
  }

  it('takes turns of one block per series, each turn after its untimed calls', async () => {
    const { calls, series } = recordingSeries(['a', 'b'], [0, 0]);
    const samples = await timeInterleaved(series, { n: 4, block: 2, warmupPerBlock: 1 });
    expect(samples.map((s) => s.length)).toEqual([4, 4]);
    // Round 0 starts with a, round 1 with b: a always following b would bias a.
    expect(calls).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'a3', 'a4', 'a5']);
  });

  it('numbers each series on from its start, so no numbered row repeats', async () => {
    const { calls, series } = recordingSeries(['a', 'b', 'c'], [10, 0, 500]);
    await timeInterleaved(series, { n: 5, block: 2, warmupPerBlock: 2 });
    for (const name of ['a', 'b', 'c']) {
      const indexes = calls.filter((c) => c.startsWith(name)).map((c) => Number(c.slice(1)));
      const start = { a: 10, b: 0, c: 500 }[name]!;
      // 3 turns of 2 untimed + up to 2 timed: 5 timed and 6 untimed calls, numbered on.
      expect(indexes).toEqual(Array.from({ length: 11 }, (_, j) => start + j));
    }
  });

  it('stops each series at n samples, a short last block included', async () => {
    const { calls, series } = recordingSeries(['a', 'b'], [0, 0]);
    const samples = await timeInterleaved(series, { n: 3, block: 2, warmupPerBlock: 0 });
    expect(samples.map((s) => s.length)).toEqual([3, 3]);
    expect(calls).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'a2']);
  });

  it('times each call: a series that does more work has larger samples', async () => {
    const spin = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const [quick, slow] = await timeInterleaved(
      [
        { call: () => undefined, start: 0 },
        { call: () => spin(2), start: 0 },
      ],
      { n: 20, block: 5, warmupPerBlock: 1 },
    );
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    expect(percentile(sorted(slow!), 1)).toBeGreaterThanOrEqual(2);
    expect(percentile(sorted(quick!), 50)).toBeLessThan(percentile(sorted(slow!), 1));
  });

  it('refuses a block of no calls, which would never finish', async () => {
    const { series } = recordingSeries(['a'], [0]);
    await expect(timeInterleaved(series, { n: 1, block: 0, warmupPerBlock: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
