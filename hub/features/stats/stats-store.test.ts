// Today's figures over a real SQLite file with a hand-driven clock: a day of known waits and
// service times, beside yesterday's tickets, which must not count.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../clock';
import type { Hub } from '../../hub';
import { openDemoHubOnDisk } from '../../testing/demo-hub-on-disk';
import type { Actor } from '../actor';
import { DAY_TICKETS } from './stats-store';

let hub: Hub;
let clock: ManualClock;
let close: () => void;
const kiosk: Actor = { deviceId: 'kiosk-1', role: 'kiosk', counterId: null };
const counter3: Actor = { deviceId: 'dev-counter-3', role: 'counter', counterId: 'counter-3' };
const SEC = 1000;

// 09:00 in Paris.
const MORNING = Date.parse('2026-11-23T08:00:00Z');

beforeEach(() => {
  ({ hub, clock, close } = openDemoHubOnDisk('stats', MORNING - 24 * 3600 * SEC));
});
afterEach(() => close());

/** Issues at `at`, and returns the ticket's id. */
function issueAt(at: number, serviceId: string): string {
  clock.set(at);
  return hub.tickets.issue({ serviceId }, kiosk).id;
}

describe("today's figures", () => {
  it('count, per service and counter, only the business day’s tickets, each under its current service', () => {
    // Yesterday: a visa served in 10 minutes after a 1-minute wait, at the same counter.
    const old = issueAt(MORNING - 24 * 3600 * SEC, 'visas');
    clock.advance(60 * SEC);
    hub.tickets.callSpecific('counter-3', old, counter3);
    clock.advance(600 * SEC);
    hub.tickets.step(old, 'finish', counter3);

    const t0 = MORNING;
    const v1 = issueAt(t0, 'visas');
    const v2 = issueAt(t0 + 10 * SEC, 'visas');
    issueAt(t0 + 20 * SEC, 'passeports');
    const moved = issueAt(t0 + 30 * SEC, 'etat-civil');
    hub.tickets.transfer(moved, 'visas', undefined, hub.system);
    // v1: called after 60 s, started 30 s later, finished 120 s after that.
    clock.set(t0 + 60 * SEC);
    hub.tickets.callSpecific('counter-3', v1, counter3);
    clock.advance(30 * SEC);
    hub.tickets.step(v1, 'start', counter3);
    clock.advance(120 * SEC);
    hub.tickets.step(v1, 'finish', counter3);
    // v2: called after 300 s, then missed.
    clock.set(t0 + 310 * SEC);
    hub.tickets.callSpecific('counter-3', v2, counter3);
    hub.tickets.step(v2, 'no_show', counter3);
    clock.set(t0 + 620 * SEC);

    const stats = hub.stats.today();

    expect(stats.businessDay).toBe('2026-11-23');
    expect(stats.waitingNow).toBe(2);
    expect(stats.servedToday).toBe(1);
    const service = (id: string) => stats.services.find((s) => s.serviceId === id);
    // The transferred ticket waits under visas since its arrival (t0 + 30 s): 590 s by now.
    expect(service('visas')).toEqual({
      serviceId: 'visas',
      waiting: 1,
      served: 1,
      noShows: 1,
      avgWaitSec: 180,
      longestWaitSec: 590,
    });
    expect(service('passeports')).toEqual({
      serviceId: 'passeports',
      waiting: 1,
      served: 0,
      noShows: 0,
      avgWaitSec: null,
      longestWaitSec: 600,
    });
    expect(service('etat-civil')).toEqual({
      serviceId: 'etat-civil',
      waiting: 0,
      served: 0,
      noShows: 0,
      avgWaitSec: null,
      longestWaitSec: 0,
    });
    expect(stats.counters.find((c) => c.counterId === 'counter-3')).toEqual({
      counterId: 'counter-3',
      served: 1,
      avgServiceSec: 120,
      avgWaitSec: 180,
    });
    expect(stats.counters.find((c) => c.counterId === 'counter-1')).toEqual({
      counterId: 'counter-1',
      served: 0,
      avgServiceSec: null,
      avgWaitSec: null,
    });
  });

  it("read the day's tickets through the number index, not the whole history", () => {
    const plan = hub.ctx.db
      .prepare<{ day: string }, { detail: string }>(
        `EXPLAIN QUERY PLAN WITH ${DAY_TICKETS} SELECT COUNT(*) FROM day`,
      )
      .all({ day: '2026-11-23' })
      .map((row) => row.detail);
    expect(plan).toContainEqual(
      expect.stringMatching(
        /^SEARCH tickets USING INDEX sqlite_autoindex_tickets_2 \(issued_service_id=\? AND business_day=\?\)/,
      ),
    );
    expect(plan.filter((detail) => /^SCAN tickets\b/.test(detail))).toEqual([]);
  });
});
