import { describe as suite, expect, it } from 'vitest';
import type { PublicTicketDto } from '../../core/api/schemas';
import {
  asPublicTicket,
  describe,
  durationText,
  nextPollMs,
  POLL_MS,
  ticketIdFrom,
} from './follow-up';
import { FOLLOW_UP_LANGS, FOLLOW_UP_STRINGS, pickLang } from './strings';

const ticket: PublicTicketDto = {
  number: 'A042',
  status: 'waiting',
  serviceId: 'etat-civil',
  serviceName: { fr: 'État civil', en: 'Civil status', ar: 'الحالة المدنية' },
  lang: 'ar',
  branchName: 'Mairie',
  ahead: 3,
  estimatedWaitSec: 840,
  counterName: null,
  calledAt: null,
};

suite('follow-up page', () => {
  it('polls at its pace, and waits out a 429 as long as Retry-After asks (bounded)', () => {
    expect(nextPollMs(200, null)).toBe(POLL_MS);
    expect(nextPollMs(null, null)).toBe(POLL_MS);
    expect(nextPollMs(503, '120')).toBe(POLL_MS);
    expect(nextPollMs(429, '42')).toBe(42_000);
    expect(nextPollMs(429, '1')).toBe(POLL_MS);
    expect(nextPollMs(429, '86400')).toBe(5 * 60_000);
    expect(nextPollMs(429, 'Wed, 21 Oct 2026 07:28:00 GMT')).toBe(POLL_MS);
    expect(nextPollMs(429, null)).toBe(POLL_MS);
  });

  it('reads the ticket id from /t/:id (or ?id= in dev), refusing anything else', () => {
    expect(ticketIdFrom({ pathname: '/t/0193a1b2-c3d4', search: '' })).toBe('0193a1b2-c3d4');
    expect(ticketIdFrom({ pathname: '/t/abc/', search: '' })).toBe('abc');
    expect(ticketIdFrom({ pathname: '/ticket.html', search: '?id=abc' })).toBe('abc');
    expect(ticketIdFrom({ pathname: '/t/%E0%A4%A', search: '' })).toBeNull();
    expect(ticketIdFrom({ pathname: '/t/a%20b', search: '' })).toBeNull();
    expect(ticketIdFrom({ pathname: '/ticket.html', search: '' })).toBeNull();
  });

  it('accepts only answers shaped like a public ticket', () => {
    expect(asPublicTicket(ticket)).toEqual(ticket);
    expect(asPublicTicket(null)).toBeNull();
    expect(asPublicTicket({ ...ticket, status: 'lost' })).toBeNull();
    expect(asPublicTicket({ ...ticket, ahead: '3' })).toBeNull();
  });

  it('says where the ticket stands, in its language, with the counter once called', () => {
    expect(describe(ticket, 'en')).toMatchObject({
      number: 'A042',
      service: 'Service: Civil status',
      headline: 'People ahead of you: 3',
      details: ['Estimated wait: about 14 min'],
      final: false,
    });
    expect(describe({ ...ticket, ahead: 0, estimatedWaitSec: 20 }, 'fr')).toMatchObject({
      headline: 'Vous êtes le prochain',
      details: ['Attente estimée : moins d’une minute'],
    });
    const called = { ...ticket, status: 'called' as const, counterName: 'Guichet 3' };
    expect(describe(called, 'fr')).toMatchObject({
      headline: 'Présentez-vous au guichet 3',
      tone: 'called',
    });
    expect(describe(called, 'ar').headline).toBe('يرجى التوجه إلى الشباك 3');
    expect(describe({ ...ticket, status: 'done' }, 'en').final).toBe(true);
    expect(durationText(30, 'en')).toBe('less than a minute');
    expect(durationText(3900, 'fr')).toBe('1 h 05 min');
  });

  it('picks a shipped language', () => {
    expect(pickLang('ar')).toBe('ar');
    expect(pickLang('de', 'en-GB')).toBe('en');
    expect(pickLang(null, 'es')).toBe('fr');
  });

  it('has every text in every language, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const fr = FOLLOW_UP_STRINGS.fr;
    for (const lang of FOLLOW_UP_LANGS) {
      const strings = FOLLOW_UP_STRINGS[lang];
      expect(Object.keys(strings).sort(), lang).toEqual(Object.keys(fr).sort());
      for (const [key, text] of Object.entries(strings)) {
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
        expect(placeholders(text), `${lang}.${key}`).toEqual(
          placeholders(fr[key as keyof typeof fr]),
        );
      }
    }
  });
});
