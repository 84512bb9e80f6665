// Ingest bench of the central server: 200 simulated branches pushing to it over HTTP, on SQLite
// and on PostgreSQL (a private throwaway instance with fsync ON, so commits are real).
//
//   npx tsx bench/server-ingest.ts [--stores sqlite,postgres] [--branches 200] [--seconds 10]
//
// Two phases per store, each reporting events/s and push latency (median, p99):
// - burst: every branch pushes a backlog at once (5 batches of 50 events, one after the other),
//   as after a network outage: the most the server can take;
// - steady: an open-loop load of --rate events/s (default 2,000: each branch pushes 10 events
//   every second at its own phase), the target: ≥ 2,000 events/s with p99 ≤ 100 ms.
// The server runs in a child process so client and server do not share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createBranch } from '../server/branches/create-branch';
import { startServer } from '../server/run-server';
import { openStore } from '../server/store/open-store';
import type { StoreKind } from '../server/store/ports';
import { freshDatabase } from '../server/testing/postgres-harness';
import { DeviceLog, ticket, ticketPayload } from '../server/testing/fixtures';
import { percentile } from './stats';

const { values: args } = parseArgs({
  options: {
    stores: { type: 'string', default: 'sqlite,postgres' },
    branches: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    serve: { type: 'boolean', default: false },
    data: { type: 'string' },
    database: { type: 'string' },
  },
});

interface Stats {
  events: number;
  seconds: number;
  latencies: number[];
  failures: number;
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length ? percentile(sorted, q * 100) : NaN;

function describe(label: string, s: Stats): string {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return `${label.padEnd(22)} ${String(Math.round(s.events / s.seconds)).padStart(7)} events/s  push median ${quantile(sorted, 0.5).toFixed(1)} ms  p99 ${quantile(sorted, 0.99).toFixed(1)} ms  (${sorted.length} pushes, ${s.events} events, ${s.failures} failed)`;
}

class SimulatedBranch {
  readonly log: DeviceLog;
  private sent = 0;
  constructor(
    readonly index: number,
    readonly token: string,
  ) {
    this.log = new DeviceLog(`hub-${index}`);
  }

  /** The next `count` ticket events, with full snapshots like the hub's outbox writes. */
  batch(count: number) {
    const events = [];
    for (let i = 0; i < count; i++) {
      this.sent += 1;
      const t = ticket({
        id: `b${this.index}-t${this.sent}`,
        number: `A${String(this.sent % 1000).padStart(3, '0')}`,
      });
      events.push(this.log.next('ticket.issued', ticketPayload(t), 10));
    }
    return { deviceId: this.log.deviceId, epoch: this.log.epoch, events };
  }
}

async function pushTimed(url: string, token: string, body: unknown, stats: Stats, count: number) {
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  stats.latencies.push(performance.now() - started);
  if (response.status === 200) stats.events += count;
  else stats.failures += 1;
}

async function burst(url: string, branches: SimulatedBranch[]): Promise<Stats> {
  const stats: Stats = { events: 0, seconds: 0, latencies: [], failures: 0 };
  const started = performance.now();
  await Promise.all(
    branches.map(async (b) => {
      for (let i = 0; i < 5; i++) await pushTimed(url, b.token, b.batch(50), stats, 50);
    }),
  );
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

async function steady(
  url: string,
  branches: SimulatedBranch[],
  seconds: number,
  rate: number,
): Promise<Stats> {
  const stats: Stats = { events: 0, seconds: 0, latencies: [], failures: 0 };
  const perPush = Math.max(1, Math.round(rate / branches.length));
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  await Promise.all(
    branches.map(async (b) => {
      // Each branch pushes once a second at its own phase: an open loop, so a slow server shows
      // up as latency instead of silently lowering the offered load.
      await sleep((b.index / branches.length) * 1000);
      for (let tick = 0; tick < seconds; tick++) {
        if (tick > 0)
          await sleep(
            started + tick * 1000 + (b.index / branches.length) * 1000 - performance.now(),
          );
        inFlight.push(pushTimed(url, b.token, b.batch(perPush), stats, perPush));
      }
    }),
  );
  await Promise.all(inFlight);
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function startChild(
  dataDir: string,
  database: string | undefined,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'server-ingest.ts'),
      '--serve',
      '--data',
      dataDir,
      ...(database ? ['--database', database] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines)
    if (line.startsWith('LISTENING ')) return { url: line.slice(10), child };
  throw new Error('the server process exited before listening');
}

async function benchStore(kind: StoreKind, branchCount: number, seconds: number, rate: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guichet-bench-server-'));
  const database =
    kind === 'postgres' ? await freshDatabase({ durable: true, private: true }) : null;
  try {
    const setup = await openStore({ dataDir, databaseUrl: database?.url });
    const branches: SimulatedBranch[] = [];
    for (let i = 0; i < branchCount; i++) {
      const { token } = await createBranch(setup, { name: `Bench ${i}` });
      branches.push(new SimulatedBranch(i, token));
    }
    await setup.close();
    const { url, child } = await startChild(dataDir, database?.url);
    try {
      // Warm-up: connections, JIT, prepared plans.
      await Promise.all(
        branches.map((b) =>
          pushTimed(
            url,
            b.token,
            b.batch(1),
            { events: 0, seconds: 0, latencies: [], failures: 0 },
            1,
          ),
        ),
      );
      console.log(describe(`${kind} burst`, await burst(url, branches)));
      console.log(describe(`${kind} steady ${rate}/s`, await steady(url, branches, seconds, rate)));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await database?.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const kinds = String(args.stores).split(',') as StoreKind[];
  const branchCount = Number(args.branches);
  console.log(`server ingest: ${branchCount} branches; ticket.issued events with full snapshots`);
  for (const kind of kinds)
    await benchStore(kind, branchCount, Number(args.seconds), Number(args.rate));
  // The private PostgreSQL is stopped by its watchdog once this process exits.
  process.exit(0);
}

// ---- child: the server under test ----
async function serve(): Promise<void> {
  const running = await startServer({
    dataDir: args.data as string,
    databaseUrl: args.database,
    host: '127.0.0.1',
    port: 0,
    poolSize: 20,
    logger: false,
  });
  console.log(`LISTENING ${running.url}`);
  process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

if (args.serve) await serve();
else await main();
