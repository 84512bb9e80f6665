// A real hub for the end-to-end tests: a demo branch in a temp data dir, on a free loopback port,
// as a child process exactly as an operator would start it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/build-screens';

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

const cli = join(repoRoot, 'bin', 'guichet.mjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`guichet ${args[0]} exited ${code}: ${err}`)),
    );
  });
}

/** Resolves once the hub logs the URL it listens on. */
function startProcess(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'hub', '--data', dataDir, '--host', '127.0.0.1', '--port', String(port)],
      { cwd: repoRoot },
    );
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      const match = /listening on (http:\/\/[\d.:]+)/i.exec(log);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code) => reject(new Error(`hub exited early (${code}):\n${log}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startDemoHub(): Promise<RunningHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
  const init = JSON.parse(await run(['init', '--data', dataDir, '--demo', '--json'])) as {
    tokens: DemoTokens;
  };
  const port = await freePort();
  let current = await startProcess(dataDir, port);
  return {
    url: current.url,
    tokens: init.tokens,
    dataDir,
    stop: () => stopProcess(current.child),
    restart: async () => {
      await stopProcess(current.child);
      current = await startProcess(dataDir, port);
    },
    dispose: async () => {
      await stopProcess(current.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
