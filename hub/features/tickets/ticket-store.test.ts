// The ticket store over a real SQLite file, with a hand-driven clock. The last part checks the
// counts the database keeps (migration 007) against the queue counted row by row, after random
// runs of what a branch does: a new ticket's place, read from the counts, must be the place the
// full count gives it.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../clock';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import { openDemoHubOnDisk } from '../../testing/demo-hub-on-disk';
import { queueCountMismatches } from '../../testing/queue-counts-check';
import type { Actor } from '../actor';
import type { TicketStepAction } from './ticket-store';

let hub: Hub;
let clock: ManualClock;
let close: () => void;
const kiosk: Actor = { deviceId: 'kiosk-1', role: 'kiosk', counterId: null };
const counter = (id: string): Actor => ({ deviceId: `dev-${id}`, role: 'counter', counterId: id });

// 09:00 in Paris on a winter day.
const MORNING = Date.parse('2026-11-23T08:00:00Z');

beforeEach(() => {
  ({ hub, clock, close } = openDemoHubOnDisk('tickets', MORNING));
});
afterEach(() => close());

const events = () =>
  hub.ctx.db.prepare('SELECT type, device_seq AS deviceSeq FROM events ORDER BY seq').all() as {
    type: string;
    deviceSeq: number;
  }[];

describe('issuing', () => {
  it('numbers tickets per service and business day, restarting each day in the branch time zone', () => {
    expect(hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk).number).toBe('A001');
    expect(hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk).number).toBe('A002');
    expect(hub.tickets.issue({ serviceId: 'passeports' }, kiosk).number).toBe('B001');
    // 23:30 UTC is already the next day in Paris.
    clock.set(Date.parse('2026-11-23T23:30:00Z'));
    const nextDay = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    expect(nextDay.number).toBe('A001');
    expect(nextDay.businessDay).toBe('2026-11-24');
  });

  it('writes the ticket and its event together, with a gapless sequence for this hub', () => {
    const before = events().length;
    hub.tickets.issue({ serviceId: 'visas', lang: 'ar' }, kiosk);
    hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    const all = events();
    expect(all.slice(before).map((e) => e.type)).toEqual(['ticket.issued', 'ticket.issued']);
    expect(all.map((e) => e.deviceSeq)).toEqual(all.map((_, i) => i + 1));
  });

  it('says on the ticket which device issued it (the kiosk a reprint goes back to)', () => {
    const issuedBy = (id: string) =>
      hub.ctx.db.prepare('SELECT issued_by FROM tickets WHERE id = ?').pluck().get(id);
    const walkIn = hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    const byAdmin = hub.tickets.issue({ serviceId: 'visas' }, hub.system);
    // Calling it later does not change who issued it.
    hub.tickets.callSpecific('counter-4', walkIn.id, counter('counter-4'));
    expect(issuedBy(walkIn.id)).toBe('kiosk-1');
    expect(issuedBy(byAdmin.id)).toBe(hub.system.deviceId);
  });

  it('writes nothing when a command is refused', () => {
    hub.services.patch('visas', { open: false }, hub.system);
    const eventCount = events().length;
    expect(() => hub.tickets.issue({ serviceId: 'visas' }, kiosk)).toThrow(
      expect.objectContaining({ code: 'service_closed' }),
    );
    expect(() => hub.tickets.issue({ serviceId: 'etat-civil', lang: 'de' }, kiosk)).toThrow(
      expect.objectContaining({ code: 'unsupported_language' }),
    );
    expect(events().length).toBe(eventCount);
    expect(hub.ctx.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(0);
  });

  it('refuses new tickets when the building is at capacity (waiting + being served)', () => {
    hub.branch.patch({ capacity: 2 }, hub.system);
    hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    expect(() => hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk)).toThrow(
      expect.objectContaining({ code: 'branch_full' }),
    );
    const called = hub.tickets.callNext('counter-1', counter('counter-1'));
    hub.tickets.step(called!.id, 'finish', counter('counter-1'));
    expect(hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk).number).toBe('A003');
  });

  it('tells people ahead, counting priority tickets first', () => {
    hub.tickets.issue({ serviceId: 'passeports' }, kiosk);
    clock.advance(1000);
    const later = hub.tickets.issue({ serviceId: 'passeports' }, kiosk);
    clock.advance(1000);
    const priority = hub.tickets.issue({ serviceId: 'passeports', priority: true }, kiosk);
    expect(later.ahead).toBe(1);
    expect(priority.ahead).toBe(0);
    expect(hub.tickets.position(hub.tickets.get(later.id)).ahead).toBe(2);
  });
});

describe('calling and serving', () => {
  it('follows a ticket through call, start and finish, recording why it was called', () => {
    const t = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    clock.advance(90_000);
    const called = hub.tickets.callNext('counter-1', counter('counter-1'))!;
    expect(called).toMatchObject({ id: t.id, status: 'called', counterId: 'counter-1' });
    expect(called.callReason).toMatchObject({
      rule: 'weighted',
      serviceId: 'etat-civil',
      waitedSec: 90,
      weight: 3,
    });
    hub.tickets.step(t.id, 'start', counter('counter-1'));
    clock.advance(300_000);
    expect(hub.tickets.step(t.id, 'finish', counter('counter-1')).status).toBe('done');
    expect(
      events()
        .map((e) => e.type)
        .slice(-3),
    ).toEqual(['ticket.called', 'ticket.started', 'ticket.finished']);
  });

  it('answers null when no one waits for the counter, and writes nothing', () => {
    hub.tickets.issue({ serviceId: 'visas' }, kiosk); // counter-1 does not serve visas
    const count = events().length;
    expect(hub.tickets.callNext('counter-1', counter('counter-1'))).toBeNull();
    expect(events().length).toBe(count);
  });

  it('turns the recall after the last allowed one into a no-show', () => {
    const t = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    hub.tickets.callNext('counter-1', counter('counter-1'));
    for (let i = 1; i <= 3; i++)
      expect(hub.tickets.step(t.id, 'recall', counter('counter-1'))).toMatchObject({
        status: 'called',
        recalls: i,
      });
    expect(hub.tickets.step(t.id, 'recall', counter('counter-1')).status).toBe('no_show');
    expect(events().at(-1)?.type).toBe('ticket.no_show');
  });

  it('transfers a ticket to another service with its number and its place', () => {
    const early = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    clock.advance(60_000);
    const waitingInVisas = hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    hub.tickets.callNext('counter-1', counter('counter-1'));
    const moved = hub.tickets.transfer(
      early.id,
      'visas',
      'needs a visa form',
      counter('counter-1'),
    );
    expect(moved).toMatchObject({
      number: 'A001',
      serviceId: 'visas',
      status: 'waiting',
      counterId: null,
      transfers: 1,
    });
    expect(hub.tickets.position(moved).ahead).toBe(0);
    expect(hub.tickets.position(hub.tickets.get(waitingInVisas.id)).ahead).toBe(1);
    expect(hub.tickets.callNext('counter-3', counter('counter-3'))!.id).toBe(early.id);
  });

  it('refuses illegal transitions, other counters and busy or paused counters', () => {
    const t = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    expect(() => hub.tickets.step(t.id, 'finish', hub.system)).toThrow(
      expect.objectContaining({ status: 409, code: 'illegal_transition' }),
    );
    hub.tickets.callNext('counter-1', counter('counter-1'));
    expect(() => hub.tickets.step(t.id, 'finish', counter('counter-4'))).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    expect(() => hub.tickets.callNext('counter-1', counter('counter-1'))).toThrow(
      expect.objectContaining({ code: 'counter_busy' }),
    );
    hub.counters.setStatus('counter-4', 'paused', counter('counter-4'));
    expect(() => hub.tickets.callNext('counter-4', counter('counter-4'))).toThrow(
      expect.objectContaining({ code: 'counter_paused' }),
    );
    expect(() => hub.tickets.callNext('counter-2', counter('counter-1'))).toThrow(HubError);
  });

  it('caps priority calls in a row while a normal ticket waits (K = 2)', () => {
    const normal = hub.tickets.issue({ serviceId: 'etat-civil' }, kiosk);
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      hub.tickets.issue({ serviceId: 'etat-civil', priority: true }, kiosk);
    }
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = hub.tickets.callNext('counter-1', counter('counter-1'))!;
      order.push(t.priority ? 'P' : t.id === normal.id ? 'N' : '?');
      hub.tickets.step(t.id, 'finish', counter('counter-1'));
    }
    expect(order).toEqual(['P', 'P', 'N', 'P']);
  });
});

describe('estimates', () => {
  it('estimates the wait from recent service times and the counters open for the service', () => {
    // Visas are served by counter-3 (weight 2 of 4) and counter-4 (1 of 4): 0.75 of a counter.
    for (let i = 0; i < 2; i++) {
      const t = hub.tickets.issue({ serviceId: 'visas' }, kiosk);
      hub.tickets.callNext('counter-3', counter('counter-3'));
      hub.tickets.step(t.id, 'start', counter('counter-3'));
      clock.advance(600_000);
      hub.tickets.step(t.id, 'finish', counter('counter-3'));
    }
    hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    const third = hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    expect(third.ahead).toBe(2);
    expect(third.estimatedWaitSec).toBe(Math.round((2 * 600) / 0.75));
    hub.counters.setStatus('counter-3', 'paused', hub.system);
    hub.counters.setStatus('counter-4', 'paused', hub.system);
    expect(hub.tickets.serviceSummary('visas').estimatedWaitSec).toBeNull();
  });

  it('tells how many wait for a service and the longest wait, whichever class waits longest', () => {
    const summary = (serviceId: string) => {
      const { waiting, longestWaitSec } = hub.tickets.serviceSummary(serviceId);
      return { waiting, longestWaitSec };
    };
    expect(summary('visas')).toEqual({ waiting: 0, longestWaitSec: 0 });
    // Visas: a normal ticket first, then a priority one. Passports: the other way round.
    const normal = hub.tickets.issue({ serviceId: 'visas' }, kiosk);
    hub.tickets.issue({ serviceId: 'passeports', priority: true }, kiosk);
    clock.advance(300_000);
    hub.tickets.issue({ serviceId: 'visas', priority: true }, kiosk);
    hub.tickets.issue({ serviceId: 'passeports' }, kiosk);
    clock.advance(300_000);
    expect(summary('visas')).toEqual({ waiting: 2, longestWaitSec: 600 });
    expect(summary('passeports')).toEqual({ waiting: 2, longestWaitSec: 600 });
    hub.tickets.cancelWaiting(normal.id, hub.system, {});
    expect(summary('visas')).toEqual({ waiting: 1, longestWaitSec: 300 });
  });
});

// Queue counts kept by the database (migration 007), under random runs of a branch's day.
type Op =
  | { kind: 'issue'; service: number; priority: boolean }
  | { kind: 'clock'; deltaMs: number }
  | { kind: 'callNext'; counter: number }
  | { kind: 'step'; counter: number; action: TicketStepAction }
  | { kind: 'transfer'; pick: number; service: number }
  | { kind: 'cancelWaiting'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      service: fc.nat(3),
      priority: fc.boolean(),
    }),
  },
  // Mostly forward, sometimes back (a clock corrected by NTP), across midnight now and then.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      deltaMs: fc.integer({ min: -120_000, max: 4 * 3_600_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('callNext' as const), counter: fc.nat(3) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      counter: fc.nat(3),
      action: fc.constantFrom<TicketStepAction>('start', 'finish', 'recall', 'no_show', 'cancel'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      pick: fc.nat(),
      service: fc.nat(3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancelWaiting' as const), pick: fc.nat() }),
  },
);

/** Runs one operation; a refusal (nothing to call, an illegal step) is part of the game. */
function apply(o: Op, services: string[], counters: string[]): void {
  const waiting = () => hub.tickets.withStatus('waiting');
  try {
    switch (o.kind) {
      case 'issue': {
        const issued = hub.tickets.issue(
          { serviceId: services[o.service]!, priority: o.priority },
          kiosk,
        );
        // The answer's place, from the counts, is the one the full count gives.
        expect({ ahead: issued.ahead, estimatedWaitSec: issued.estimatedWaitSec }).toEqual(
          hub.tickets.position(hub.tickets.get(issued.id)),
        );
        return;
      }
      case 'clock':
        clock.set(clock.now() + o.deltaMs);
        return;
      case 'callNext': {
        const id = counters[o.counter]!;
        hub.tickets.callNext(id, counter(id));
        return;
      }
      case 'step': {
        const id = counters[o.counter]!;
        const held = hub.tickets.inHandOf(id);
        if (held) hub.tickets.step(held.id, o.action, counter(id));
        return;
      }
      case 'transfer': {
        const all = waiting();
        const ticket = all[o.pick % Math.max(1, all.length)];
        if (ticket) hub.tickets.transfer(ticket.id, services[o.service]!, undefined, hub.system);
        return;
      }
      case 'cancelWaiting': {
        const all = waiting();
        const ticket = all[o.pick % Math.max(1, all.length)];
        if (ticket) hub.tickets.cancelWaiting(ticket.id, hub.system, {});
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
  }
}

describe('queue counts kept by the database', () => {
  it('match the queue counted row by row, and give a new ticket the place a full count gives', () => {
    hub.branch.patch({ capacity: 100_000 }, hub.system);
    const services = hub.services.list().map((s) => s.id);
    const counters = hub.counters.list().map((c) => c.id);
    expect(services).toHaveLength(4);
    expect(counters).toHaveLength(4);
    let issued = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => {
        for (const o of ops) {
          apply(o, services, counters);
          if (o.kind === 'issue') issued += 1;
        }
        expect(queueCountMismatches(hub.ctx.db)).toEqual([]);
        const today = hub.branch.businessDayNow();
        const inBuilding = hub.ctx.db
          .prepare(
            "SELECT COUNT(*) AS n FROM tickets WHERE business_day = ? AND status IN ('waiting', 'called', 'serving')",
          )
          .get(today) as { n: number };
        expect(hub.branch.occupancy()).toBe(inBuilding.n);
      }),
      { numRuns: 60 },
    );
    // The runs did build queues (the state carries over from run to run).
    expect(issued).toBeGreaterThan(300);
    expect(hub.tickets.withStatus('waiting').length).toBeGreaterThan(20);
  });
});
