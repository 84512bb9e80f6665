// Building blocks for sync tests: device logs with real UUIDv7 ids and HLC stamps, ticket
// snapshots shaped like the hub's (hub/features/tickets/ticket-store.ts), a valid configuration.
import { v7 as uuidv7 } from 'uuid';
import type { TicketDto } from '../../core/api/schemas';
import type { BranchConfigInput } from '../../core/sync/config';
import { createHlc, encodeHlc, tickHlc, type Hlc } from '../../core/sync/hlc';
import type { SyncEvent } from '../../core/sync/protocol';

export const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
export const DAY = '2025-03-03';

/** A device writing its log: each `next` is the next deviceSeq with a later HLC. */
export class DeviceLog {
  private seq = 0;
  private clock: Hlc;
  readonly events: SyncEvent[] = [];

  constructor(
    readonly deviceId: string,
    readonly epoch = `e-${uuidv7().slice(-12)}`,
    private now = T0,
  ) {
    this.clock = createHlc(deviceId);
  }

  next(type: string, payload: Record<string, unknown>, advanceMs = 1000): SyncEvent {
    this.now += advanceMs;
    this.clock = tickHlc(this.clock, this.now);
    this.seq += 1;
    const event: SyncEvent = {
      eventId: uuidv7({ msecs: this.now }),
      deviceSeq: this.seq,
      hlc: encodeHlc(this.clock),
      type,
      payload,
    };
    this.events.push(event);
    return event;
  }

  /** `count` counter.paused events: applied by the server, no projection involved. */
  filler(count: number): SyncEvent[] {
    return Array.from({ length: count }, () =>
      this.next('counter.paused', { counterId: 'c1', counter: { id: 'c1' } }),
    );
  }
}

export function ticket(
  overrides: Partial<TicketDto> & Pick<TicketDto, 'id' | 'number'>,
): TicketDto {
  const queuedAt = new Date(T0).toISOString();
  return {
    serviceId: 'svc-a',
    issuedServiceId: overrides.serviceId ?? 'svc-a',
    status: 'waiting',
    priority: false,
    lang: 'fr',
    source: 'walk_in',
    businessDay: DAY,
    issuedAt: queuedAt,
    queuedAt,
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

export const ticketPayload = (t: TicketDto): Record<string, unknown> => ({
  ticket: t,
  counterId: t.counterId,
});

export function sampleConfig(name = 'Agence Centre'): BranchConfigInput {
  return {
    settings: {
      name,
      timeZone: 'Europe/Paris',
      defaultLang: 'fr',
      languages: ['fr', 'en'],
      capacity: null,
      priorityEnabled: true,
      inactivityTimeoutSec: 30,
      announcementTemplates: { fr: 'Ticket {number} au guichet {counter}' },
      priorityCap: 2,
      agingThresholdSec: 1800,
      maxRecalls: 3,
    },
    services: [
      { id: 'svc-a', prefix: 'A', name: { fr: 'Passeports' }, open: true, position: 0 },
      { id: 'svc-b', prefix: 'B', name: { fr: 'Cartes grises' }, open: true, position: 1 },
    ],
    counters: [{ id: 'c1', name: 'Guichet 1', profile: [{ serviceId: 'svc-a', weight: 1 }] }],
    devices: [
      {
        id: 'dev-counter-1',
        name: 'Guichet 1',
        role: 'counter',
        counterId: 'c1',
        createdAt: new Date(T0).toISOString(),
        revokedAt: null,
      },
    ],
  };
}
