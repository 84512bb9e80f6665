import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPush, type PlannableEvent } from './push-plan';

const ev = (deviceSeq: number): PlannableEvent => ({ eventId: `e${deviceSeq}`, deviceSeq });
const ok = () => ({ ok: true as const });

/** A receiver's memory of one log, applying plans the way a store does. */
function receiver() {
  const stored = new Map<string, number>();
  let ack = 0;
  return {
    push(events: PlannableEvent[]) {
      const plan = planPush({ ack, events, isKnown: (id) => stored.has(id), check: ok });
      for (const p of plan.toStore) stored.set(p.event.eventId, p.event.deviceSeq);
      ack = plan.ackSeq;
      return plan;
    },
    get ack() {
      return ack;
    },
    stored,
  };
}

describe('planPush', () => {
  it('applies the next events in order, whatever order the batch lists them in', () => {
    const plan = planPush({
      ack: 0,
      events: [ev(2), ev(1), ev(3)],
      isKnown: () => false,
      check: ok,
    });
    expect(plan.ackSeq).toBe(3);
    expect(plan.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(plan.toStore.map((p) => p.event.deviceSeq)).toEqual([1, 2, 3]);
  });

  it('skips what is at or below the ack and stops at a gap', () => {
    const plan = planPush({
      ack: 2,
      events: [ev(1), ev(2), ev(3), ev(5), ev(6)],
      isKnown: () => false,
      check: ok,
    });
    expect(plan.ackSeq).toBe(3);
    expect(plan.gapAt).toBe(5);
    expect(plan.results).toEqual([
      { eventId: 'e1', status: 'duplicate' },
      { eventId: 'e2', status: 'duplicate' },
      { eventId: 'e3', status: 'applied' },
    ]);
  });

  it('stores and acknowledges a rejected event so the log keeps moving', () => {
    const plan = planPush({
      ack: 0,
      events: [ev(1), ev(2)],
      isKnown: () => false,
      check: (e) => (e.deviceSeq === 1 ? { ok: false, reason: 'unknown_type' } : { ok: true }),
    });
    expect(plan.ackSeq).toBe(2);
    expect(plan.toStore.map((p) => p.status)).toEqual(['rejected', 'applied']);
    expect(plan.results[0]).toEqual({ eventId: 'e1', status: 'rejected', reason: 'unknown_type' });
  });

  it('fills the position of a known eventId without storing it again', () => {
    const plan = planPush({
      ack: 0,
      events: [ev(1), ev(2)],
      isKnown: (id) => id === 'e1',
      check: ok,
    });
    expect(plan.ackSeq).toBe(2);
    expect(plan.toStore.map((p) => p.event.eventId)).toEqual(['e2']);
  });

  it('converges to a gapless prefix: any batches, repeated any number of times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 12 }), { maxLength: 30 }),
        (batches) => {
          const r = receiver();
          for (const batch of batches) {
            const unique = [...new Set(batch)].map(ev);
            const first = r.push(unique);
            const ackAfterFirst = r.ack;
            const size = r.stored.size;
            // The same batch again changes nothing.
            const again = r.push(unique);
            expect(again.toStore).toEqual([]);
            expect(r.ack).toBe(ackAfterFirst);
            expect(r.stored.size).toBe(size);
            expect(first.ackSeq).toBe(ackAfterFirst);
          }
          // Whatever arrived, the receiver holds exactly 1..ack.
          expect([...r.stored.values()].sort((a, b) => a - b)).toEqual(
            Array.from({ length: r.ack }, (_, i) => i + 1),
          );
        },
      ),
    );
  });
});
