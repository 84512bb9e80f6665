// `npm run test:faults -- [--seeds N] [--first S] [--seed S] [--issues N] [--keep] [--cli-hub]
// [--outage MS] [--verbose]`: fault runs of the hub↔server link, one line per seed, then "N passed, N failed".
// Exit code 1 when any failed. --cli-hub runs the production `guichet hub` (production backoff).
import { runScenario, type RunResult } from './scenario';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const single = flag('--seed');
const count = Number(flag('--seeds') ?? '20');
const first = Number(flag('--first') ?? '1');
const issues = Number(flag('--issues') ?? '30');
const keepDirs = process.argv.includes('--keep');
const outageMs = Number(flag('--outage') ?? '0');
const hub = process.argv.includes('--cli-hub') ? 'cli' : 'entry';
const seeds =
  single !== undefined ? [Number(single)] : Array.from({ length: count }, (_, i) => first + i);

const line = (r: RunResult) => {
  const faults = Object.entries(r.faults)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const verdict = r.problems.length === 0 ? 'ok  ' : 'FAIL';
  return `${verdict} seed ${r.seed}: ${r.ms} ms, ${r.issued} issued, ${r.calls} calls, converged ${String(r.convergedMs)} ms; ${faults}`;
};

let passed = 0;
let failed = 0;
for (const seed of seeds) {
  const result = await runScenario({ seed, issues, keepDirs, hub, outageMs });
  console.log(line(result));
  if (result.problems.length === 0) passed++;
  else {
    failed++;
    for (const p of result.problems.slice(0, 10)) console.log(`    - ${p}`);
    for (const e of result.events) console.log(`      ${e}`);
  }
  if (process.argv.includes('--verbose') && result.problems.length === 0) {
    for (const e of result.events) console.log(`      ${e}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
