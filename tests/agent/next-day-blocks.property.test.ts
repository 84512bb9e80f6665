// The property behind next-day blocks: over any sequence of day changes, clock drift of the agent
// (up to ±10 minutes off what it last measured), tickets at the hub and at the agent, outages,
// restarts and lost disks, no two visitors ever hold the same number of one (service, business
// day), and every ticket the agent issued offline reaches the hub with the day and number it
// printed. A real hub and agent (in this process, real SQLite files) per run.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../../hub/agent/run-agent';
import { createWorld, duplicates, MINUTE, paris, type World } from './next-day-blocks-world';

const SERVICES = ['etat-civil', 'passeports'] as const;
type Service = (typeof SERVICES)[number];

type Command =
  | { kind: 'advance'; ms: number }
  | { kind: 'drift'; ms: number }
  | { kind: 'cut' }
  | { kind: 'heal' }
  | { kind: 'sync' }
  | { kind: 'hub'; service: Service; count: number }
  | { kind: 'agent'; service: Service; count: number }
  | { kind: 'restart' }
  | { kind: 'loseDisk' };

const service = fc.constantFrom(...SERVICES);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 1, max: 40 }).map((m) => m * MINUTE),
        fc.integer({ min: 1, max: 16 }).map((h) => h * 60 * MINUTE),
      )
      .map((ms): Command => ({ kind: 'advance', ms })),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: -10, max: 10 })
      .map((m): Command => ({ kind: 'drift', ms: m * MINUTE })),
  },
  { weight: 2, arbitrary: fc.constant<Command>({ kind: 'cut' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ kind: 'heal' }) },
  { weight: 2, arbitrary: fc.constant<Command>({ kind: 'sync' }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(service, fc.integer({ min: 1, max: 3 }))
      .map(([s, count]): Command => ({ kind: 'hub', service: s, count })),
  },
  {
    weight: 8,
    arbitrary: fc
      .tuple(service, fc.integer({ min: 1, max: 4 }))
      .map(([s, count]): Command => ({ kind: 'agent', service: s, count })),
  },
  { weight: 1, arbitrary: fc.constant<Command>({ kind: 'restart' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ kind: 'loseDisk' }) },
);

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

interface Given {
  service: string;
  day: string;
  number: string;
  id: string;
  offline: boolean;
  /** The agent (by generation) that issued it offline; -1 for the hub's own numbers. */
  agent: number;
}

async function run(commands: Command[]): Promise<void> {
  const w = (world = await createWorld(paris('2026-11-23T23:30'), -3 * MINUTE));
  let drift = -3 * MINUTE;
  let generation = 0;
  const lost = new Set<number>();
  let agent: RunningAgent = await w.agent();
  let dir = w.dirOf(agent);
  await agent.sync.syncNow();
  // The interesting part is offline: the hub starts out of reach, and comes back when told.
  w.relay.cut();
  const given: Given[] = [];

  for (const c of commands) {
    switch (c.kind) {
      case 'advance':
        w.tick(c.ms);
        break;
      case 'drift':
        drift = c.ms;
        w.agentClock.set(w.hubClock.now() + drift);
        break;
      case 'cut':
        w.relay.cut();
        break;
      case 'heal':
        w.relay.heal();
        break;
      case 'sync':
        await agent.sync.syncNow();
        break;
      case 'hub':
      case 'agent':
        for (let i = 0; i < c.count; i += 1) {
          const answer =
            c.kind === 'hub' ? await w.atHub(c.service) : await w.atAgent(agent, c.service);
          if (answer.status === 201)
            given.push({
              service: c.service,
              day: answer.businessDay,
              number: answer.number,
              id: answer.id,
              offline: answer.offline,
              agent: answer.offline ? generation : -1,
            });
          else expect([503, 409]).toContain(answer.status); // no numbers offline, or branch full
        }
        break;
      case 'restart':
        await w.stopAgent(agent);
        agent = await w.agent(dir);
        break;
      case 'loseDisk':
        await w.stopAgent(agent);
        lost.add(generation);
        generation += 1;
        agent = await w.agent();
        dir = w.dirOf(agent);
        break;
    }
  }

  // No two visitors hold one number of a (service, day), whoever numbered them.
  expect(duplicates(given)).toEqual([]);
  w.relay.heal();
  await agent.sync.syncNow();
  expect(w.hubRejected()).toBe(0);
  const onHub = new Map(w.hubTickets().map((t) => [t.id, t]));
  for (const g of given) {
    const placed = onHub.get(g.id);
    // Only a lost disk loses tickets it had not pushed yet.
    if (!placed && lost.has(g.agent)) continue;
    expect(placed, `${g.service} ${g.day} ${g.number}`).toMatchObject({
      service: g.service,
      day: g.day,
      number: g.number,
    });
  }
  expect(duplicates([...onHub.values()])).toEqual([]);
}

describe('next-day blocks (property)', () => {
  it('numbers stay unique per (service, day) across hub and agent, whatever the days, clocks and outages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 40 }), async (commands) => {
        try {
          await run(commands);
        } finally {
          await world?.dispose();
          world = null;
        }
      }),
      { numRuns: 15 },
    );
  }, 240_000);
});
