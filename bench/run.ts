// `npm run bench [-- --only issuance,call-next,stream,printing,lobby,catch-up] [--json] [--out FILE] [--quick] [--pin]`
// (the central server's ingest bench is `npm run bench:server`: it needs PostgreSQL).
// Runs the benchmarks one after another on fresh temp hubs and prints the machine and a table;
// --json prints the report as JSON on stdout instead (progress goes to stderr), --out writes it too.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchCallNext, CALL_NEXT_DEFAULTS } from './call-next';
import { benchCatchUp, CATCH_UP_DEFAULTS } from './catch-up';
import { benchLobby, LOBBY_DEFAULTS } from './lobby';
import { benchIssuance, ISSUANCE_DEFAULTS } from './issuance';
import { benchPrinting, PRINTING_DEFAULTS } from './printing';
import { benchStream, STREAM_DEFAULTS } from './stream';
import { enablePinning } from './pinning';
import { formatMachine, formatTable, machineInfo, type BenchResult } from './stats';
import { killAllHubProcesses } from '../tests/crash/hub-process';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    /** Hub on the last CPU, this client on the others (bench/pinning.ts). */
    pin: { type: 'boolean', default: false },
  },
});

const quick = values.quick;
const BENCHES: Record<string, () => Promise<BenchResult[]>> = {
  issuance: () =>
    benchIssuance(
      quick
        ? { n: 200, warmup: 20, inFlight: 8, settleSeconds: 1, block: 50, warmupPerBlock: 5 }
        : ISSUANCE_DEFAULTS,
    ),
  'call-next': () =>
    benchCallNext(
      quick ? { waiting: 10_000, n: 100, warmup: 10, settleSeconds: 1 } : CALL_NEXT_DEFAULTS,
    ),
  stream: () => benchStream(quick ? { clients: 50, n: 20, warmup: 5 } : STREAM_DEFAULTS),
  printing: () => benchPrinting(quick ? { n: 30, warmup: 5, scans: 10 } : PRINTING_DEFAULTS),
  lobby: () => benchLobby(quick ? { calls: 30 } : LOBBY_DEFAULTS),
  'catch-up': () => benchCatchUp(quick ? { events: 500, runs: 1 } : CATCH_UP_DEFAULTS),
};

const selected = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
for (const name of selected) {
  if (!BENCHES[name]) {
    console.error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    process.exit(2);
  }
}

const progress = (line: string) => (values.json ? console.error(line) : console.log(line));
process.once('SIGINT', () => void killAllHubProcesses().finally(() => process.exit(130)));

if (values.pin && !enablePinning()) {
  console.error('--pin needs Linux taskset and at least 2 CPUs');
  process.exit(2);
}
const machine = { ...machineInfo(), pinned: values.pin };
progress(formatMachine(machine));
const results: BenchResult[] = [];
try {
  for (const name of selected) {
    progress(`running ${name}${quick ? ' (quick)' : ''}…`);
    results.push(...(await BENCHES[name]!()));
  }
} finally {
  await killAllHubProcesses();
}
machine.loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

const report = { machine, quick, results };
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`\n${formatMachine(machine)}\n\n${formatTable(results)}\n`);
  for (const r of results) console.log(`- ${r.title}: ${r.method}`);
  const targets = results.filter((r) => r.target);
  const missed = targets.filter((r) => !r.target!.met);
  console.log(`\ntargets: ${targets.length - missed.length} met, ${missed.length} not met`);
}
