import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  chooseNext,
  compareArrival,
  type CallNextInput,
  type QueueHead,
  type ServiceHeads,
} from './call-next';

const NOW = Date.UTC(2024, 2, 12, 10);

/** 0–5 services of random weight (some ≤ 0, i.e. not served) with random heads. */
const inputArb: fc.Arbitrary<CallNextInput> = fc
  .record({
    services: fc.array(
      fc.record({
        weight: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, -1)),
        // Waits in whole seconds up to an hour, with a good chance of equal values (ties).
        priorityWait: fc.option(fc.integer({ min: 0, max: 3600 }).map((s) => s - (s % 60))),
        normalWait: fc.option(fc.integer({ min: 0, max: 3600 }).map((s) => s - (s % 60))),
      }),
      { maxLength: 5 },
    ),
    priorityStreak: fc.integer({ min: 0, max: 4 }),
    priorityCap: fc.integer({ min: 0, max: 3 }),
    agingThresholdSec: fc.constantFrom(600, 1800, 3600),
  })
  .map(({ services, priorityStreak, priorityCap, agingThresholdSec }) => {
    const head = (serviceId: string, i: number, priority: boolean, waitSec: number): QueueHead => ({
      ticketId: `${serviceId}-${priority ? 'p' : 'n'}`,
      serviceId,
      priority,
      queuedAt: NOW - waitSec * 1000,
      number: `${'ABCDE'.charAt(i)}${priority ? '002' : '001'}`,
    });
    const heads: ServiceHeads[] = services.map((s, i) => ({
      serviceId: `s${i}`,
      weight: s.weight,
      priorityHead: s.priorityWait === null ? null : head(`s${i}`, i, true, s.priorityWait),
      normalHead: s.normalWait === null ? null : head(`s${i}`, i, false, s.normalWait),
    }));
    return {
      heads,
      priorityStreak,
      policy: { priorityCap, agingThresholdSec, maxRecalls: 3 },
      now: NOW,
    };
  });

/** The heads a counter may call: those of services it serves. */
function eligible(input: CallNextInput): QueueHead[] {
  return input.heads
    .filter((s) => s.weight > 0)
    .flatMap((s) => [s.priorityHead, s.normalHead])
    .filter((h): h is QueueHead => h !== null);
}

describe('chooseNext (properties)', () => {
  it('calls an eligible head, and returns null only when there is none', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = chooseNext(input);
        const candidates = eligible(input);
        if (candidates.length === 0) expect(decision).toBeNull();
        else expect(candidates.map((h) => h.ticketId)).toContain(decision?.ticketId);
      }),
    );
  });

  it('does not depend on the order the hub lists the services in', () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray(input.heads, { minLength: input.heads.length }),
          ),
        ),
        ([input, shuffled]) => {
          expect(chooseNext({ ...input, heads: shuffled })).toEqual(chooseNext(input));
        },
      ),
    );
  });

  it('does not change its choice when every weight is scaled by the same factor', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 2, max: 7 }), (input, factor) => {
        const scaled = {
          ...input,
          heads: input.heads.map((s) => ({ ...s, weight: s.weight * factor })),
        };
        const [a, b] = [chooseNext(input), chooseNext(scaled)];
        expect(b?.ticketId).toBe(a?.ticketId);
        expect(b?.reason.rule).toBe(a?.reason.rule);
      }),
    );
  });

  it('calls the first arrival whenever someone has waited past the threshold', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const candidates = eligible(input).sort(compareArrival);
        const first = candidates[0];
        fc.pre(
          first !== undefined && NOW - first.queuedAt >= input.policy.agingThresholdSec * 1000,
        );
        expect(chooseNext(input)).toMatchObject({
          ticketId: first?.ticketId,
          reason: { rule: 'aging' },
        });
      }),
    );
  });

  it('outside aging, calls priority exactly when it is due and keeps the streak accordingly', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = chooseNext(input);
        fc.pre(decision !== null && decision.reason.rule !== 'aging');
        const candidates = eligible(input);
        const normalWaiting = candidates.some((h) => !h.priority);
        const priorityDue =
          candidates.some((h) => h.priority) &&
          (!normalWaiting || input.priorityStreak < input.policy.priorityCap);
        const called = candidates.find((h) => h.ticketId === decision?.ticketId);
        expect(called?.priority).toBe(priorityDue);
        expect(decision?.nextPriorityStreak).toBe(
          priorityDue && normalWaiting ? input.priorityStreak + 1 : 0,
        );
      }),
    );
  });

  it('outside aging, no head of the called class has a better score', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = chooseNext(input);
        fc.pre(decision !== null && decision.reason.rule !== 'aging');
        const score = (h: QueueHead) =>
          (NOW - h.queuedAt) * (input.heads.find((s) => s.serviceId === h.serviceId)?.weight ?? 0);
        const candidates = eligible(input);
        const called = candidates.find((h) => h.ticketId === decision?.ticketId) as QueueHead;
        for (const other of candidates.filter((h) => h.priority === called.priority)) {
          expect(score(other)).toBeLessThanOrEqual(score(called));
        }
      }),
    );
  });
});
