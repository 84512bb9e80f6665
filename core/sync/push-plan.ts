// The heart of a push (docs/sync.md, "Push"), as a pure decision: given what the receiver already
// holds, which events of a batch to store, what to answer and where the acknowledgement ends.
// Each receiver (server store, hub) runs it inside its own single transaction.
import type { PushResult } from './protocol';

export interface PlannableEvent {
  eventId: string;
  deviceSeq: number;
}

export type EventVerdict = { ok: true } | { ok: false; reason: string };

export interface PushPlanInput<E extends PlannableEvent> {
  /** Acknowledged deviceSeq of (deviceId, epoch): 0 for a new epoch. */
  ack: number;
  events: readonly E[];
  /** Whether the receiver already stores an event with this id (any device, any branch). */
  isKnown: (eventId: string) => boolean;
  /** Whether the receiver can apply the event; a refused one is still stored and acknowledged. */
  check: (event: E) => EventVerdict;
}

export interface PlannedEvent<E> {
  event: E;
  status: 'applied' | 'rejected';
  reason: string | null;
}

export interface PushPlan<E> {
  ackSeq: number;
  results: PushResult[];
  /** What to store, in deviceSeq order. */
  toStore: PlannedEvent<E>[];
  /** The deviceSeq at which a gap stopped the batch, or null. */
  gapAt: number | null;
}

export function planPush<E extends PlannableEvent>(input: PushPlanInput<E>): PushPlan<E> {
  const ordered = [...input.events].sort((a, b) => a.deviceSeq - b.deviceSeq);
  let ack = input.ack;
  const results: PushResult[] = [];
  const toStore: PlannedEvent<E>[] = [];
  for (const event of ordered) {
    if (event.deviceSeq <= ack) {
      results.push({ eventId: event.eventId, status: 'duplicate' });
      continue;
    }
    if (event.deviceSeq > ack + 1) return { ackSeq: ack, results, toStore, gapAt: event.deviceSeq };
    // deviceSeq = ack + 1: the next position of this log.
    ack += 1;
    if (input.isKnown(event.eventId)) {
      // Held already (say, relayed under another log): the position is filled, nothing is stored
      // twice, and the log can move on instead of stalling on it forever.
      results.push({ eventId: event.eventId, status: 'duplicate' });
      continue;
    }
    const verdict = input.check(event);
    if (verdict.ok) {
      toStore.push({ event, status: 'applied', reason: null });
      results.push({ eventId: event.eventId, status: 'applied' });
    } else {
      toStore.push({ event, status: 'rejected', reason: verdict.reason });
      results.push({ eventId: event.eventId, status: 'rejected', reason: verdict.reason });
    }
  }
  return { ackSeq: ack, results, toStore, gapAt: null };
}
