// The fault suite's CI part: a fixed set of seeds of the hub↔server scenario (scenario.ts), each a
// few seconds of real processes. More seeds: `npm run test:faults -- --seeds 500`.
import { afterAll, describe, expect, it } from 'vitest';
import { killAllChildren } from './processes';
import { runScenario } from './scenario';

/** Chosen to cover every fault kind, both kills, partitions and clock jumps between them. */
const CI_SEEDS = [2, 3, 5];

afterAll(killAllChildren);

describe('hub↔server link under faults', () => {
  for (const seed of CI_SEEDS) {
    it(`seed ${seed}: nothing lost, nothing doubled, converged within 5 s of the heal`, async () => {
      const result = await runScenario({ seed });
      expect(result.problems, result.events.join('\n')).toEqual([]);
      expect(result.issued).toBeGreaterThan(0);
    }, 60_000);
  }
});
