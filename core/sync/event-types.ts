// Every event type a hub writes to its log. The hub's outbox accepts only these (a compile-time
// check), and the central server applies or records exactly these: a hub cannot start writing a
// type the server would refuse as unknown without this list, and so the server, changing too.
import { COUNTER_EVENT_TYPES, TICKET_EVENT_TYPES } from '../api/schemas';

/** Configuration and bookkeeping events: kept in the server's history, not projected. */
export const RECORDED_EVENT_TYPES = [
  ...COUNTER_EVENT_TYPES,
  'counter.created',
  'counter.updated',
  'service.created',
  'service.updated',
  'branch.created',
  'branch.updated',
  'device.created',
  'device.revoked',
  'device.printer_set',
  'appointment.created',
  'appointment.checked_in',
] as const;

export const HUB_EVENT_TYPES = [...TICKET_EVENT_TYPES, ...RECORDED_EVENT_TYPES] as const;
export type HubEventType = (typeof HUB_EVENT_TYPES)[number];
