// A real central server and real hubs for the sync suites. The server is the production app
// (server/api/build-app.ts) on a test store (SQLite in a temp folder, or a fresh PostgreSQL
// database from the run's throwaway server), listening on a real loopback port that stays the same
// across stop() and start(), so a hub sees "the central went away and came back".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initDemoBranch, type DemoTokens } from '../../hub/branch-setup';
import type { Clock } from '../../hub/clock';
import { openHub } from '../../hub/hub';
import { databaseFile, startHub, type RunningHub } from '../../hub/run-hub';
import { buildServerApp } from '../../server/api/build-app';
import { createBranch } from '../../server/branches/create-branch';
import type { StoreKind } from '../../server/store/ports';
import { hashToken, newAdminToken } from '../../server/store/tokens';
import { openTestStore, type TestStore } from '../../server/testing/test-stores';
import { call, type ApiAnswer } from '../support/test-hub';

type ServerApp = Awaited<ReturnType<typeof buildServerApp>>;

export interface Central {
  url: string;
  adminToken: string;
  branchId: string;
  branchToken: string;
  testStore: TestStore;
  readonly running: boolean;
  /** Closes the app (the port refuses connections); the store and its data stay. */
  stop(): Promise<void>;
  /** Serves the same store on the same port again. */
  start(): Promise<void>;
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<ApiAnswer<T>>;
  dispose(): Promise<void>;
}

export async function startCentral(kind: StoreKind = 'sqlite'): Promise<Central> {
  const testStore = await openTestStore(kind);
  const { store } = testStore;
  const adminToken = newAdminToken();
  await store.addAdminToken(hashToken(adminToken), Date.now());
  const created = await createBranch(store, { name: 'Mairie centrale' });
  let app: ServerApp | null = null;
  let port = 0;
  const listen = async () => {
    const next = await buildServerApp(store);
    await next.listen({ host: '127.0.0.1', port });
    const address = next.server.address();
    if (typeof address === 'object' && address) port = address.port;
    app = next;
  };
  await listen();
  const central: Central = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    adminToken,
    branchId: created.branch.id,
    branchToken: created.token,
    testStore,
    get running() {
      return app !== null;
    },
    async stop() {
      const closing = app;
      app = null;
      await closing?.close();
    },
    start: listen,
    admin: (method, route, body) =>
      call(central.url, method, route, {
        token: adminToken,
        ...(body !== undefined ? { body } : {}),
      }),
    async dispose() {
      await central.stop();
      await testStore.dispose();
    },
  };
  return central;
}

export interface SyncedHub extends RunningHub {
  dir: string;
  tokens: DemoTokens;
  /** Stops the hub, keeping its folder (to restart it on the same data). */
  restart(options?: { clock?: Clock }): Promise<SyncedHub>;
  dispose(): Promise<void>;
}

/** Short, deterministic retries so a test waits milliseconds after the central comes back. */
export const FAST_SYNC = {
  intervalMs: 1_000,
  debounceMs: 5,
  retryDelay: (attempt: number) => Math.min(200, 20 * 2 ** attempt),
};

/** A demo-branch folder, not linked yet (capacity lifted so bulk seeding is not refused). */
export function demoFolder(): { dir: string; tokens: DemoTokens } {
  const dir = mkdtempSync(path.join(tmpdir(), 'guichet-sync-test-'));
  const setup = openHub(databaseFile(dir));
  try {
    const { tokens } = initDemoBranch(setup);
    setup.branch.patch({ capacity: 100_000 }, setup.system);
    return { dir, tokens };
  } finally {
    setup.close();
  }
}

/** A real hub on a demo branch, linked to `central` (the --central flags, in-process). */
export async function startSyncedHub(
  central: Central,
  options: {
    clock?: Clock;
    folder?: { dir: string; tokens: DemoTokens };
    /** Where the hub reaches the central (a proxy in front of it); default its own URL. */
    centralUrl?: string;
    requestTimeoutMs?: number;
  } = {},
): Promise<SyncedHub> {
  const { dir, tokens } = options.folder ?? demoFolder();
  const open = async (clock?: Clock): Promise<SyncedHub> => {
    const running = await startHub({
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      screensDir: path.join(dir, 'no-screens'),
      central: { url: options.centralUrl ?? central.url, token: central.branchToken },
      syncTiming: {
        ...FAST_SYNC,
        ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      },
      ...(clock ? { clock } : {}),
    });
    return {
      ...running,
      dir,
      tokens,
      restart: async (next = {}) => {
        await running.stop();
        return open(next.clock);
      },
      dispose: async () => {
        await running.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return open(options.clock);
}

/** Polls `check` (async) until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

export interface ServerTicket {
  id: string;
  number: string;
  serviceId: string;
  status: string;
}

export async function serverTickets(central: Central, date: string): Promise<ServerTicket[]> {
  const answer = await central.admin<{ tickets: ServerTicket[] }>(
    'GET',
    `/api/v1/branches/${central.branchId}/tickets?date=${date}`,
  );
  if (answer.status !== 200) throw new Error(`tickets: HTTP ${answer.status}`);
  return answer.body.tickets;
}

export interface ServerDevice {
  deviceId: string;
  epoch: string;
  ackSeq: number;
}

export async function serverBranch(
  central: Central,
): Promise<{ devices: ServerDevice[]; rejected: unknown[]; eventCount: number }> {
  const answer = await central.admin<{
    devices: ServerDevice[];
    rejected: unknown[];
    branch: { eventCount: number };
  }>('GET', `/api/v1/branches/${central.branchId}`);
  if (answer.status !== 200) throw new Error(`branch: HTTP ${answer.status}`);
  return { ...answer.body, eventCount: answer.body.branch.eventCount };
}

/** Issues a ticket on the hub as its demo kiosk; returns the answer. */
export function issue(hub: SyncedHub, serviceId = 'etat-civil') {
  return call<{ id: string; number: string; businessDay: string; status: string }>(
    hub.url,
    'POST',
    '/api/v1/tickets',
    { token: hub.tokens.kiosk, body: { serviceId } },
  );
}
