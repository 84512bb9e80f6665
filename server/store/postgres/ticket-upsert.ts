// One statement upserts a whole batch of ticket snapshots; a row only moves to a higher HLC.
import type { TicketSnapshot } from '../../sync/ticket-projection';

export const TICKET_UPSERT_PG = `
  INSERT INTO tickets (branch_id, ticket_id, number, service_id, issued_service_id, status,
                       business_day, queued_at, called_at, finished_at, counter_id, hlc)
  SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                           $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::text[],
                           $12::text[])
  ON CONFLICT (branch_id, ticket_id) DO UPDATE SET
    number = excluded.number, service_id = excluded.service_id,
    issued_service_id = excluded.issued_service_id, status = excluded.status,
    business_day = excluded.business_day, queued_at = excluded.queued_at,
    called_at = excluded.called_at, finished_at = excluded.finished_at,
    counter_id = excluded.counter_id, hlc = excluded.hlc
  WHERE excluded.hlc > tickets.hlc`;

/** Parameters for TICKET_UPSERT_PG; the snapshots must name distinct tickets. */
export function ticketValues(
  branchId: string,
  snapshots: readonly { ticket: TicketSnapshot; hlc: string }[],
): unknown[] {
  const col = <T>(f: (s: { ticket: TicketSnapshot; hlc: string }) => T): T[] => snapshots.map(f);
  return [
    branchId,
    col((s) => s.ticket.ticketId),
    col((s) => s.ticket.number),
    col((s) => s.ticket.serviceId),
    col((s) => s.ticket.issuedServiceId),
    col((s) => s.ticket.status),
    col((s) => s.ticket.businessDay),
    col((s) => s.ticket.queuedAt),
    col((s) => s.ticket.calledAt),
    col((s) => s.ticket.finishedAt),
    col((s) => s.ticket.counterId),
    col((s) => s.hlc),
  ];
}
