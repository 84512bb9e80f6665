// The crash test as a long run: `npm run test:crash -- --rounds 1000 [--seed 42] [--kiosks 4]
// [--keep]`. Prints one line per round and ends with "N passed, N failed" (exit 1 on a failure).
import { parseArgs } from 'node:util';
import { CrashBench, type RoundResult } from './crash-harness';
import { killAllHubProcesses } from './hub-process';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    rounds: { type: 'string', default: '20' },
    seed: { type: 'string' },
    kiosks: { type: 'string', default: '4' },
    'max-kill-ms': { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name}: expected a positive integer, got ${String(raw)}`);
    process.exit(2);
  }
  return n;
}

const rounds = positiveInt('rounds', values.rounds);
const seed =
  values.seed === undefined
    ? Math.floor(Math.random() * 2 ** 31)
    : positiveInt('seed', values.seed);
const kiosks = positiveInt('kiosks', values.kiosks);
const maxKillMs = positiveInt('max-kill-ms', values['max-kill-ms']);

const stopOnSignal = (signal: NodeJS.Signals) => {
  console.error(`\n${signal}: killing hub processes`);
  void killAllHubProcesses().finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

function line(r: RoundResult): string {
  const status = r.problems.length === 0 ? 'ok' : `FAILED (${r.problems.length} problems)`;
  return (
    `round ${String(r.round).padStart(String(rounds).length)}/${rounds}  kill@${String(r.killAfterMs).padStart(3)}ms  ` +
    `${String(r.acknowledged).padStart(4)} acked  ${r.inFlight} in flight (${r.inFlightCommitted} had committed)  ` +
    `${r.calls} called/${r.finishes} finished  ${r.ms} ms  ${status}`
  );
}

console.log(
  `crash test: ${rounds} rounds, seed ${seed}, ${kiosks} kiosks, kill within ${maxKillMs} ms`,
);
const started = performance.now();
let bench: CrashBench | undefined;
let passed = 0;
let failed = 0;
try {
  bench = await CrashBench.create({ seed, kiosks, maxKillMs });
  console.log(`data folder: ${bench.dir}`);
  const summary = await bench.run(rounds, (r) => {
    console.log(line(r));
    for (const p of r.problems.slice(0, 20)) console.log(`    ${p}`);
  });
  passed = summary.passed;
  failed = summary.failed;
  const final = await bench.dispose(values.keep || failed > 0);
  if (final.length > 0) {
    console.log(`after SIGTERM:\n${final.map((p) => `    ${p}`).join('\n')}`);
    failed++;
  }
  if (failed > 0) console.log(`data folder kept for inspection: ${bench.dir} (seed ${seed})`);
} catch (error) {
  console.error(error);
  failed++;
} finally {
  await killAllHubProcesses();
}
const totals = `${((performance.now() - started) / 1000).toFixed(1)} s`;
console.log(`${passed} passed, ${failed} failed (seed ${seed}, ${totals})`);
process.exit(failed > 0 ? 1 : 0);
