// Tickets on the server are a projection of the event history: every ticket.* event carries the
// ticket's whole snapshot (hub/features/tickets/ticket-store.ts), and the snapshot with the
// highest HLC wins. HLC respects causality, so a call made after an (offline) issue always wins
// over it, whichever device pushed first.
import { TicketDto } from '../../core/api/schemas';

export interface TicketSnapshot {
  ticketId: string;
  number: string;
  serviceId: string;
  issuedServiceId: string;
  status: TicketDto['status'];
  businessDay: string;
  queuedAt: number;
  calledAt: number | null;
  finishedAt: number | null;
  counterId: string | null;
}

type Parsed = { ok: true; ticket: TicketSnapshot } | { ok: false; problem: string };

const BUSINESS_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Projected strings become columns: printable and short, or the event is refused (never a 5xx). */
const SAFE_TEXT = /^[^\p{Cc}]{1,64}$/u;
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

export function ticketOfPayload(payload: Record<string, unknown>): Parsed {
  const parsed = TicketDto.safeParse(payload.ticket);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      problem: issue ? `ticket.${issue.path.join('.')}: ${issue.message}` : 'ticket',
    };
  }
  const t = parsed.data;
  if (!BUSINESS_DAY.test(t.businessDay)) return { ok: false, problem: 'ticket.businessDay' };
  for (const [field, value] of Object.entries({
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    issuedServiceId: t.issuedServiceId,
    counterId: t.counterId ?? 'none',
  }))
    if (!SAFE_TEXT.test(value))
      return { ok: false, problem: `ticket.${field}: 1–64 printable characters` };
  return {
    ok: true,
    ticket: {
      ticketId: t.id,
      number: t.number,
      serviceId: t.serviceId,
      issuedServiceId: t.issuedServiceId,
      status: t.status,
      businessDay: t.businessDay,
      queuedAt: Date.parse(t.queuedAt),
      calledAt: ms(t.calledAt),
      finishedAt: ms(t.finishedAt),
      counterId: t.counterId,
    },
  };
}

/** The snapshots of a batch, one per ticket (the highest HLC), ready for one upsert. */
export function latestSnapshots(
  events: readonly { type: string; hlc: string; payload: Record<string, unknown> }[],
): { ticket: TicketSnapshot; hlc: string }[] {
  const latest = new Map<string, { ticket: TicketSnapshot; hlc: string }>();
  for (const event of events) {
    if (!event.type.startsWith('ticket.')) continue;
    const parsed = ticketOfPayload(event.payload);
    if (!parsed.ok) continue;
    const held = latest.get(parsed.ticket.ticketId);
    if (!held || event.hlc > held.hlc)
      latest.set(parsed.ticket.ticketId, { ticket: parsed.ticket, hlc: event.hlc });
  }
  return [...latest.values()];
}
