// Ticket issuance over HTTP (sequential and 8 in flight) against the real hub process, beside a
// raw better-sqlite3 durable insert in the same folder type, measured in the same run, in turns.
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { databaseFile } from '../hub/run-hub';
import { freshDir, request, SERVICES, startBenchHub } from './fixtures';
import { startFloorServer } from './floor-process';
import { httpJson } from './http-client';
import {
  fmtMs,
  settle,
  summarize,
  timeConcurrent,
  timeInterleaved,
  timeSequential,
  type BenchResult,
} from './stats';

export interface IssuanceOptions {
  n: number;
  warmup: number;
  inFlight: number;
  /** Untimed seconds of the same work before each steady series (stats.ts `settle`). */
  settleSeconds: number;
  /** The steady series are timed in turns of this many calls each (stats.ts `timeInterleaved`). */
  block: number;
  /** Untimed calls at the start of each turn. */
  warmupPerBlock: number;
}

export const ISSUANCE_DEFAULTS: IssuanceOptions = {
  n: 2000,
  warmup: 200,
  inFlight: 8,
  settleSeconds: 20,
  block: 100,
  warmupPerBlock: 20,
};

/**
 * The floor for a durable commit on this disk: WAL + synchronous=FULL (as hub/db/open-database.ts
 * sets), one INSERT per BEGIN IMMEDIATE transaction, a row shaped and sized like a ticket row.
 * Synchronous, in the bench process, but timed by the same loops as the HTTP series.
 */
function openRawDurableInsert(): { insert: (i: number) => void; close: () => void } {
  const dir = freshDir('raw');
  const db = new Database(path.join(dir, 'raw.db'));
  const close = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (db.pragma('synchronous', { simple: true }) !== 2)
      throw new Error('synchronous=FULL refused');
    db.exec(`CREATE TABLE tickets (
      id TEXT PRIMARY KEY, number TEXT NOT NULL, seq INTEGER NOT NULL, business_day TEXT NOT NULL,
      issued_service_id TEXT NOT NULL, service_id TEXT NOT NULL, priority INTEGER NOT NULL, lang TEXT NOT NULL,
      source TEXT NOT NULL, status TEXT NOT NULL, issued_at INTEGER NOT NULL, queued_at INTEGER NOT NULL,
      recalls INTEGER NOT NULL, transfers INTEGER NOT NULL) STRICT`);
    const statement = db.prepare(
      `INSERT INTO tickets VALUES (@id, @number, @seq, '2025-01-01', @svc, @svc, 0, 'fr', 'walk_in', 'waiting', @at, @at, 0, 0)`,
    );
    const once = db.transaction((i: number) => {
      const at = Date.now();
      statement.run({
        id: uuidv7(),
        number: `A${String(i + 1).padStart(3, '0')}`,
        seq: i + 1,
        svc: SERVICES[i % 4],
        at,
      });
    });
    return { insert: (i) => once.immediate(i), close };
  } catch (error) {
    close();
    throw error;
  }
}

export async function benchIssuance(
  options: IssuanceOptions = ISSUANCE_DEFAULTS,
): Promise<BenchResult[]> {
  const { n, warmup, inFlight, settleSeconds } = options;
  // Undone in reverse order, however far the setup got.
  const cleanups: (() => unknown)[] = [];
  try {
    const raw = openRawDurableInsert();
    cleanups.push(raw.close);
    // What any server needs for one durable ticket over HTTP on this machine: a bare node:http
    // process doing one durable INSERT per POST, timed by the same client as the hub.
    const floorDir = freshDir('floor');
    cleanups.push(() => rmSync(floorDir, { recursive: true, force: true }));
    const floorServer = await startFloorServer(floorDir);
    cleanups.push(() => floorServer.stop());
    const hub = await startBenchHub('issue');
    cleanups.push(() => hub.dispose());
    let f = 0;
    const floorPost = async () => {
      const answer = await httpJson(floorServer.url, 'POST', '/tickets', {
        token: 'none',
        body: { serviceId: SERVICES[f++ % SERVICES.length] },
      });
      if (answer.status !== 201) throw new Error(`floor server answered ${answer.status}`);
    };
    let k = 0;
    const issue = () =>
      request(hub.url, 'POST', '/api/v1/tickets', {
        token: hub.tokens.kiosk,
        key: `bench-${k}`,
        body: { serviceId: SERVICES[k++ % SERVICES.length] },
        expect: 201,
      });
    // The HTTP floor of this machine and client: a route that does nothing, same hub, same client.
    const health = () =>
      request(hub.url, 'GET', '/api/v1/health', { token: hub.tokens.kiosk, expect: 200 });
    // A fresh hub's first requests, kept apart: V8 is still compiling the request path.
    const cold = summarize(await timeSequential(n, warmup, issue));
    // Each steady series settles on its own, then all four are timed in turns of a block each,
    // so the baseline and the hub see the same minutes of this machine (`timeInterleaved`).
    const steady = [raw.insert, floorPost, issue, health];
    const settled: number[] = [];
    for (const call of steady) settled.push(await settle(settleSeconds, call));
    const [rawSamples, floorSamples, issueSamples, healthSamples] = await timeInterleaved(
      steady.map((call, i) => ({ call, start: settled[i]! })),
      { n, block: options.block, warmupPerBlock: options.warmupPerBlock },
    );
    const concurrent = await timeConcurrent(n, warmup, inFlight, issue);
    const rawSummary = summarize(rawSamples!);
    const floor = summarize(floorSamples!);
    const sequential = summarize(issueSamples!);
    const healthSummary = summarize(healthSamples!);
    // The hub's WAL after every issue above: it must start over under a steady flow instead of
    // growing by each commit's pages (WAL_CHECKPOINT_PAGES in hub/db/open-database.ts).
    const walMegabytes = statSync(`${databaseFile(hub.dir)}-wal`).size / 1e6;
    const sequentialPerSec = 1000 / sequential.mean;
    const bound = 2 * rawSummary.p99 + 1;
    const steadily = `after ${settleSeconds} s of the same work untimed, then ${n} timed in turns of ${options.block} (each turn after ${options.warmupPerBlock} untimed) with the other three steady series of this benchmark`;
    return [
      {
        id: 'raw-insert',
        title: 'raw better-sqlite3 durable insert (baseline)',
        latency: rawSummary,
        throughputPerSec: 1000 / rawSummary.mean,
        method: `WAL + synchronous=FULL, 1 INSERT (≈ticket row) per BEGIN IMMEDIATE, in the bench process; ${steadily}`,
      },
      {
        id: 'floor-seq',
        title: 'bare node:http + 1 durable INSERT, sequential (floor)',
        latency: floor,
        method: `bench/floor-server.ts in its own process: no framework, auth, validation, ledger or outbox, one INSERT per POST (WAL + synchronous=FULL); same client as below; ${steadily}`,
      },
      {
        id: 'health-seq',
        title: 'GET /health, sequential (HTTP floor, same client)',
        latency: healthSummary,
        method: `client-side: request sent → 200 body read; the route does nothing, so this is the cost of HTTP on loopback between two processes on this machine; ${steadily}`,
      },
      {
        id: 'issue-seq-cold',
        title: 'POST /tickets, sequential, fresh hub (start-up)',
        latency: cold,
        method: `the same requests as below, the first ${warmup} + ${n} after the hub started (timed: the last ${n}), while V8 still compiles the request path`,
      },
      {
        id: 'issue-seq',
        title: 'POST /tickets, sequential, 1 keep-alive client',
        latency: sequential,
        throughputPerSec: sequentialPerSec,
        method: `client-side: request sent → 201 body read; hub process on loopback; unique Idempotency-Key each; after the start-up series; ${steadily}`,
        target: {
          rule: 'p99 ≤ 2 × raw p99 + 1 ms',
          actual: `${fmtMs(sequential.p99)} vs ${fmtMs(bound)}`,
          met: sequential.p99 <= bound,
        },
        extra: {
          ratioP50: sequential.p50 / rawSummary.p50,
          ratioP99: sequential.p99 / rawSummary.p99,
          boundMs: bound,
          beyondHttpFloorP50Ms: sequential.p50 - healthSummary.p50,
          beyondDurableFloorP50Ms: sequential.p50 - floor.p50,
          beyondDurableFloorP99Ms: sequential.p99 - floor.p99,
          beyondHttpFloorP99Ms: sequential.p99 - healthSummary.p99,
        },
      },
      {
        id: 'issue-concurrent',
        title: `POST /tickets, ${inFlight} in flight`,
        latency: summarize(concurrent.samples),
        throughputPerSec: concurrent.perSec,
        method: `${inFlight} concurrent clients over the keep-alive pool; ${warmup} warm-up + ${n}; throughput = n / wall time`,
        extra: { walMegabytesAfterAllIssues: walMegabytes },
      },
    ];
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
