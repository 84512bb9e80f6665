// Catch-up after an outage (`npm run bench -- --only catch-up`): a linked hub holds 5,000 events
// the central server has not seen; the clock runs from the first push to the server having
// acknowledged the last event. The central server is a real process (`guichet server` on SQLite,
// fsync on); the hub and its SyncClient run in this process, on a fresh demo folder, with the
// poke socket off so only the pushes (and one pull) are on the wire.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runCommand } from '../hub/hub-context';
import { openHub } from '../hub/hub';
import { databaseFile, REPO_ROOT } from '../hub/run-hub';
import { LinkStore, hubEpoch } from '../hub/sync/link-settings';
import { SyncClient } from '../hub/sync/sync-client';
import { initDemoDataDir } from '../tests/crash/hub-process';
import { SERVICES, freshDir } from './fixtures';
import { nowMs, type BenchResult } from './stats';

export const CATCH_UP_DEFAULTS = { events: 5_000, runs: 3 };

const BIN = path.join(REPO_ROOT, 'bin', 'guichet.mjs');

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`guichet ${args[0]} failed: ${err}`)),
    );
  });
}

async function startServerProcess(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [BIN, 'server', '--data', dir, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${String(code)})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Guichet server listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, child });
    });
  });
}

async function oneRun(events: number): Promise<{ ms: number; bytes: number; requests: number }> {
  const serverDir = freshDir('catch-up-server');
  const hubDir = freshDir('catch-up-hub');
  let server: ChildProcess | undefined;
  const hub = await (async () => {
    await initDemoDataDir(hubDir);
    return openHub(databaseFile(hubDir));
  })();
  try {
    await runCli(['server', 'init', '--data', serverDir, '--json']);
    const branch = JSON.parse(
      await runCli(['server', 'branch', 'add', '--data', serverDir, '--name', 'Bench', '--json']),
    ) as { token: string };
    const started = await startServerProcess(serverDir);
    server = started.child;
    hub.branch.patch({ capacity: 100_000 }, hub.system);
    new LinkStore(hub.ctx.db).save(started.url, branch.token, Date.now());
    const client = new SyncClient({ hub, pokes: false, intervalMs: 3_600_000 });
    client.start();
    await client.syncNow(); // linked and caught up before the outage

    // The outage: `events` tickets issued while nothing reached the server.
    runCommand(hub.ctx, () => {
      for (let i = 0; i < events; i++)
        hub.tickets.issue({ serviceId: SERVICES[i % SERVICES.length]! }, hub.system);
    });
    const last = hub.ctx.outbox.lastOwnSeq();
    const epoch = hubEpoch(hub.ctx.db);
    const before = { ...client.wire };
    const t0 = nowMs();
    await client.syncNow();
    const ms = nowMs() - t0;
    const acked = client.links.ackedSeq(hub.ctx.outbox.deviceId, epoch);
    if (acked !== last) throw new Error(`catch-up ended at ack ${acked}, expected ${last}`);
    await client.stop();
    return {
      ms,
      bytes: client.wire.bytesSent - before.bytesSent,
      requests: client.wire.requests - before.requests,
    };
  } finally {
    hub.close();
    server?.kill('SIGTERM');
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(hubDir, { recursive: true, force: true });
  }
}

export async function benchCatchUp(options: {
  events: number;
  runs: number;
}): Promise<BenchResult[]> {
  const runs = [];
  for (let i = 0; i < options.runs; i++) runs.push(await oneRun(options.events));
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const worst = times[times.length - 1]!;
  const median = times[Math.floor(times.length / 2)]!;
  const bytesPerEvent = runs[0]!.bytes / options.events;
  return [
    {
      id: 'catch-up',
      title: `catch-up of ${options.events.toLocaleString('en')} events after an outage`,
      latency: {
        n: runs.length,
        p50: median,
        p99: worst,
        min: times[0]!,
        max: worst,
        mean: times.reduce((s, x) => s + x, 0) / times.length,
      },
      method:
        'fresh hub (in-process SyncClient, pokes off) linked to a `guichet server` process on SQLite; ' +
        `${options.events} tickets issued in one transaction while nothing synced; clock from syncNow() ` +
        'to the round ending with the server acknowledging the last deviceSeq (pushes of ≤ 500 events / 256 KB, then one pull); one sample per run',
      extra: {
        'bytes/event (push bodies)': bytesPerEvent.toFixed(0),
        'requests per catch-up': runs[0]!.requests,
      },
      target: {
        rule: 'catch-up ≤ 2000 ms',
        actual: `worst ${worst.toFixed(0)} ms`,
        met: worst <= 2000,
      },
    },
  ];
}
