// A hub and kiosk agents for the agent tests: real SQLite files in a temp folder, the hub on a
// fixed loopback port so it can be stopped and started again where the agent expects it, a TCP
// relay between agent and hub that a test cuts and heals (the hub stays up for others), and agent
// processes a test can SIGKILL (the crash tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { initDemoBranch, type DemoTokens } from '../../hub/branch-setup';
import type { AgentStartOptions } from '../../hub/agent/run-agent';
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

/**
 * An agent in this process whose background rounds never run by themselves (an hour apart, and
 * as long after a failure): the test calls syncNow(). Blocks of 10 numbers.
 */
export function manualAgentOptions(
  dataDir: string,
  hubUrl: string,
  token: string,
): AgentStartOptions {
  return {
    dataDir,
    hubUrl,
    token,
    port: 0,
    screensDir: `${dataDir}/no-screens`,
    intervalMs: 3_600_000,
    retryDelay: () => 3_600_000,
    blockSize: 10,
    // Cuts destroy the sockets (immediate): a long forward timeout only keeps a loaded CI machine
    // from sending a visitor down the offline path while the hub is up.
    forwardTimeoutMs: 10_000,
  };
}

export { startRelay, type Relay } from '../support/tcp-relay';

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

/** Reads a SQLite file of a hub or an agent (in this process or another) without writing it. */
export function readonly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A kiosk agent in its own process, which a crash test SIGKILLs and starts again. */
export interface AgentProcess {
  url: string;
  child: ChildProcess;
}

/** Every agent process a test started, SIGKILLed after it (cleanUpAfterEachCrash). */
const agentProcesses = new Set<ChildProcess>();

/**
 * Spawns `node <args>` (`guichet agent` or a test entry) with `env` added, and resolves with the
 * agent's URL once it prints its "listening" line (bounded).
 */
export function spawnAgentProcess(args: string[], env: NodeJS.ProcessEnv): Promise<AgentProcess> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  agentProcesses.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`agent exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Guichet agent listening on (\S+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({ url: match[1], child });
    });
  });
}

/** SIGKILL, as a power cut would: resolves once the process is gone. */
export async function killAgentProcess(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** What a crash test leaves behind: the test sets each part as it creates it. */
export interface CrashLeftovers {
  hub: HubHandle | null;
  dataDir: string | null;
}

/**
 * After each test of the file, passed or failed: SIGKILLs the agent processes still running and
 * disposes of the test's hub and agent folder (set on the object returned).
 */
export function cleanUpAfterEachCrash(): CrashLeftovers {
  const left: CrashLeftovers = { hub: null, dataDir: null };
  afterEach(async () => {
    for (const child of agentProcesses) if (child.exitCode === null) child.kill('SIGKILL');
    agentProcesses.clear();
    await left.hub?.dispose();
    left.hub = null;
    if (left.dataDir) rmSync(left.dataDir, { recursive: true, force: true });
    left.dataDir = null;
  });
  return left;
}
