// The fault suite's CI part for the kiosk agent (agent-scenario.ts): fixed seeds, each a few
// seconds of real agent, hub and server processes. More seeds:
// `npm run test:faults -- --scenario agent --seeds 200` (add --no-central for agent↔hub only).
import { afterAll, describe, expect, it } from 'vitest';
import { runAgentScenario } from './agent-scenario';
import { killAllChildren } from './processes';

/**
 * Seed 1, agent → hub → central: every request fault on both links ('delay-ack' past the forward
 * timeout included), partitions on both, SIGKILL of the agent, the hub and the server while the
 * agent pushes, the agent's clock +321 s and the hub's −549 s. Seed 2, agent ↔ hub only and no
 * kill (cheap): a denser mix of request faults (rate 0.37) and the agent's clock −463 s. What each
 * seed draws: `drawAgentRun`.
 */
const CI_RUNS = [
  { seed: 1, central: true },
  { seed: 2, central: false },
] as const;

afterAll(killAllChildren);

describe('kiosk agent → hub (→ central) under faults', () => {
  for (const run of CI_RUNS) {
    it(`seed ${run.seed}${run.central ? ' with the central link' : ''}: every ticket the kiosk got is on the hub once, logs agree within 5 s of the heal`, async () => {
      const result = await runAgentScenario(run);
      expect(result.problems, result.events.join('\n')).toEqual([]);
      expect(result.issued).toBeGreaterThan(0);
    }, 150_000);
  }
});
