// The counts the database keeps (migration 007) against the queue counted row by row, after
// random runs of what a branch does: issuing (priority or not, with the clock also set back),
// calling, serving, recalling, transferring and cancelling. A new ticket's place, read from the
// counts, must be the place the full count gives it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { initDemoBranch } from '../../branch-setup';
import { HubError } from '../../hub-error';
import { openHub, type Hub } from '../../hub';
import type { Actor } from '../actor';
import type { TicketStepAction } from './ticket-store';

let dir: string;
let hub: Hub;
let clock: ManualClock;
const kiosk: Actor = { deviceId: 'kiosk-1', role: 'kiosk', counterId: null };
const counterActor = (id: string): Actor => ({
  deviceId: `dev-${id}`,
  role: 'counter',
  counterId: id,
});
const MORNING = Date.parse('2026-11-23T08:00:00Z');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guichet-counts-'));
  clock = new ManualClock(MORNING);
  hub = openHub(path.join(dir, 'hub.db'), clock);
  initDemoBranch(hub);
  hub.branch.patch({ capacity: 100_000 }, hub.system);
});
afterEach(() => {
  hub.close();
  rmSync(dir, { recursive: true, force: true });
});

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
        hub.tickets.callNext(id, counterActor(id));
        return;
      }
      case 'step': {
        const id = counters[o.counter]!;
        const held = hub.tickets.inHandOf(id);
        if (held) hub.tickets.step(held.id, o.action, counterActor(id));
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

const counted = () =>
  hub.ctx.db
    .prepare(
      `SELECT service_id, priority, status, business_day, COUNT(*) AS n FROM tickets
       WHERE status IN ('waiting', 'called', 'serving')
       GROUP BY service_id, priority, status, business_day ORDER BY 1, 2, 3, 4`,
    )
    .all();
const kept = () => hub.ctx.db.prepare('SELECT * FROM queue_counts ORDER BY 1, 2, 3, 4').all();

describe('queue counts kept by the database', () => {
  it('match the queue counted row by row, and give a new ticket the place a full count gives', () => {
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
        expect(kept()).toEqual(counted());
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
