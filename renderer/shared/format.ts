// Pure formatting used on several screens; the translated words come in through `t`.
import type { ServiceDto } from '../../core/api/schemas';

type T = (key: string, values?: Record<string, unknown>) => string;

/** A wait or duration as people say it: "less than a minute", "12 min", "1 h 05 min". */
export function formatDuration(seconds: number, t: T): string {
  if (seconds < 60) return t('duration.lessThanMinute');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('duration.minutes', { count: minutes });
  return t('duration.hoursMinutes', {
    hours: Math.floor(minutes / 60),
    minutes: String(minutes % 60).padStart(2, '0'),
  });
}

/** A running timer: "4:07", or "1:02:03" past an hour. */
export function formatTimer(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * A ticket number as it should be spoken: "A042" → "A 42", so speech engines say "A forty-two"
 * rather than "a-zero-forty-two" or the word "a".
 */
export function spokenNumber(number: string): string {
  const match = /^([A-Za-z]+)0*(\d+)$/.exec(number.trim());
  if (!match) return number;
  return `${match[1]} ${match[2]}`;
}

/**
 * The counter as it goes into "… au guichet {counter}": the trailing number of a name such as
 * "Guichet 3" (or "3"), else the whole name, so the template does not say "guichet Guichet 3".
 */
export function spokenCounter(name: string): string {
  const match = /(\d+)\s*$/.exec(name.trim());
  return match?.[1] ?? name;
}

/** Fill a branch announcement template ("Ticket {number}, counter {counter}"). */
export function fillTemplate(
  template: string,
  values: { number: string; counter: string },
): string {
  return template.replace(/\{(number|counter)\}/g, (_, key: 'number' | 'counter') => values[key]);
}

/** A service's name in `lang`, else the branch default, else whatever name it has. */
export function serviceName(
  service: Pick<ServiceDto, 'name' | 'prefix'> | undefined,
  lang: string,
  defaultLang?: string,
): string {
  if (!service) return '';
  const names = service.name;
  return (
    names[lang] ??
    (defaultLang ? names[defaultLang] : undefined) ??
    Object.values(names)[0] ??
    service.prefix
  );
}

/** Seconds between two instants (ISO or ms), never negative. */
export function secondsBetween(from: string | number, to: number): number {
  const start = typeof from === 'number' ? from : Date.parse(from);
  return Math.max(0, Math.floor((to - start) / 1000));
}

/** "about 12 min" — but never "about less than a minute". */
export function formatEstimate(seconds: number, t: T): string {
  const duration = formatDuration(seconds, t);
  return seconds < 60 ? duration : t('duration.about', { duration });
}
