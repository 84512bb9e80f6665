import { describe, it, expect } from 'vitest';
import type { CallPolicy } from './model';
import { QueueModel, QueueModelError, type QueueModelConfig } from './queue-model';
import { TransitionError } from './ticket-lifecycle';

const MIN = 60_000;
// 09:00 in Paris (UTC+1) on Tuesday 16 January 2024.
const T0 = Date.parse('2024-01-16T08:00:00Z');
const policy: CallPolicy = { priorityCap: 2, agingThresholdSec: 3600, maxRecalls: 2 };

function branch(overrides: Partial<QueueModelConfig> = {}): QueueModel {
  return new QueueModel({
    timeZone: 'Europe/Paris',
    services: [
      { id: 'pass', prefix: 'A', open: true },
      { id: 'tax', prefix: 'B', open: true },
    ],
    counters: [
      { id: 'c1', status: 'open', profile: [{ serviceId: 'pass', weight: 1 }] },
      {
        id: 'c2',
        status: 'open',
        profile: [
          { serviceId: 'pass', weight: 1 },
          { serviceId: 'tax', weight: 3 },
        ],
      },
    ],
    policy,
    ...overrides,
  });
}

describe('QueueModel configuration', () => {
  it('refuses an unknown time zone, a bad prefix and a prefix used twice', () => {
    expect(() => branch({ timeZone: 'Nowhere/Land' })).toThrow(RangeError);
    expect(() => branch({ services: [{ id: 's', prefix: 'a', open: true }] })).toThrow(RangeError);
    const twice = [
      { id: 's1', prefix: 'A', open: true },
      { id: 's2', prefix: 'A', open: true },
    ];
    expect(() => branch({ services: twice })).toThrow('prefix A is taken');
  });
});

describe('QueueModel.issue', () => {
  it('numbers each service on its own, priority tickets included', () => {
    const q = branch();
    const numbers = [
      q.issue('pass', false, T0),
      q.issue('pass', true, T0 + MIN),
      q.issue('tax', false, T0 + 2 * MIN),
      q.issue('pass', false, T0 + 3 * MIN),
    ].map((t) => t.number);
    expect(numbers).toEqual(['A001', 'A002', 'B001', 'A003']);
  });

  it('fills in a waiting ticket for the branch-local business day', () => {
    const q = branch();
    // 23:30 UTC is already the next day in Paris.
    const t = q.issue('pass', false, Date.parse('2024-01-16T23:30:00Z'), { lang: 'en' });
    expect(t).toMatchObject({
      status: 'waiting',
      businessDay: '2024-01-17',
      issuedServiceId: 'pass',
      serviceId: 'pass',
      lang: 'en',
      source: 'walk_in',
      queuedAt: t.issuedAt,
      seq: 1,
    });
  });

  it('restarts at 001 on the next business day', () => {
    const q = branch();
    q.issue('pass', false, T0);
    q.issue('pass', false, T0 + MIN);
    const nextDay = q.issue('pass', false, T0 + 24 * 60 * MIN);
    expect([nextDay.number, nextDay.businessDay]).toEqual(['A001', '2024-01-17']);
  });

  it('refuses closed and unknown services', () => {
    const q = branch();
    q.setServiceOpen('tax', false);
    expect(() => q.issue('tax', false, T0)).toThrow(
      expect.objectContaining({ code: 'service_closed' }),
    );
    expect(() => q.issue('nope', false, T0)).toThrow(QueueModelError);
    expect(q.tickets()).toEqual([]);
  });
});

describe('QueueModel.callNext', () => {
  it('calls in arrival order within a queue and records why', () => {
    const q = branch();
    const first = q.issue('pass', false, T0);
    q.issue('pass', false, T0 + MIN);
    const called = q.callNext('c1', T0 + 10 * MIN);
    expect(called).toMatchObject({ id: first.id, status: 'called', counterId: 'c1' });
    expect(called?.callReason).toMatchObject({
      rule: 'weighted',
      serviceId: 'pass',
      waitedSec: 600,
    });
    expect(q.calls()).toEqual([
      {
        ticketId: first.id,
        counterId: 'c1',
        at: T0 + 10 * MIN,
        serviceId: 'pass',
        priority: false,
        reason: called?.callReason,
      },
    ]);
  });

  it('returns null when none of the counter’s services has anyone waiting', () => {
    const q = branch();
    q.issue('tax', false, T0);
    expect(q.callNext('c1', T0 + MIN)).toBeNull();
    expect(q.callNext('c2', T0 + MIN)?.serviceId).toBe('tax');
  });

  it('follows the counter’s weights', () => {
    const q = branch();
    q.issue('pass', false, T0);
    const tax = q.issue('tax', false, T0 + 5 * MIN);
    // At T0+10: pass scores 600 × 1, tax 300 × 3.
    expect(q.callNext('c2', T0 + 10 * MIN)?.id).toBe(tax.id);
  });

  it('lets priority overtake at most priorityCap times in a row per counter', () => {
    const q = branch();
    q.issue('pass', false, T0);
    for (let i = 1; i <= 3; i++) q.issue('pass', true, T0 + i * MIN);
    const rules: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = q.callNext('c1', T0 + (10 + i) * MIN);
      rules.push(`${t?.priority ? 'P' : 'N'}:${t?.callReason?.rule}`);
      q.finish(t?.id ?? '', T0 + (10 + i) * MIN + 30_000);
    }
    expect(rules).toEqual(['P:priority', 'P:priority', 'N:priority_cap']);
    expect(q.priorityStreak('c1')).toBe(0);
    expect(q.priorityStreak('c2')).toBe(0);
  });

  it('refuses a counter that is not open or still holds a ticket', () => {
    const q = branch();
    q.issue('pass', false, T0);
    q.issue('pass', false, T0);
    q.setCounterStatus('c1', 'paused');
    expect(() => q.callNext('c1', T0)).toThrow(
      expect.objectContaining({ code: 'counter_not_open' }),
    );
    q.setCounterStatus('c1', 'open');
    const held = q.callNext('c1', T0);
    expect(() => q.callNext('c1', T0)).toThrow(expect.objectContaining({ code: 'counter_busy' }));
    expect(q.heldBy('c1')).toBe(held);
    expect(() => q.callNext('c9', T0)).toThrow(
      expect.objectContaining({ code: 'unknown_counter' }),
    );
  });
});

describe('QueueModel.call (manual)', () => {
  it('calls the chosen waiting ticket with a manual reason', () => {
    const q = branch();
    q.issue('pass', false, T0);
    const tax = q.issue('tax', false, T0 + MIN);
    const called = q.call('c1', tax.id, T0 + 3 * MIN);
    // c1 does not serve tax: the reason has no weight.
    expect(called.callReason).toEqual({ rule: 'manual', serviceId: 'tax', waitedSec: 120 });
    expect(() => q.call('c2', tax.id, T0 + 4 * MIN)).toThrow(TransitionError);
  });

  it('counts a hand-picked priority call that overtook someone in the streak', () => {
    const q = branch();
    q.issue('pass', false, T0);
    const p = q.issue('pass', true, T0 + MIN);
    q.call('c1', p.id, T0 + 2 * MIN);
    expect(q.priorityStreak('c1')).toBe(1);
  });
});

describe('QueueModel lifecycle commands', () => {
  it('frees the counter when its ticket is finished', () => {
    const q = branch();
    q.issue('pass', false, T0);
    const t = q.callNext('c1', T0 + MIN);
    q.start(t?.id ?? '', T0 + 2 * MIN);
    expect(q.heldBy('c1')?.status).toBe('serving');
    expect(q.finish(t?.id ?? '', T0 + 7 * MIN)).toMatchObject({
      status: 'done',
      finishedAt: T0 + 7 * MIN,
    });
    expect(q.heldBy('c1')).toBeNull();
  });

  it('turns the recall after the last allowed one into a no-show and frees the counter', () => {
    const q = branch();
    const t = q.issue('pass', false, T0);
    q.callNext('c1', T0 + MIN);
    expect(q.recall(t.id, T0 + 2 * MIN).becameNoShow).toBe(false);
    expect(q.recall(t.id, T0 + 3 * MIN).becameNoShow).toBe(false);
    const last = q.recall(t.id, T0 + 4 * MIN);
    expect(last).toMatchObject({ becameNoShow: true, ticket: { status: 'no_show', recalls: 2 } });
    expect(q.heldBy('c1')).toBeNull();
    expect(() => q.recall(t.id, T0 + 5 * MIN)).toThrow(TransitionError);
  });

  it('transfers with the original place: the visitor goes ahead of later arrivals', () => {
    const q = branch();
    const early = q.issue('pass', false, T0);
    const later = q.issue('tax', false, T0 + 5 * MIN);
    q.callNext('c1', T0 + 6 * MIN);
    const moved = q.transfer(early.id, 'tax', T0 + 10 * MIN);
    expect(moved).toMatchObject({
      status: 'waiting',
      serviceId: 'tax',
      number: 'A001',
      queuedAt: T0,
    });
    expect(q.heldBy('c1')).toBeNull();
    // Only tax is waiting now; A001 arrived first, so it heads the queue.
    expect(q.headsFor('c2').find((s) => s.serviceId === 'tax')?.normalHead?.ticketId).toBe(
      early.id,
    );
    expect(q.callNext('c2', T0 + 11 * MIN)?.id).toBe(early.id);
    expect(q.waiting().map((t) => t.id)).toEqual([later.id]);
  });

  it('refuses a transfer to an unknown service and leaves the ticket as it was', () => {
    const q = branch();
    const t = q.issue('pass', false, T0);
    expect(() => q.transfer(t.id, 'nope', T0)).toThrow(
      expect.objectContaining({ code: 'unknown_service' }),
    );
    expect(q.ticket(t.id)).toBe(t);
  });

  it('cancels a called ticket and frees its counter', () => {
    const q = branch();
    const t = q.issue('pass', false, T0);
    q.callNext('c1', T0 + MIN);
    q.cancel(t.id, T0 + 2 * MIN);
    expect(q.heldBy('c1')).toBeNull();
    expect(q.ticket(t.id).status).toBe('cancelled');
    expect(() => q.ticket('t999999')).toThrow(expect.objectContaining({ code: 'unknown_ticket' }));
  });
});
