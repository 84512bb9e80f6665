// Ticket numbers: the business day they belong to and how they are printed.
// Numbers restart every business day, and a "day" is the branch's local date, not UTC's: a branch
// in Auckland opens at 08:00 local, which is the previous UTC date.

/**
 * One formatter per time zone. Building an Intl.DateTimeFormat costs far more than using one,
 * and businessDay runs for every ticket issued, so the cache pays for itself at the first reuse.
 * It only grows with the zones actually used (one per branch in practice); invalid zones throw
 * before they are stored.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (formatter === undefined) {
    // Gregorian calendar and Latin digits are pinned so the output does not depend on the
    // runtime's default locale; we read the parts, never the formatted string's layout.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The branch-local date, 'YYYY-MM-DD', of the instant `at` (epoch ms) in the IANA `timeZone`.
 * Throws a RangeError for an unknown time zone or a non-finite instant.
 */
export function businessDay(at: number, timeZone: string): string {
  if (!Number.isFinite(at)) throw new RangeError(`not an instant: ${at}`);
  const second = Math.floor(at / 1000);
  const last = lastDays.get(timeZone);
  if (last !== undefined && last.second === second) return last.day;
  const day = formatDay(at, timeZone);
  lastDays.set(timeZone, { second, day });
  return day;
}

/**
 * The last day businessDay gave per time zone, with its second. A busy hub asks for today's
 * day several times per command and hundreds of times a second, and the formatter's parts were
 * 1.5 % of an issue's time. Every zone's offset is a whole number of seconds (the tz database's
 * finest), so a day never changes inside a second.
 */
const lastDays = new Map<string, { second: number; day: string }>();

function formatDay(at: number, timeZone: string): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of dayFormatter(timeZone).formatToParts(at)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The business day `days` calendar days after `day` ('YYYY-MM-DD'; negative goes back): the next
 * business day of a branch is `addDays(today, 1)`. Pure date arithmetic, so daylight-saving
 * changes do not matter. Throws a RangeError for a malformed or impossible date.
 */
export function addDays(day: string, days: number): string {
  const match = DAY_PATTERN.exec(day);
  if (!match || !Number.isSafeInteger(days)) throw new RangeError(`not a business day: ${day}`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, date); // not Date.UTC, which reads years 0–99 as 19xx
  // An impossible date (2026-02-30) would roll over to March: it is refused, not moved.
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== date)
    throw new RangeError(`not a business day: ${day}`);
  at.setUTCDate(date + days);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1, 2)}-${pad(at.getUTCDate(), 2)}`;
}

/**
 * The business day after `day`: the next calendar day, since a branch has no calendar of closed
 * days (a closed day simply issues nothing). Kiosk agents hold number blocks for it in advance.
 */
export function nextBusinessDay(day: string): string {
  return addDays(day, 1);
}

/** True when Intl knows the zone, i.e. when businessDay can work with it. */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    dayFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** A service prefix is one capital letter A–Z: it is printed, announced and must stay legible. */
export function isValidPrefix(prefix: string): boolean {
  return typeof prefix === 'string' && /^[A-Z]$/.test(prefix);
}

/** The smallest number of digits printed; days past 999 tickets simply grow a digit (A1000). */
export const MIN_TICKET_DIGITS = 3;

/**
 * The number printed and announced: the prefix then the sequence zero-padded to at least three
 * digits (A001, A042, A1000). Throws a RangeError for an invalid prefix or a sequence that is not
 * a positive integer, because a malformed number on a printed ticket cannot be taken back.
 */
export function formatTicketNumber(prefix: string, seq: number): string {
  if (!isValidPrefix(prefix)) {
    throw new RangeError(`invalid ticket prefix: ${JSON.stringify(prefix)}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`invalid ticket sequence: ${seq}`);
  }
  return prefix + String(seq).padStart(MIN_TICKET_DIGITS, '0');
}
