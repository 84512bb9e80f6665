// The guichet CLI as child processes of the end-to-end tests, started exactly as an operator
// starts it: a command run to its end, a server (`guichet hub`, `guichet agent`) resolved once it
// logs the URL it listens on and stopped with SIGTERM, and free loopback ports to put it on.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/build-screens';

const cli = join(repoRoot, 'bin', 'guichet.mjs');

/** A loopback port free right now (and, until someone binds it, one nobody listens on). */
export function freePort(): Promise<number> {
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

/** Runs `guichet <args>` to its end and returns its stdout (exit 0 required). */
export function runCli(args: string[]): Promise<string> {
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

export interface ListeningProcess {
  child: ChildProcess;
  url: string;
}

/**
 * Starts `guichet <args>` (`args[0]` the command, `hub` or `agent`; `env` added to the test's) and
 * resolves once it logs "<command> listening on <url>".
 */
export function startListening(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ListeningProcess> {
  const name = args[0] ?? 'guichet';
  const listening = new RegExp(`${name} listening on (http://[\\d.:]+)`, 'i');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      const match = listening.exec(log);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code) => reject(new Error(`${name} exited early (${code}):\n${log}`)));
  });
}

/** SIGTERM, resolves once the process has exited (at once if it already has). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
