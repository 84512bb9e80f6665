import { describe, it, expect } from 'vitest';
import type { CallPolicy } from './model';
import {
  chooseNext,
  compareArrival,
  manualCallReason,
  nextPriorityStreak,
  type CallNextInput,
  type QueueHead,
  type ServiceHeads,
} from './call-next';

const NOW = 1_700_000_000_000;
const policy: CallPolicy = { priorityCap: 2, agingThresholdSec: 1800, maxRecalls: 3 };

/** A head that has waited `waitedSec` seconds at NOW. */
function head(
  ticketId: string,
  serviceId: string,
  waitedSec: number,
  extra: Partial<QueueHead> = {},
) {
  return {
    ticketId,
    serviceId,
    priority: false,
    queuedAt: NOW - waitedSec * 1000,
    number: ticketId.toUpperCase(),
    ...extra,
  };
}
const prio = (ticketId: string, serviceId: string, waitedSec: number) =>
  head(ticketId, serviceId, waitedSec, { priority: true });

function service(
  serviceId: string,
  weight: number,
  normalHead: QueueHead | null,
  priorityHead: QueueHead | null = null,
): ServiceHeads {
  return { serviceId, weight, normalHead, priorityHead };
}

const input = (heads: ServiceHeads[], priorityStreak = 0, p = policy): CallNextInput => ({
  heads,
  priorityStreak,
  policy: p,
  now: NOW,
});

describe('chooseNext: nothing to call', () => {
  it('returns null when no queue has a head', () => {
    expect(chooseNext(input([]))).toBeNull();
    expect(chooseNext(input([service('a', 1, null), service('b', 2, null)]))).toBeNull();
  });

  it('ignores services of weight 0 or less, even with old tickets', () => {
    const heads = [
      service('a', 0, head('a1', 'a', 5000), prio('a2', 'a', 5000)),
      service('b', -1, head('b1', 'b', 5000)),
      service('c', Number.NaN, head('c1', 'c', 5000)),
    ];
    expect(chooseNext(input(heads))).toBeNull();
    expect(chooseNext(input([...heads, service('d', 1, head('d1', 'd', 10))]))?.ticketId).toBe(
      'd1',
    );
  });
});

describe('chooseNext: weighted', () => {
  it('calls the best waited × weight score, with the reason', () => {
    const decision = chooseNext(
      input([service('a', 1, head('a1', 'a', 600)), service('b', 3, head('b1', 'b', 300))], 1),
    );
    expect(decision).toEqual({
      ticketId: 'b1',
      reason: {
        rule: 'weighted',
        serviceId: 'b',
        waitedSec: 300,
        weight: 3,
        score: 900,
        priorityStreak: 1,
        priorityCap: 2,
      },
      nextPriorityStreak: 0,
    });
  });

  it('lets a long wait beat a heavier weight', () => {
    const decision = chooseNext(
      input([service('a', 1, head('a1', 'a', 1000)), service('b', 3, head('b1', 'b', 300))]),
    );
    expect(decision?.ticketId).toBe('a1');
  });

  it('breaks equal scores by arrival, then number, then id', () => {
    // Same score (600) but a1 arrived earlier.
    expect(
      chooseNext(
        input([service('b', 2, head('b1', 'b', 300)), service('a', 1, head('a1', 'a', 600))]),
      )?.ticketId,
    ).toBe('a1');
    // Same arrival and weight: the number decides, in natural order (A999 before A1000).
    const a = head('x', 'a', 60, { number: 'A1000' });
    const b = head('y', 'b', 60, { number: 'A999' });
    expect(chooseNext(input([service('a', 1, a), service('b', 1, b)]))?.ticketId).toBe('y');
    // Same arrival, weight and number (two business days' A001): the id decides.
    const c = head('t2', 'a', 60, { number: 'A001' });
    const d = head('t1', 'b', 60, { number: 'A001' });
    expect(chooseNext(input([service('a', 1, c), service('b', 1, d)]))?.ticketId).toBe('t1');
  });

  it('treats a head from the future as having waited 0 s', () => {
    const early = head('a1', 'a', -30);
    const decision = chooseNext(input([service('a', 1, early)]));
    expect(decision?.reason).toMatchObject({ waitedSec: 0, score: 0 });
  });

  it('rounds the seconds it reports', () => {
    const decision = chooseNext(input([service('a', 2, head('a1', 'a', 61.6))]));
    expect(decision?.reason).toMatchObject({ waitedSec: 62, score: 123 });
  });
});

describe('chooseNext: priority and its cap', () => {
  it('lets a priority head overtake older normal tickets while under the cap', () => {
    const heads = [service('a', 1, head('a1', 'a', 900), prio('a2', 'a', 10))];
    expect(chooseNext(input(heads, 0))).toMatchObject({
      ticketId: 'a2',
      reason: { rule: 'priority', serviceId: 'a', score: 10, priorityStreak: 0, priorityCap: 2 },
      nextPriorityStreak: 1,
    });
    expect(chooseNext(input(heads, 1))).toMatchObject({ ticketId: 'a2', nextPriorityStreak: 2 });
  });

  it('calls a normal ticket once the cap is reached, and resets the streak', () => {
    const heads = [service('a', 1, head('a1', 'a', 900), prio('a2', 'a', 10))];
    expect(chooseNext(input(heads, 2))).toMatchObject({
      ticketId: 'a1',
      reason: { rule: 'priority_cap', priorityStreak: 2, priorityCap: 2 },
      nextPriorityStreak: 0,
    });
  });

  it('picks the best-scored priority head across services', () => {
    const heads = [
      service('a', 1, head('a1', 'a', 50), prio('a2', 'a', 100)),
      service('b', 4, null, prio('b1', 'b', 30)),
    ];
    expect(chooseNext(input(heads))?.ticketId).toBe('b1');
  });

  it('keeps calling priority tickets past the cap when no normal ticket waits, streak at 0', () => {
    const heads = [service('a', 1, null, prio('a2', 'a', 10))];
    expect(chooseNext(input(heads, 5))).toMatchObject({
      ticketId: 'a2',
      reason: { rule: 'priority', priorityStreak: 5 },
      nextPriorityStreak: 0,
    });
  });

  it('with a cap of 0, never lets a priority ticket overtake', () => {
    const noOvertaking = { ...policy, priorityCap: 0 };
    const heads = [service('a', 1, head('a1', 'a', 10), prio('a2', 'a', 900))];
    expect(chooseNext(input(heads, 0, noOvertaking))).toMatchObject({
      ticketId: 'a1',
      reason: { rule: 'priority_cap' },
    });
    const alone = [service('a', 1, null, prio('a2', 'a', 900))];
    expect(chooseNext(input(alone, 0, noOvertaking))?.ticketId).toBe('a2');
  });

  it('only counts the normal heads of services this counter serves', () => {
    const heads = [
      service('a', 1, null, prio('a2', 'a', 10)),
      service('b', 0, head('b1', 'b', 900)),
    ];
    expect(chooseNext(input(heads, 1))?.nextPriorityStreak).toBe(0);
  });
});

describe('chooseNext: aging', () => {
  it('calls the oldest head once any head reaches the threshold, over priority and weight', () => {
    const heads = [
      service('a', 5, head('a1', 'a', 1700), prio('a2', 'a', 1000)),
      service('b', 1, head('b1', 'b', 1800)),
    ];
    expect(chooseNext(input(heads))).toEqual({
      ticketId: 'b1',
      reason: {
        rule: 'aging',
        serviceId: 'b',
        waitedSec: 1800,
        weight: 1,
        priorityStreak: 0,
        priorityCap: 2,
        agingThresholdSec: 1800,
      },
      nextPriorityStreak: 0,
    });
  });

  it('does not fire a millisecond before the threshold', () => {
    const almostAged = head('b1', 'b', 0, { queuedAt: NOW - 1_799_999 });
    const heads = [service('a', 20, head('a1', 'a', 100)), service('b', 1, almostAged)];
    expect(chooseNext(input(heads))).toMatchObject({
      ticketId: 'a1',
      reason: { rule: 'weighted' },
    });
  });

  it('calls an aged priority ticket even past the cap, counting it in the streak', () => {
    const heads = [service('a', 1, head('a1', 'a', 100), prio('a2', 'a', 2000))];
    expect(chooseNext(input(heads, 2))).toMatchObject({
      ticketId: 'a2',
      reason: { rule: 'aging' },
      nextPriorityStreak: 3,
    });
  });

  it('calls the oldest head, which is not always the one with the best score', () => {
    const heads = [service('a', 1, head('a1', 'a', 2000)), service('b', 10, head('b1', 'b', 1900))];
    expect(chooseNext(input(heads))?.ticketId).toBe('a1');
  });
});

describe('nextPriorityStreak', () => {
  it('counts only priority calls that overtook a waiting normal ticket', () => {
    expect(nextPriorityStreak(1, true, true)).toBe(2);
    expect(nextPriorityStreak(1, true, false)).toBe(0);
    expect(nextPriorityStreak(1, false, true)).toBe(0);
  });
});

describe('compareArrival', () => {
  it('orders by arrival, then natural number order, then id', () => {
    const heads = [
      head('t3', 'a', 10, { number: 'A1000' }),
      head('t2', 'a', 10, { number: 'A999' }),
      head('t9', 'a', 20, { number: 'B500' }),
      head('t1', 'a', 10, { number: 'A999' }),
    ];
    expect(heads.sort(compareArrival).map((h) => h.ticketId)).toEqual(['t9', 't1', 't2', 't3']);
  });
});

describe('manualCallReason', () => {
  it('records a manual call with the wait and, when known, the weight', () => {
    expect(manualCallReason({ serviceId: 'a', queuedAt: NOW - 90_400 }, 2, NOW)).toEqual({
      rule: 'manual',
      serviceId: 'a',
      waitedSec: 90,
      weight: 2,
    });
    const outsideProfile = manualCallReason(
      { serviceId: 'z', queuedAt: NOW + 5_000 },
      undefined,
      NOW,
    );
    expect(outsideProfile).toEqual({ rule: 'manual', serviceId: 'z', waitedSec: 0 });
    expect('weight' in outsideProfile).toBe(false);
  });
});
