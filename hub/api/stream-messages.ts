// From stored events to what the stream sends. Ticket and counter events carry their state;
// configuration events become a light "config.changed" so screens refetch; device events stay
// private to the hub (they name devices, which displays have no business seeing).
import type { StreamMessage } from '../../core/api/schemas';
import type { StoredEvent } from '../events/outbox';
import { merged } from '../../core/records';

const CONFIG_EVENT_PREFIXES = ['service.', 'counter.created', 'counter.updated', 'branch.'];

export function toStreamMessage(event: StoredEvent): StreamMessage | null {
  const at = new Date(event.at).toISOString();
  const base = { seq: event.seq, eventId: event.eventId, at };
  const payload = event.payload;
  if (event.type.startsWith('ticket.')) {
    return Object.assign({}, base, payload, { type: event.type }) as StreamMessage;
  }
  if (event.type === 'counter.paused' || event.type === 'counter.resumed') {
    const { counter } = payload as { counter: Record<string, unknown> };
    const { id, name, status, profile } = counter;
    return merged(base, {
      type: event.type,
      counter: { id, name, status, profile },
    }) as StreamMessage;
  }
  if (CONFIG_EVENT_PREFIXES.some((p) => event.type.startsWith(p))) {
    return merged(base, { type: 'config.changed' as const, cause: event.type });
  }
  return null;
}
