import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_COUNTER,
  MAX_REMOTE_AHEAD_MS,
  compareHlc,
  createHlc,
  decodeHlc,
  encodeHlc,
  receiveHlc,
  tickHlc,
  type Hlc,
} from './hlc';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const TEN_MINUTES = 10 * 60 * 1000;
const now = fc.integer({ min: T0 - 365 * 86_400_000, max: T0 + 365 * 86_400_000 });
const node = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

describe('HLC encoding', () => {
  it('round-trips and sorts as a string exactly as it compares as a clock', () => {
    const stamp = fc.record({
      wall: fc.integer({ min: 0, max: 2 ** 47 }),
      counter: fc.integer({ min: 0, max: MAX_COUNTER }),
      node,
    });
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        expect(decodeHlc(encodeHlc(a))).toEqual(a);
        const byString = encodeHlc(a) < encodeHlc(b) ? -1 : encodeHlc(a) > encodeHlc(b) ? 1 : 0;
        expect(byString).toBe(Math.sign(compareHlc(a, b)));
      }),
    );
  });

  it('refuses what is not a stamp', () => {
    for (const bad of ['', '1.2.x', '000000000000001.000001.', '000000000000001.000001.a.b'])
      expect(decodeHlc(bad)).toBeNull();
    expect(() => createHlc('bad node')).toThrow();
  });
});

describe('HLC properties', () => {
  it('is strictly monotonic whatever the physical clock does (jumps back, stalls)', () => {
    fc.assert(
      fc.property(node, fc.array(now, { minLength: 1, maxLength: 200 }), (id, nows) => {
        let clock = createHlc(id);
        let previous = encodeHlc(clock);
        for (const t of nows) {
          clock = tickHlc(clock, t);
          const stamp = encodeHlc(clock);
          expect(stamp > previous).toBe(true);
          previous = stamp;
        }
      }),
    );
  });

  it('keeps counter overflow monotonic by borrowing the next millisecond', () => {
    let clock: Hlc = { wall: T0, counter: MAX_COUNTER - 1, node: 'a' };
    const before = encodeHlc(clock);
    clock = tickHlc(clock, T0);
    clock = tickHlc(clock, T0);
    expect(clock).toEqual({ wall: T0 + 1, counter: 0, node: 'a' });
    expect(encodeHlc(clock) > before).toBe(true);
  });

  it('orders a receipt after the send, and after everything the receiver did before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.nat(3),
            to: fc.nat(3),
            elapsed: fc.integer({ min: 0, max: 5_000 }),
          }),
          { minLength: 1, maxLength: 150 },
        ),
        fc.array(fc.integer({ min: -TEN_MINUTES, max: TEN_MINUTES }), {
          minLength: 4,
          maxLength: 4,
        }),
        (messages, offsets) => {
          // Four devices whose clocks are off by up to ±10 minutes exchange messages.
          let trueTime = T0;
          const clocks = offsets.map((_, i) => createHlc(`dev-${i}`));
          for (const m of messages) {
            trueTime += m.elapsed;
            const sendAt = trueTime + (offsets[m.from] as number);
            const sent = tickHlc(clocks[m.from] as Hlc, sendAt);
            clocks[m.from] = sent;
            const receiver = clocks[m.to] as Hlc;
            const { clock, clamped } = receiveHlc(
              receiver,
              sent,
              trueTime + (offsets[m.to] as number),
            );
            expect(clamped).toBe(false);
            expect(compareHlc(clock, sent)).toBeGreaterThan(0);
            expect(compareHlc(clock, receiver)).toBeGreaterThan(0);
            clocks[m.to] = clock;
          }
          // Skew never drags clocks beyond the fastest physical clock (plus counter borrowing).
          const fastest = trueTime + Math.max(...offsets);
          for (const c of clocks) expect(c.wall).toBeLessThanOrEqual(fastest + 1);
        },
      ),
    );
  });

  it('clamps a remote stamp far in the future and does not ratchet on repeats', () => {
    fc.assert(
      fc.property(
        now,
        fc.integer({ min: MAX_REMOTE_AHEAD_MS + 1, max: 50 * 365 * 86_400_000 }),
        fc.integer({ min: 1, max: 20 }),
        (t, ahead, repeats) => {
          let clock = createHlc('local', t);
          for (let i = 0; i < repeats; i++) {
            const before = clock;
            const result = receiveHlc(clock, { wall: t + ahead, counter: 7 }, t);
            expect(result.clamped).toBe(true);
            expect(compareHlc(result.clock, before)).toBeGreaterThan(0);
            clock = result.clock;
          }
          expect(clock.wall).toBeLessThanOrEqual(t + MAX_REMOTE_AHEAD_MS + 1);
        },
      ),
    );
  });

  it('treats garbage physical times as zero instead of throwing', () => {
    const clock = tickHlc(createHlc('a'), Number.NaN);
    expect(clock.wall).toBe(0);
    expect(tickHlc(clock, -5)).toEqual({ wall: 0, counter: clock.counter + 1, node: 'a' });
  });
});
