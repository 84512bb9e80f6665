import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import {
  addDays,
  businessDay,
  formatTicketNumber,
  isValidPrefix,
  isValidTimeZone,
  nextBusinessDay,
} from './numbering';

const at = (iso: string): number => Date.parse(iso);

describe('businessDay', () => {
  it('uses the branch-local date, not the UTC date', () => {
    // 20:00 UTC on the 15th is already 09:00 on the 16th in Auckland (NZDT, UTC+13).
    expect(businessDay(at('2024-01-15T20:00:00Z'), 'Pacific/Auckland')).toBe('2024-01-16');
    expect(businessDay(at('2024-01-15T20:00:00Z'), 'UTC')).toBe('2024-01-15');
    // 05:00 UTC on the 16th is still 21:00 on the 15th in Los Angeles (PST, UTC-8).
    expect(businessDay(at('2024-01-16T05:00:00Z'), 'America/Los_Angeles')).toBe('2024-01-15');
  });

  it('gives two days apart for the same instant in zones 25 hours apart', () => {
    const instant = at('2024-06-15T10:30:00Z');
    expect(businessDay(instant, 'Pacific/Kiritimati')).toBe('2024-06-16');
    expect(businessDay(instant, 'Pacific/Pago_Pago')).toBe('2024-06-14');
  });

  it('handles quarter-hour offsets', () => {
    expect(businessDay(at('2024-06-15T18:14:59Z'), 'Asia/Kathmandu')).toBe('2024-06-15');
    expect(businessDay(at('2024-06-15T18:15:00Z'), 'Asia/Kathmandu')).toBe('2024-06-16');
  });

  it('turns the day at local midnight around the Los Angeles DST changes', () => {
    const la = 'America/Los_Angeles';
    // Spring forward (10 March 2024): midnight is still PST (UTC-8)...
    expect(businessDay(at('2024-03-10T07:59:59.999Z'), la)).toBe('2024-03-09');
    expect(businessDay(at('2024-03-10T08:00:00Z'), la)).toBe('2024-03-10');
    // ...and the next midnight is PDT (UTC-7): the 23-hour day ends an hour earlier in UTC.
    expect(businessDay(at('2024-03-11T06:59:59.999Z'), la)).toBe('2024-03-10');
    expect(businessDay(at('2024-03-11T07:00:00Z'), la)).toBe('2024-03-11');
    // Fall back (3 November 2024): the 25-hour day starts in PDT and ends in PST.
    expect(businessDay(at('2024-11-03T06:59:59.999Z'), la)).toBe('2024-11-02');
    expect(businessDay(at('2024-11-03T07:00:00Z'), la)).toBe('2024-11-03');
    expect(businessDay(at('2024-11-04T07:59:59.999Z'), la)).toBe('2024-11-03');
    expect(businessDay(at('2024-11-04T08:00:00Z'), la)).toBe('2024-11-04');
  });

  it('turns the day at local midnight around the Auckland DST changes', () => {
    const nz = 'Pacific/Auckland';
    // DST ends 7 April 2024: the day starts at UTC+13 and the next one at UTC+12.
    expect(businessDay(at('2024-04-06T10:59:59.999Z'), nz)).toBe('2024-04-06');
    expect(businessDay(at('2024-04-06T11:00:00Z'), nz)).toBe('2024-04-07');
    expect(businessDay(at('2024-04-07T11:59:59.999Z'), nz)).toBe('2024-04-07');
    expect(businessDay(at('2024-04-07T12:00:00Z'), nz)).toBe('2024-04-08');
    // DST starts 29 September 2024: the day starts at UTC+12 and the next one at UTC+13.
    expect(businessDay(at('2024-09-28T11:59:59.999Z'), nz)).toBe('2024-09-28');
    expect(businessDay(at('2024-09-28T12:00:00Z'), nz)).toBe('2024-09-29');
    expect(businessDay(at('2024-09-29T10:59:59.999Z'), nz)).toBe('2024-09-29');
    expect(businessDay(at('2024-09-29T11:00:00Z'), nz)).toBe('2024-09-30');
  });

  it('copes with zones whose DST changes at midnight (Santiago)', () => {
    const cl = 'America/Santiago';
    // 8 September 2024 has no 00:00: clocks jump from 23:59:59 (UTC-4) to 01:00 (UTC-3).
    expect(businessDay(at('2024-09-08T03:59:59.999Z'), cl)).toBe('2024-09-07');
    expect(businessDay(at('2024-09-08T04:00:00Z'), cl)).toBe('2024-09-08');
    // 7 April 2024: at 00:00 (UTC-3) clocks go back to 23:00 on the 6th, which lasts 25 hours.
    expect(businessDay(at('2024-04-07T02:59:59.999Z'), cl)).toBe('2024-04-06');
    expect(businessDay(at('2024-04-07T03:30:00Z'), cl)).toBe('2024-04-06');
    expect(businessDay(at('2024-04-07T04:00:00Z'), cl)).toBe('2024-04-07');
  });

  it('gives the same answer when the cached formatter is reused', () => {
    const first = businessDay(at('2024-01-15T20:00:00Z'), 'Pacific/Auckland');
    const other = businessDay(at('2024-07-15T20:00:00Z'), 'Pacific/Auckland');
    expect([first, other]).toEqual(['2024-01-16', '2024-07-16']);
    expect(businessDay(at('2024-01-15T20:00:00Z'), 'Pacific/Auckland')).toBe(first);
  });

  it('rejects unknown zones and non-finite instants', () => {
    expect(() => businessDay(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => businessDay(Number.NaN, 'UTC')).toThrow(RangeError);
    expect(() => businessDay(Number.POSITIVE_INFINITY, 'UTC')).toThrow(RangeError);
  });

  it('gives the same days asked in any order, zones interleaved, as asked one by one', () => {
    // businessDay remembers its last answer per zone for the rest of that second: instants on
    // both sides of local midnights, repeated, out of order and in zones with 45- and 30-minute
    // and (Monrovia before 1972) 44-minute-30-second offsets must still get their own day.
    const zones = ['Europe/Paris', 'Asia/Kathmandu', 'Pacific/Chatham', 'Africa/Monrovia', 'UTC'];
    const midnights = [
      at('2024-03-30T23:00:00Z'),
      at('2024-06-15T18:15:00Z'),
      at('1971-05-01T00:44:30Z'),
    ];
    const reference = (instant: number, timeZone: string): string =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })
        .formatToParts(instant)
        .filter((part) => part.type !== 'literal')
        .map((part) => part.value)
        .join('-');
    const ask = fc.record({
      zone: fc.constantFrom(...zones),
      midnight: fc.constantFrom(...midnights),
      offsetMs: fc.oneof(
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
      ),
    });
    fc.assert(
      fc.property(fc.array(ask, { minLength: 1, maxLength: 30 }), (asks) => {
        for (const { zone, midnight, offsetMs } of asks)
          expect(businessDay(midnight + offsetMs, zone)).toBe(reference(midnight + offsetMs, zone));
      }),
    );
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones', () => {
    for (const tz of [
      'UTC',
      'Europe/Paris',
      'Pacific/Auckland',
      'America/Los_Angeles',
      'Africa/Dakar',
    ]) {
      expect(isValidTimeZone(tz)).toBe(true);
    }
  });

  it('rejects what is not a zone', () => {
    for (const tz of ['', 'Mars/Olympus_Mons', 'Europe/', 'Paris', 'not a zone']) {
      expect(isValidTimeZone(tz)).toBe(false);
    }
  });
});

describe('isValidPrefix', () => {
  it('accepts exactly one capital letter A–Z', () => {
    expect(['A', 'M', 'Z'].every(isValidPrefix)).toBe(true);
  });

  it('rejects everything else', () => {
    for (const prefix of ['', 'a', 'AB', '1', ' A', 'É', '-', 'Ω']) {
      expect(isValidPrefix(prefix)).toBe(false);
    }
  });
});

describe('formatTicketNumber', () => {
  it('pads to at least three digits and grows past 999', () => {
    expect(formatTicketNumber('A', 1)).toBe('A001');
    expect(formatTicketNumber('A', 42)).toBe('A042');
    expect(formatTicketNumber('A', 999)).toBe('A999');
    expect(formatTicketNumber('A', 1000)).toBe('A1000');
    expect(formatTicketNumber('Z', 12345)).toBe('Z12345');
  });

  it('refuses invalid prefixes and sequences rather than print a wrong ticket', () => {
    expect(() => formatTicketNumber('a', 1)).toThrow(RangeError);
    expect(() => formatTicketNumber('AB', 1)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', 0)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', -3)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', 1.5)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', Number.NaN)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('gives the next business day across months, years and leap days', () => {
    expect(addDays('2026-11-23', 1)).toBe('2026-11-24');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-11-23', -30)).toBe('2026-10-24');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect(nextBusinessDay('2026-12-31')).toBe('2027-01-01');
  });

  it('is calendar arithmetic: a daylight-saving change does not move it', () => {
    // 23- and 25-hour days in Los Angeles are still one day each.
    expect(addDays('2024-03-09', 1)).toBe('2024-03-10');
    expect(addDays('2024-03-10', 1)).toBe('2024-03-11');
    expect(addDays('2024-11-03', 1)).toBe('2024-11-04');
  });

  it('refuses what is not a date rather than guess one', () => {
    for (const day of ['2026-02-30', '2026-13-01', '2026-1-1', '20261123', '', 'today']) {
      expect(() => addDays(day, 1), day).toThrow(RangeError);
    }
    expect(() => addDays('2026-11-23', 0.5)).toThrow(RangeError);
  });
});
