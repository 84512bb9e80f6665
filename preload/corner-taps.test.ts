import { describe, expect, it } from 'vitest';
import { createCornerTapCounter } from './corner-taps';

describe('hidden staff gesture', () => {
  it('fires on the fifth quick tap in the corner, then starts again', () => {
    let now = 0;
    const counter = createCornerTapCounter(() => now);
    const results = Array.from({ length: 6 }, () => ((now += 300), counter.tap(10, 20)));
    expect(results).toEqual([false, false, false, false, true, false]);
  });

  it('does not fire for slow taps or taps elsewhere', () => {
    let now = 0;
    const counter = createCornerTapCounter(() => now);
    for (let i = 0; i < 5; i++) {
      now += 1000;
      expect(counter.tap(5, 5)).toBe(false);
    }
    const other = createCornerTapCounter(() => now);
    for (let i = 0; i < 4; i++) other.tap(5, 5);
    expect(other.tap(500, 5)).toBe(false); // a tap on the page resets the count
    expect(other.tap(5, 5)).toBe(false);
  });
});
