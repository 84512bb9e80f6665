import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { QueueModel } from './queue-model';
import { TransitionError } from './ticket-lifecycle';
import { Simulation, commandsArb, worldArb } from './testing/simulation';

// Each run replays up to 120 commands with checks after every one (about 3 ms a run); these
// counts keep the whole core suite within a few seconds on a busy two-core machine.
const RUNS = 100;

describe('QueueModel under random branch activity', () => {
  it('keeps every invariant after every command', () => {
    // Checked inside the simulation, step by step: one holder per ticket and one ticket per
    // counter, no call of a ticket that is not waiting (so never again once done), numbers
    // 1, 2, 3… per (service, business day), FIFO within each queue, the priority cap outside
    // aging, the aging bound, exact recall counts, transfers keeping number and place.
    fc.assert(
      fc.property(worldArb(), commandsArb(), (world, commands) => {
        new Simulation(world).run(commands);
      }),
      { numRuns: 2 * RUNS },
    );
  });

  it('never repeats a number within a (service, business day) and restarts at 001 each day', () => {
    fc.assert(
      fc.property(worldArb(), commandsArb(), (world, commands) => {
        const sim = new Simulation(world);
        sim.run(commands);
        const byDay = new Map<string, string[]>();
        for (const t of sim.issued) {
          const key = `${t.issuedServiceId} ${t.businessDay}`;
          byDay.set(key, [...(byDay.get(key) ?? []), t.number]);
        }
        for (const numbers of byDay.values()) {
          expect(new Set(numbers).size).toBe(numbers.length);
          expect(numbers[0]?.slice(1)).toBe('001');
        }
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('never lets a counter make more than K priority calls in a row while a normal ticket waits', () => {
    // Without aging and manual calls, nothing may exceed the cap: the plain statement holds.
    fc.assert(
      fc.property(
        worldArb({ agingThresholdSec: 1e9 }),
        commandsArb({ manualCalls: false }),
        (world, commands) => {
          const sim = new Simulation(world);
          sim.run(commands);
          sim.drain();
          for (const counter of world.counters) {
            let run = 0;
            for (const call of sim.calls.filter((c) => c.counterId === counter.id)) {
              run = call.priority && call.normalWaiting ? run + 1 : 0;
              expect(run).toBeLessThanOrEqual(world.policy.priorityCap);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('calls every waiting ticket within a bounded number of calls', () => {
    // While tickets keep arriving, the simulation checks the aging bound at every call: a ticket
    // that waited past the threshold is passed over at most |W| times (see checkAgingBound).
    // Once arrivals stop, drain() checks that W waiting tickets take exactly W calls and at most
    // W + 1 rounds of "finish, call next" at every counter.
    fc.assert(
      fc.property(worldArb(), commandsArb(), (world, commands) => {
        const sim = new Simulation(world);
        sim.run(commands);
        const waiting = sim.model.waiting().map((t) => t.id);
        expect(sim.drain()).toBe(waiting.length);
        expect(sim.model.waiting()).toEqual([]);
        for (const id of waiting) expect(sim.model.ticket(id).status).toBe('done');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('recalls', () => {
  it('allow exactly maxRecalls recalls; the next makes a no-show and frees the counter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 8, maxLength: 8 }),
        (maxRecalls, gaps) => {
          let now = Date.UTC(2024, 5, 3, 9);
          const q = new QueueModel({
            timeZone: 'Europe/Paris',
            services: [{ id: 's', prefix: 'A', open: true }],
            counters: [{ id: 'c', status: 'open', profile: [{ serviceId: 's', weight: 1 }] }],
            policy: { priorityCap: 2, agingThresholdSec: 1800, maxRecalls },
          });
          const t = q.issue('s', false, now);
          q.callNext('c', now);
          let recalls = 0;
          for (const gap of gaps) {
            now += gap;
            const { becameNoShow } = q.recall(t.id, now);
            if (becameNoShow) break;
            recalls++;
          }
          expect(recalls).toBe(maxRecalls);
          expect(q.ticket(t.id)).toMatchObject({
            status: 'no_show',
            recalls: maxRecalls,
            finishedAt: now,
          });
          expect(q.heldBy('c')).toBeNull();
          expect(() => q.recall(t.id, now)).toThrow(TransitionError);
        },
      ),
      { numRuns: 100 },
    );
  });
});
