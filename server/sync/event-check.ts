// Which pushed events the server can apply. A refused one is still stored and acknowledged with a
// reason (docs/sync.md), so one bad event never blocks a device's log; admin lists them.
// The types come from core/sync/event-types.ts, the list the hub's outbox is typed by.
import { TICKET_EVENT_TYPES } from '../../core/api/schemas';
import { RECORDED_EVENT_TYPES } from '../../core/sync/event-types';
import type { SyncEvent } from '../../core/sync/protocol';
import type { EventVerdict } from '../../core/sync/push-plan';
import { ticketOfPayload } from './ticket-projection';

const TICKET_TYPES = new Set<string>(TICKET_EVENT_TYPES);

/** Kept in history but not projected: configuration is synced whole, through `config`. */
const RECORDED_TYPES = new Set<string>(RECORDED_EVENT_TYPES);

export function checkEvent(event: SyncEvent): EventVerdict {
  if (TICKET_TYPES.has(event.type)) {
    const ticket = ticketOfPayload(event.payload);
    return ticket.ok ? { ok: true } : { ok: false, reason: `invalid_payload: ${ticket.problem}` };
  }
  if (RECORDED_TYPES.has(event.type)) return { ok: true };
  return { ok: false, reason: `unknown_type: ${event.type}` };
}
