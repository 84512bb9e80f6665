import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Ticket } from './model';
import {
  TICKET_ACTIONS,
  TransitionError,
  callTicket,
  canApply,
  cancelTicket,
  finishTicket,
  isFinal,
  markNoShow,
  recallTicket,
  startTicket,
  transferTicket,
  type TicketAction,
} from './ticket-lifecycle';
import { deepFreeze, makeTicket } from './testing/tickets';

const SERVICES = ['svc-a', 'svc-b', 'svc-c'];
const MAX_RECALLS = 2;

interface Step {
  action: TicketAction;
  service: string;
  gapMs: number;
}
const stepArb: fc.Arbitrary<Step> = fc.record({
  action: fc.constantFrom(...TICKET_ACTIONS),
  service: fc.constantFrom(...SERVICES),
  gapMs: fc.integer({ min: 0, max: 600_000 }),
});

function apply(t: Ticket, step: Step, now: number): Ticket {
  switch (step.action) {
    case 'call':
      return callTicket(t, 'c1', { rule: 'manual', serviceId: t.serviceId, waitedSec: 0 }, now);
    case 'recall':
      return recallTicket(t, MAX_RECALLS, now).ticket;
    case 'start':
      return startTicket(t, now);
    case 'finish':
      return finishTicket(t, now);
    case 'no_show':
      return markNoShow(t, now);
    case 'cancel':
      return cancelTicket(t, now);
    case 'transfer':
      return transferTicket(t, step.service, now);
  }
}

describe('ticket lifecycle (properties)', () => {
  it('throws exactly when canApply says no, never mutates, and keeps every ticket coherent', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30, size: 'max' }), (steps) => {
        const issued = makeTicket();
        let ticket = deepFreeze(issued);
        let now = issued.issuedAt;
        for (const step of steps) {
          now += step.gapMs;
          const legal =
            canApply(ticket.status, step.action) &&
            !(step.action === 'transfer' && step.service === ticket.serviceId);
          if (!legal) {
            expect(() => apply(ticket, step, now)).toThrow(TransitionError);
            continue;
          }
          // deepFreeze makes any mutation of the input throw.
          const next = deepFreeze(apply(ticket, step, now));
          // What identifies the visitor and their place never changes.
          for (const key of [
            'id',
            'number',
            'seq',
            'businessDay',
            'issuedServiceId',
            'issuedAt',
            'queuedAt',
          ] as const) {
            expect(next[key]).toBe(issued[key]);
          }
          expect(next.transfers).toBe(ticket.transfers + (step.action === 'transfer' ? 1 : 0));
          if (next.status === 'waiting') {
            expect([next.counterId, next.calledAt, next.startedAt, next.callReason]).toEqual([
              null,
              null,
              null,
              null,
            ]);
          } else if (next.status !== 'cancelled') {
            // Only a called ticket gets further (a waiting one can just be cancelled).
            expect(next.counterId).not.toBeNull();
            expect(next.calledAt).not.toBeNull();
          }
          expect(next.recalls).toBeLessThanOrEqual(MAX_RECALLS);
          expect(next.finishedAt === null).toBe(!isFinal(next.status));
          if (next.status === 'done') expect(next.startedAt).not.toBeNull();
          ticket = next;
        }
      }),
    );
  });

  it('lets no action out of a final status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('done', 'no_show', 'cancelled' as const),
        stepArb,
        (status, step) => {
          const closed = deepFreeze(
            makeTicket({ status, counterId: 'c1', calledAt: 1, finishedAt: 2 }),
          );
          expect(() => apply(closed, step, 3)).toThrow(TransitionError);
        },
      ),
    );
  });
});
