// A real hub for tests: a fresh SQLite file in a temp folder, the demo branch, the API on a free
// loopback port. Tests talk to it over HTTP and WebSocket like any screen would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initDemoBranch, type DemoTokens } from '../../hub/branch-setup';
import { databaseFile, startHub, type RunningHub } from '../../hub/run-hub';
import { openHub } from '../../hub/hub';

export interface TestHub extends RunningHub {
  dir: string;
  tokens: DemoTokens;
  /** Stops the hub and deletes its folder. */
  dispose(): Promise<void>;
}

export async function startTestHub(): Promise<TestHub> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guichet-test-'));
  const setup = openHub(databaseFile(dir));
  const { tokens } = initDemoBranch(setup);
  setup.close();
  const running = await startHub({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    screensDir: path.join(dir, 'no-screens'),
  });
  return {
    ...running,
    dir,
    tokens,
    dispose: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A fetch wrapper: JSON in, JSON out, never throws on an HTTP status. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  route: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${route}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}
