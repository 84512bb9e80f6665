// Between SQLite rows and domain tickets, and from domain tickets to the API's DTO.
import type { TicketDto, TicketWithPositionDto } from '../../../core/api/schemas';
import type { CallReason, Ticket, TicketSource, TicketStatus } from '../../../core/model';
import { merged } from '../../../core/records';
import type { TicketPosition } from './ticket-store';

/**
 * The condition that picks one business day's tickets (bound as `@day`) through the (issued
 * service, business day, number) UNIQUE index: one short range per service, however long the
 * branch's history. No index by day alone is written on every issue for this (migration 008).
 */
export const ON_BUSINESS_DAY =
  'issued_service_id IN (SELECT id FROM services) AND business_day = @day';

export interface TicketRow {
  id: string;
  number: string;
  seq: number;
  business_day: string;
  issued_service_id: string;
  service_id: string;
  priority: number;
  lang: string;
  source: string;
  status: string;
  issued_at: number;
  queued_at: number;
  called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  counter_id: string | null;
  recalls: number;
  transfers: number;
  call_reason: string | null;
}

export function ticketFromRow(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: row.number,
    seq: row.seq,
    businessDay: row.business_day,
    issuedServiceId: row.issued_service_id,
    serviceId: row.service_id,
    priority: row.priority === 1,
    lang: row.lang,
    // The CHECK constraints and the only writer (this module) keep these within their unions.
    source: row.source as TicketSource,
    status: row.status as TicketStatus,
    issuedAt: row.issued_at,
    queuedAt: row.queued_at,
    calledAt: row.called_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counterId: row.counter_id,
    recalls: row.recalls,
    transfers: row.transfers,
    callReason: row.call_reason === null ? null : (JSON.parse(row.call_reason) as CallReason),
  };
}

/** Named parameters for the UPDATE that writes a ticket's mutable fields back. */
export function ticketUpdateParams(t: Ticket) {
  return {
    id: t.id,
    service_id: t.serviceId,
    status: t.status,
    queued_at: t.queuedAt,
    called_at: t.calledAt,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    counter_id: t.counterId,
    recalls: t.recalls,
    transfers: t.transfers,
    call_reason: t.callReason === null ? null : JSON.stringify(t.callReason),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function ticketToDto(t: Ticket): TicketDto {
  return {
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    issuedServiceId: t.issuedServiceId,
    status: t.status,
    priority: t.priority,
    lang: t.lang,
    source: t.source,
    businessDay: t.businessDay,
    issuedAt: iso(t.issuedAt),
    queuedAt: iso(t.queuedAt),
    calledAt: isoOrNull(t.calledAt),
    startedAt: isoOrNull(t.startedAt),
    finishedAt: isoOrNull(t.finishedAt),
    counterId: t.counterId,
    recalls: t.recalls,
    transfers: t.transfers,
    callReason: t.callReason,
  };
}

/** A ticket with where it stands (TicketStore.positioned) as the API's DTO. */
export const withPosition = (ticket: Ticket & TicketPosition): TicketWithPositionDto => {
  const { ahead, estimatedWaitSec, ...rest } = ticket;
  return merged(ticketToDto(rest), { ahead, estimatedWaitSec });
};
