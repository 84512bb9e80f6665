// The counter time a service gets, as SQLite sums it for every wait estimate, against the rule it
// stands for (core/wait-estimate.ts effectiveCounters over the counters as listed), on random
// branches in a real SQLite file.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { effectiveCounters } from '../../../core/wait-estimate';
import type { CounterStatus } from '../../../core/model';
import { openDemoHubOnDisk, type DemoHubOnDisk } from '../../testing/demo-hub-on-disk';

const SERVICES = ['etat-civil', 'passeports', 'titres-sejour', 'visas'];

const counterArb = fc.record({
  status: fc.constantFrom<CounterStatus>('open', 'paused', 'closed'),
  // Each service served or not, with a weight of 1–20.
  weights: fc.tuple(...SERVICES.map(() => fc.option(fc.integer({ min: 1, max: 20 })))),
});

let opened: DemoHubOnDisk | null = null;
afterEach(() => {
  opened?.close();
  opened = null;
});

describe('CounterStore.counterTime', () => {
  it('gives each service what effectiveCounters gives it over the listed counters', () => {
    fc.assert(
      fc.property(fc.array(counterArb, { minLength: 0, maxLength: 7 }), (counters) => {
        opened?.close();
        opened = openDemoHubOnDisk('counter-time', Date.parse('2026-11-23T08:00:00Z'));
        const { hub } = opened;
        // The demo's four counters take the first configurations; the rest are new counters;
        // demo counters without one are closed.
        counters.forEach((config, i) => {
          const profile = SERVICES.flatMap((serviceId, s) => {
            const weight = config.weights[s];
            return weight == null ? [] : [{ serviceId, weight }];
          });
          const id = `counter-${i + 1}`;
          if (hub.counters.find(id)) hub.counters.patch(id, { profile }, hub.system);
          else hub.counters.create({ id, name: `Guichet ${i + 1}`, profile }, hub.system);
          hub.counters.setStatus(id, config.status, hub.system);
        });
        for (let i = counters.length; i < 4; i++)
          hub.counters.setStatus(`counter-${i + 1}`, 'closed', hub.system);

        const listed = hub.counters.list();
        for (const serviceId of SERVICES) {
          const expected = effectiveCounters(serviceId, listed);
          expect(hub.counters.counterTime(serviceId)).toBeCloseTo(expected, 12);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is 0 for a service no open counter serves, and for an unknown service', () => {
    opened = openDemoHubOnDisk('counter-time', Date.parse('2026-11-23T08:00:00Z'));
    const { hub } = opened;
    expect(hub.counters.counterTime('visas')).toBeGreaterThan(0);
    for (const counter of hub.counters.list())
      if (counter.profile.some((entry) => entry.serviceId === 'visas'))
        hub.counters.setStatus(counter.id, 'paused', hub.system);
    expect(hub.counters.counterTime('visas')).toBe(0);
    expect(hub.counters.counterTime('no-such-service')).toBe(0);
  });
});
