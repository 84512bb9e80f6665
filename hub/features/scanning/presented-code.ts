// What happens when a visitor presents a code at a kiosk (scanner on the hub, or the API): an
// appointment code checks in and prints its ticket, a ticket code (or a printed ticket's QR) shows
// where that ticket stands. Shared by the serial scanner and the check-in route.
import type { PrintInfoDto, ScannerResultEvent } from '../../../core/api/schemas';
import type { Ticket } from '../../../core/model';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import { AlreadyCheckedInError } from '../appointments/appointment-store';
import type { TicketPosition } from '../tickets/ticket-store';
import { withPosition } from '../tickets/ticket-rows';

type HubParts = Omit<Hub, 'scanner'>;

/**
 * Checks an appointment in (one transaction: ticket issued + appointment marked), then, after
 * the commit, prints its ticket on the kiosk's printer like any kiosk ticket.
 */
export function checkInAndPrint(
  hub: HubParts,
  codeId: string,
  actor: Actor,
  baseUrl: string,
): { ticket: Ticket & TicketPosition; print: PrintInfoDto | null } {
  const { ticket } = hub.appointments.checkIn(codeId, actor);
  const print = hub.printing.printIssued(ticket, ticket, actor, baseUrl);
  return { ticket, print };
}

const STATUS_TEXT: Record<Ticket['status'], string> = {
  waiting: 'is waiting',
  called: 'is called',
  serving: 'is being served',
  done: 'was served',
  no_show: 'was missed',
  cancelled: 'was cancelled',
};

export type PresentResult = Omit<ScannerResultEvent, 'type' | 'at'>;

/** Reads and acts on a presented code; every outcome, good or bad, is a result for the screen. */
export function presentCode(
  hub: HubParts,
  text: string,
  kiosk: Actor,
  baseUrl: string,
): PresentResult {
  const read = hub.codes.read(text);
  if (!read.ok) return { ok: false, kind: null, reason: read.reason, message: read.message };
  if (read.kind === 'ticket') {
    const ticket = hub.codes.findTicket(read.ref, (id) => hub.tickets.find(id));
    if (!ticket)
      return {
        ok: false,
        kind: 'ticket',
        reason: 'ticket_not_found',
        message: 'This ticket is not known here (it may be from another day or branch).',
      };
    return {
      ok: true,
      kind: 'ticket',
      ticket: withPosition(hub.tickets.positioned(ticket)),
      message: `Ticket ${ticket.number} ${STATUS_TEXT[ticket.status]}.`,
    };
  }
  try {
    const { ticket, print } = checkInAndPrint(hub, read.codeId, kiosk, baseUrl);
    return {
      ok: true,
      kind: 'appointment',
      ticket: withPosition(ticket),
      print,
      message: `Checked in: your ticket is ${ticket.number}.`,
    };
  } catch (error) {
    if (error instanceof AlreadyCheckedInError)
      return {
        ok: false,
        kind: 'appointment',
        ticket: withPosition(error.ticket),
        reason: error.code,
        message: error.message,
      };
    if (error instanceof HubError)
      return { ok: false, kind: 'appointment', reason: error.code, message: error.message };
    throw error;
  }
}
