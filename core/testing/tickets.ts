// Test fixtures shared by core's unit and property tests; production code never imports this.
import type { Ticket } from '../model';

/** A waiting ticket A001 in service "svc-a", issued at `issuedAt`, with any field overridden. */
export function makeTicket(overrides: Partial<Ticket> = {}, issuedAt = 1_700_000_000_000): Ticket {
  return {
    id: 't-1',
    number: 'A001',
    seq: 1,
    businessDay: '2023-11-14',
    issuedServiceId: 'svc-a',
    serviceId: 'svc-a',
    priority: false,
    lang: 'fr',
    source: 'walk_in',
    status: 'waiting',
    issuedAt,
    queuedAt: issuedAt,
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    counterId: null,
    recalls: 0,
    transfers: 0,
    callReason: null,
    ...overrides,
  };
}

/** Freezes an object and everything it holds, so a test notices any mutation (it throws). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
