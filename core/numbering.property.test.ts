import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, businessDay, formatTicketNumber } from './numbering';

// Instants between 1971 and 2200, where every zone database agrees on the Gregorian calendar.
const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) });

describe('businessDay (properties)', () => {
  it('in UTC is the UTC date of the instant', () => {
    fc.assert(
      fc.property(instant, (at) => {
        expect(businessDay(at, 'UTC')).toBe(new Date(at).toISOString().slice(0, 10));
      }),
    );
  });

  it('in a fixed-offset zone is the UTC date of the shifted instant', () => {
    // Etc/GMT-k is UTC+k (the POSIX sign is inverted), so the oracle needs no zone data at all.
    const offsetHours = fc.integer({ min: -12, max: 14 });
    fc.assert(
      fc.property(instant, offsetHours, (at, hours) => {
        const zone = hours === 0 ? 'Etc/GMT' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
        const shifted = new Date(at + hours * 3_600_000).toISOString().slice(0, 10);
        expect(businessDay(at, zone)).toBe(shifted);
      }),
    );
  });

  it('never goes backwards in real zones as time goes forward', () => {
    // No zone in this list moves its clock back across midnight, so local dates are monotonic.
    const zone = fc.constantFrom(
      'Pacific/Auckland',
      'America/Los_Angeles',
      'Europe/Paris',
      'Asia/Kathmandu',
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3 * 86_400_000 }), zone, (at, step, tz) => {
        expect(businessDay(at + step, tz) >= businessDay(at, tz)).toBe(true);
      }),
    );
  });
});

describe('formatTicketNumber (properties)', () => {
  const prefix = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  const seq = fc.integer({ min: 1, max: 10_000_000 });

  it('keeps the prefix and the sequence readable back', () => {
    fc.assert(
      fc.property(prefix, seq, (p, s) => {
        const number = formatTicketNumber(p, s);
        expect(number).toMatch(/^[A-Z]\d{3,}$/);
        expect(number[0]).toBe(p);
        expect(Number(number.slice(1))).toBe(s);
        // Zero padding only up to three digits: no number has a useless leading zero beyond that.
        expect(number.length).toBe(1 + Math.max(3, String(s).length));
      }),
    );
  });

  it('gives distinct numbers to distinct sequences', () => {
    fc.assert(
      fc.property(prefix, seq, seq, (p, a, b) => {
        fc.pre(a !== b);
        expect(formatTicketNumber(p, a)).not.toBe(formatTicketNumber(p, b));
      }),
    );
  });
});

describe('addDays (properties)', () => {
  const DAY_MS = 86_400_000;
  const days = fc.integer({ min: -400, max: 400 });

  it('in UTC, moves the date of an instant as 24-hour steps do', () => {
    fc.assert(
      fc.property(instant, days, (at, n) => {
        expect(addDays(businessDay(at, 'UTC'), n)).toBe(businessDay(at + n * DAY_MS, 'UTC'));
      }),
    );
  });

  it('undoes itself and keeps order (the next day is always later as a string)', () => {
    fc.assert(
      fc.property(instant, days, (at, n) => {
        const day = businessDay(at, 'Europe/Paris');
        expect(addDays(addDays(day, n), -n)).toBe(day);
        expect(addDays(day, 1) > day).toBe(true);
      }),
    );
  });
});
