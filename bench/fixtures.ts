// A fresh benchmark hub: a temp data folder made by `guichet init --demo`, optionally seeded with
// waiting tickets through the hub's own stores (in-process, one transaction), then the real hub
// process on a free loopback port. Plus the HTTP client the benchmarks share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DemoTokens } from '../hub/branch-setup';
import { runCommand } from '../hub/hub-context';
import { openHub, type Hub } from '../hub/hub';
import { databaseFile } from '../hub/run-hub';
import { pinHubProcess } from './pinning';
import { closeBenchSockets, httpJson, type BenchAnswer } from './http-client';
import { initDemoDataDir, startHubProcess, type HubProcess } from '../tests/crash/hub-process';

export const SERVICES = ['etat-civil', 'passeports', 'titres-sejour', 'visas'] as const;

export interface BenchHub {
  dir: string;
  tokens: DemoTokens;
  process: HubProcess;
  url: string;
  /** Stops the hub process (SIGTERM) and deletes the folder. */
  dispose(): Promise<void>;
}

/** A temp folder under os.tmpdir() (set TMPDIR to benchmark another disk). */
export function freshDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `guichet-bench-${label}-`));
}

/**
 * Initialises the demo branch, lifts the building capacity to the API's maximum (the demo's 200
 * would refuse tickets; the occupancy check still runs on every issue), seeds `waiting` tickets
 * spread over the four services (every 10th a priority one) and starts the hub process.
 */
export async function startBenchHub(label: string, waiting = 0): Promise<BenchHub> {
  const dir = freshDir(label);
  try {
    const tokens = await initDemoDataDir(dir);
    withHub(dir, (hub) => {
      hub.branch.patch({ capacity: 100_000 }, hub.system);
      seedWaiting(hub, waiting);
    });
    const process = await startHubProcess(dir);
    pinHubProcess(process.pid);
    return {
      dir,
      tokens,
      process,
      url: process.url,
      dispose: async () => {
        closeBenchSockets();
        await process.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Opens the folder's hub in this process for `fn`, then closes it. */
export function withHub<T>(dir: string, fn: (hub: Hub) => T): T {
  const hub = openHub(databaseFile(dir));
  try {
    return fn(hub);
  } finally {
    hub.close();
  }
}

/** Issues `count` tickets through TicketStore.issue in one transaction (seeding, not measured). */
export function seedWaiting(hub: Hub, count: number): void {
  if (count === 0) return;
  runCommand(hub.ctx, () => {
    for (let i = 0; i < count; i++) {
      hub.tickets.issue(
        { serviceId: SERVICES[i % SERVICES.length]!, priority: i % 10 === 9 },
        hub.system,
      );
    }
  });
}

/** One request on the benchmarks' kept-alive HTTP client; throws on an unexpected status. */
export async function request<T = unknown>(
  url: string,
  method: string,
  route: string,
  options: { token: string; body?: unknown; key?: string; expect: number | number[] },
): Promise<BenchAnswer<T>> {
  const answer = await httpJson<T>(url, method, route, {
    token: options.token,
    body: options.body,
    headers: options.key ? { 'idempotency-key': options.key } : {},
  });
  const expected = Array.isArray(options.expect) ? options.expect : [options.expect];
  if (!expected.includes(answer.status)) {
    throw new Error(`${method} ${route} → ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer;
}
