// A hub and kiosk agents for the agent tests: real SQLite files in a temp folder, the hub on a
// fixed loopback port so it can be stopped and started again where the agent expects it, and a
// TCP relay between agent and hub that a test cuts and heals (the hub stays up for others).
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initDemoBranch, type DemoTokens } from '../../hub/branch-setup';
import type { Clock } from '../../hub/clock';
import { openHub } from '../../hub/hub';
import { databaseFile, startHub, type RunningHub } from '../../hub/run-hub';
import { call as callKeepAlive } from '../support/test-hub';

/** Fresh connections: the hub restarts on its port, and a kept-alive socket would be dead. */
export const call: typeof callKeepAlive = (baseUrl, method, route, options = {}) =>
  callKeepAlive(baseUrl, method, route, {
    ...options,
    headers: { ...options.headers, connection: 'close' },
  });

export interface HubHandle {
  dir: string;
  tokens: DemoTokens;
  port: number;
  url: string;
  running: RunningHub | null;
  start(): Promise<RunningHub>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A demo branch on disk; started on a free port, restarted on the same one. */
export async function createHub(clock?: Clock): Promise<HubHandle> {
  const dir = tempDir('guichet-agent-hub-');
  const setup = openHub(databaseFile(dir));
  const { tokens } = initDemoBranch(setup);
  setup.close();
  const handle: HubHandle = {
    dir,
    tokens,
    port: 0,
    url: '',
    running: null,
    async start() {
      const running = await startHub({
        dataDir: dir,
        host: '127.0.0.1',
        port: handle.port,
        screensDir: path.join(dir, 'no-screens'),
        ...(clock ? { clock } : {}),
      });
      handle.running = running;
      handle.url = running.url;
      handle.port = Number(new URL(running.url).port);
      return running;
    },
    async stop() {
      await handle.running?.stop();
      handle.running = null;
    },
    async dispose() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}

export interface Relay {
  url: string;
  /** Refuses new connections and drops open ones: the agent sees an unreachable hub. */
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

/** A TCP relay to `target` (host:port) that can be cut and healed. */
export async function startRelay(targetPort: number): Promise<Relay> {
  let up = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    heal() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Polls `probe` until it returns a value, at most `timeoutMs`: for other processes only. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25)); // a poll interval, not a guess
  }
}
