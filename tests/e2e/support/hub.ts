// A real hub for the end-to-end tests: a demo branch in a temp data dir, on a free loopback port,
// as a child process exactly as an operator would start it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, startListening, stopProcess } from './cli';

export interface DemoTokens {
  kiosk: string;
  display: string;
  admin: string;
  counters: Record<string, string>;
}

export interface RunningHub {
  url: string;
  tokens: DemoTokens;
  dataDir: string;
  /** Stops the hub process (the data dir stays, for restart()). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data: screens must reconnect and resync. */
  restart(): Promise<void>;
  /** Stops and deletes the data dir. */
  dispose(): Promise<void>;
}

/** `guichet hub` on the demo branch in `dataDir`, on `port` (the same one after a restart). */
const startHubProcess = (dataDir: string, port: number) =>
  startListening(['hub', '--data', dataDir, '--host', '127.0.0.1', '--port', String(port)]);

export async function startDemoHub(): Promise<RunningHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
  const init = JSON.parse(await runCli(['init', '--data', dataDir, '--demo', '--json'])) as {
    tokens: DemoTokens;
  };
  const port = await freePort();
  let current = await startHubProcess(dataDir, port);
  return {
    url: current.url,
    tokens: init.tokens,
    dataDir,
    stop: () => stopProcess(current.child),
    restart: async () => {
      await stopProcess(current.child);
      current = await startHubProcess(dataDir, port);
    },
    dispose: async () => {
      await stopProcess(current.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
