// From a committed ticket to what the printer prints: branch name, service name in the visitor's
// language, position, and the follow-up URL its QR code carries.
import type { Ticket } from '../../../core/model';
import type { BranchSettings } from '../branch/branch-store';
import type { ServiceStore } from '../services/service-store';
import type { TicketPosition } from '../tickets/ticket-store';
import type { PrintableTicket } from './hardware-types';

/** The printer library caps estimates at a week; longer is no estimate anyone can use. */
const MAX_ESTIMATE_SEC = 7 * 24 * 3600;

/** A host as a browser may send it: name or IPv4 with an optional port, or [IPv6]:port. */
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The base of follow-up URLs as the kiosk reached the hub: its Host header is the address the
 * branch network knows the hub by (the hub may listen on 0.0.0.0). Null for a Host that is not a
 * plain host[:port], which then falls back to --public-url or the hub's own URL.
 */
export function publicBaseOf(request: { protocol: string; host: string }): string | null {
  if (!HOST_PATTERN.test(request.host)) return null;
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  return `${scheme}://${request.host}`;
}

export const followUpUrl = (base: string, ticketId: string): string =>
  `${base.replace(/\/+$/, '')}/t/${encodeURIComponent(ticketId)}`;

export function serviceNameFor(
  names: Record<string, string>,
  lang: string,
  defaultLang: string,
): string | undefined {
  return names[lang] ?? names[defaultLang] ?? Object.values(names)[0];
}

export function toPrintableTicket(
  ticket: Ticket,
  position: TicketPosition,
  branch: BranchSettings,
  services: ServiceStore,
  baseUrl: string,
): PrintableTicket {
  const service = services.find(ticket.serviceId);
  const serviceName =
    (service && serviceNameFor(service.name, ticket.lang, branch.defaultLang)) ?? ticket.serviceId;
  return {
    number: ticket.number,
    serviceName,
    branchName: branch.name,
    issuedAt: ticket.issuedAt,
    lang: ticket.lang,
    ahead: position.ahead,
    estimatedWaitSec:
      position.estimatedWaitSec === null
        ? null
        : Math.min(MAX_ESTIMATE_SEC, Math.max(0, Math.round(position.estimatedWaitSec))),
    followUpUrl: followUpUrl(baseUrl, ticket.id),
  };
}
