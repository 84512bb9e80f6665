// CI's crash test: 20 SIGKILLs of a real hub process under load, each followed by a check of the
// folder on disk and of a restarted hub. Reproduce a failure with the printed seed:
//   npm run test:crash -- --rounds 20 --seed <seed>
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashBench, type RoundResult } from './crash-harness';
import { killAllHubProcesses } from './hub-process';

const ROUNDS = 20;
const SEED = Number(process.env.GUICHET_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`hub crash safety (seed ${SEED})`, () => {
  let bench: CrashBench | undefined;

  beforeAll(async () => {
    bench = await CrashBench.create({ seed: SEED });
  });

  afterAll(async () => {
    try {
      const problems = (await bench?.dispose()) ?? [];
      expect(problems).toEqual([]);
    } finally {
      await killAllHubProcesses();
    }
  });

  it(`keeps every acknowledged ticket through ${ROUNDS} SIGKILLs under load`, async () => {
    const failures: RoundResult[] = [];
    const summary = await bench!.run(ROUNDS, (r) => {
      if (r.problems.length > 0) failures.push(r);
    });
    const acknowledged = summary.rounds.reduce((n, r) => n + r.acknowledged, 0);
    const inFlight = summary.rounds.reduce((n, r) => n + r.inFlight, 0);
    // The load must have done something, or the test proves nothing.
    expect(acknowledged).toBeGreaterThan(ROUNDS);
    expect(inFlight).toBeGreaterThan(0);
    expect(
      failures.map((r) => ({
        round: r.round,
        killAfterMs: r.killAfterMs,
        problems: r.problems.slice(0, 10),
      })),
      `seed ${SEED}: reproduce with npm run test:crash -- --rounds ${ROUNDS} --seed ${SEED}`,
    ).toEqual([]);
    expect(summary.failed).toBe(0);
  }, 120_000);
});
