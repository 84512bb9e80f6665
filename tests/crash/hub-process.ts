// The hub as a real child process (`node bin/guichet.mjs hub …`), the way a branch runs it: used
// by the crash test, which SIGKILLs it, and by the benchmarks, which keep the client out of the
// hub's event loop. Every child started here is tracked, so a failing caller can still kill all.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { DemoTokens } from '../../hub/branch-setup';
import { REPO_ROOT } from '../../hub/run-hub';

const BIN = path.join(REPO_ROOT, 'bin', 'guichet.mjs');
const LISTENING = /^Guichet hub listening on (\S+)/;
/** A safety net only: startup is awaited on the "listening" line, never on a guessed delay. */
const START_TIMEOUT_MS = 30_000;

const live = new Set<ChildProcess>();

export interface HubProcess {
  url: string;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) and the signal, once it is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the child wrote on stderr so far (for failure messages). */
  stderr(): string;
  /** Sends SIGKILL now (no-op when already gone) and waits until the process has exited. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  stop(): Promise<number | null>;
}

function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Runs `guichet init --demo --json` on a fresh data folder and returns the demo tokens. */
export async function initDemoDataDir(dataDir: string): Promise<DemoTokens> {
  const child = spawn(process.execPath, [BIN, 'init', '--data', dataDir, '--demo', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const { code } = await exitOf(child);
  live.delete(child);
  if (code !== 0) throw new Error(`guichet init failed (exit ${String(code)}): ${err}`);
  return (JSON.parse(out) as { tokens: DemoTokens }).tokens;
}

/** Starts `guichet hub` on a free loopback port and resolves once it prints its URL. */
export function startHubProcess(dataDir: string): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'hub', '--data', dataDir, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  const exited = exitOf(child);
  void exited.then(() => live.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.length > 64 * 1024) stderr = stderr.slice(-32 * 1024);
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  return new Promise<HubProcess>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      void kill();
      reject(
        new Error(`hub did not print its URL within ${START_TIMEOUT_MS} ms; stderr: ${stderr}`),
      );
    }, START_TIMEOUT_MS);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `hub exited before listening (code ${code}, signal ${signal}); stderr: ${stderr}`,
        ),
      );
    });
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        pid: child.pid!,
        exited,
        stderr: () => stderr,
        kill,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return (await exited).code;
        },
      });
    });
  });
}

/** Kills every hub child still alive and waits for them: for afterAll / finally / signal handlers. */
export async function killAllHubProcesses(): Promise<void> {
  const children = [...live];
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all(children.map(exitOf));
  for (const child of children) live.delete(child);
}

// Last resort when the parent dies without cleaning up (an uncaught error, process.exit).
process.once('exit', () => {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
