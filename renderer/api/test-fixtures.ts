// Builders shared by the api unit tests (not shipped: only *.test.ts import this).
import type { TicketDto, TicketStreamEvent } from '../../core/api/schemas';

export function ticket(over: Partial<TicketDto> = {}): TicketDto {
  return {
    id: 't1',
    number: 'A001',
    serviceId: 'svc-a',
    issuedServiceId: 'svc-a',
    status: 'waiting',
    priority: false,
    lang: 'fr',
    source: 'walk_in',
    businessDay: '2026-11-22',
    issuedAt: '2026-11-22T08:00:00.000Z',
    queuedAt: '2026-11-22T08:00:00.000Z',
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    counterId: null,
    recalls: 0,
    transfers: 0,
    callReason: null,
    ...over,
  };
}

export function calledEvent(seq: number, over: Partial<TicketDto> = {}): TicketStreamEvent {
  const t = ticket({
    status: 'called',
    counterId: 'c1',
    calledAt: '2026-11-22T08:05:00.000Z',
    ...over,
  });
  return {
    type: 'ticket.called',
    seq,
    eventId: `ev-${seq}`,
    at: '2026-11-22T08:05:00.000Z',
    ticket: t,
    counterId: t.counterId,
  };
}
