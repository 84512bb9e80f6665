// The follow-up page's logic, pure: which ticket the URL names, whether an answer is a ticket,
// and what to say about it in a language. No zod here: this page must stay tiny on a phone.
import type { PublicTicketDto } from '../../core/api/schemas';
import { fill, FOLLOW_UP_STRINGS, type FollowUpLang } from './strings';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `/t/<id>` as the hub serves it, or `?id=` (vite dev, /ticket.html). */
export function ticketIdFrom(loc: { pathname: string; search: string }): string | null {
  const fromPath = /\/t\/([^/?#]+)\/?$/.exec(loc.pathname)?.[1];
  let id = fromPath ?? new URLSearchParams(loc.search).get('id');
  try {
    id = id === null ? null : decodeURIComponent(id);
  } catch {
    return null;
  }
  return id !== null && ID.test(id) ? id : null;
}

/** The page's normal pace: every 15 s. */
export const POLL_MS = 15_000;
const MAX_WAIT_MS = 5 * 60_000;

/**
 * When to ask again: the normal pace, or as long as a 429 says in Retry-After (seconds; the hub
 * limits the tokenless route per address), never sooner than the normal pace nor later than 5 min.
 */
export function nextPollMs(status: number | null, retryAfter: string | null): number {
  if (status !== 429 || retryAfter === null || !/^\d{1,6}$/.test(retryAfter.trim())) return POLL_MS;
  return Math.min(MAX_WAIT_MS, Math.max(POLL_MS, Number(retryAfter.trim()) * 1000));
}

const STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'];
const str = (v: unknown): v is string => typeof v === 'string';
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The answer, if it has the shape the page needs (PublicTicketDto); null otherwise. */
export function asPublicTicket(json: unknown): PublicTicketDto | null {
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const names = o.serviceName;
  const ok =
    str(o.number) &&
    str(o.status) &&
    STATUSES.includes(o.status) &&
    str(o.serviceId) &&
    typeof names === 'object' &&
    names !== null &&
    Object.values(names).every(str) &&
    str(o.lang) &&
    str(o.branchName) &&
    int(o.ahead) &&
    (o.estimatedWaitSec === null || int(o.estimatedWaitSec)) &&
    (o.counterName === null || str(o.counterName)) &&
    (o.calledAt === null || str(o.calledAt));
  return ok ? (o as unknown as PublicTicketDto) : null;
}

/** "3" for "Guichet 3": the sentence already says "counter". */
export function counterLabel(name: string | null): string {
  if (!name) return '';
  return /(\d+)\s*$/.exec(name.trim())?.[1] ?? name;
}

export function durationText(seconds: number, lang: FollowUpLang): string {
  const s = FOLLOW_UP_STRINGS[lang];
  if (seconds < 60) return s.lessThanMinute;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return fill(s.minutes, { minutes });
  return fill(s.hoursMinutes, {
    hours: Math.floor(minutes / 60),
    minutes: String(minutes % 60).padStart(2, '0'),
  });
}

export interface TicketView {
  number: string;
  service: string;
  /** The one sentence that matters now ("Go to counter 3" once called). */
  headline: string;
  /** Lines under it (place in the queue, estimate). */
  details: string[];
  tone: 'waiting' | 'called' | 'over';
  /** Nothing will change any more: stop polling. */
  final: boolean;
}

export function describe(ticket: PublicTicketDto, lang: FollowUpLang): TicketView {
  const s = FOLLOW_UP_STRINGS[lang];
  const names = ticket.serviceName;
  const service = names[lang] ?? names[ticket.lang] ?? Object.values(names)[0] ?? ticket.serviceId;
  const counter = counterLabel(ticket.counterName);
  const base = { number: ticket.number, service: fill(s.service, { service }) };
  switch (ticket.status) {
    case 'waiting':
      return {
        ...base,
        headline: ticket.ahead === 0 ? s.next : fill(s.ahead, { count: ticket.ahead }),
        details: [
          ticket.estimatedWaitSec === null
            ? s.noEstimate
            : fill(s.estimate, {
                // "about 12 min", but never "about less than a minute".
                duration:
                  ticket.estimatedWaitSec < 60
                    ? durationText(ticket.estimatedWaitSec, lang)
                    : fill(s.about, { duration: durationText(ticket.estimatedWaitSec, lang) }),
              }),
        ],
        tone: 'waiting',
        final: false,
      };
    case 'called':
      return {
        ...base,
        headline: fill(s.goTo, { counter }),
        details: [s.called],
        tone: 'called',
        final: false,
      };
    case 'serving':
      return {
        ...base,
        headline: fill(s.serving, { counter }),
        details: [],
        tone: 'called',
        final: false,
      };
    case 'done':
      return { ...base, headline: s.done, details: [], tone: 'over', final: true };
    case 'no_show':
      return { ...base, headline: s.noShow, details: [], tone: 'over', final: true };
    case 'cancelled':
      return { ...base, headline: s.cancelled, details: [], tone: 'over', final: true };
  }
}
