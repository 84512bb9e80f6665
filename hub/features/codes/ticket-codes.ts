// A ticket's signed code: "GT1-<day><number>-<signature>", e.g. GT1-20261122A042-7K3Q9X4M2B.
// The id is the business day and the ticket number: what the visitor sees, short enough for the
// 20-character id of a signed code (a UUID is not), and unique within a day (prefixes are).
import { signCode } from '../../../hardware/index';
import type { Ticket } from '../../../core/model';

export const ticketCodeId = (ticket: Pick<Ticket, 'businessDay' | 'number'>): string =>
  `${ticket.businessDay.replace(/-/g, '')}${ticket.number}`;

export const signTicketCode = (ticket: Ticket, secret: Buffer): string =>
  signCode('ticket', ticketCodeId(ticket), secret);

/** The (business day, number) a ticket code id names, or null if it cannot be one. */
export function parseTicketCodeId(id: string): { businessDay: string; number: string } | null {
  const m = /^(\d{4})(\d{2})(\d{2})([A-Z]\d{3,})$/.exec(id);
  if (!m) return null;
  return { businessDay: `${m[1]}-${m[2]}-${m[3]}`, number: m[4]! };
}
