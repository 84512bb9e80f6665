// The real server, hub and kiosk agent as child processes the scenarios can SIGKILL and start
// again on the same folder and port. Every child is tracked so a failing run still kills them all.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../hub/run-hub';

const BIN = path.join(REPO_ROOT, 'bin', 'guichet.mjs');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const HUB_ENTRY = path.join(HERE, 'hub-entry.ts');
const AGENT_ENTRY = path.join(HERE, 'agent-entry.ts');
/** A safety net only: starts are awaited on their "listening" line. */
const START_TIMEOUT_MS = 30_000;

const live = new Set<ChildProcess>();

export interface Child {
  readonly pid: number;
  readonly alive: boolean;
  stderr(): string;
  /** The last 32 KB of what it printed, stdout and stderr together (its warnings, for a report). */
  output(): string;
  /** SIGKILL now, resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
  /** IPC message (the hub and agent entries' clocks). */
  send(message: unknown): void;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `args` and resolves once stdout prints a line matching `ready`. */
function spawnUntil(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  live.add(child);
  const exited = exitOf(child);
  void exited.then(() => live.delete(child));
  let stderr = '';
  let output = '';
  const keep = (tail: string, chunk: string) => (tail + chunk).slice(-32 * 1024);
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = keep(stderr, chunk);
    output = keep(output, chunk);
  });
  const handle: Child = {
    pid: child.pid ?? -1,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    stderr: () => stderr,
    output: () => output,
    kill: async () => {
      if (handle.alive) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (handle.alive) child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
    send: (message) => {
      // With a callback, a pipe broken by a kill racing this send (EPIPE) is reported there,
      // not as an 'error' event that would crash the run; the restart gets the value anyway.
      if (handle.alive && child.connected) child.send(message as object, () => undefined);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.kill();
      reject(new Error(`${args.join(' ')}: not ready in ${START_TIMEOUT_MS} ms; ${stderr}`));
    }, START_TIMEOUT_MS);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${args.slice(1, 3).join(' ')} exited before ready: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output = keep(output, `${line}\n`);
      if (!ready.test(line)) return;
      clearTimeout(timer);
      resolve(handle);
    });
  });
}

/** Runs a guichet CLI command to its end and returns its stdout (exit 0 required). */
async function runCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  await exitOf(child);
  live.delete(child);
  if (child.exitCode !== 0)
    throw new Error(`guichet ${args.join(' ')}: exit ${child.exitCode}: ${err}`);
  return out;
}

/** What `server init` and `server branch add` give the run: the admin token, the branch and its token. */
export interface ServerLink {
  adminToken: string;
  branchId: string;
  branchToken: string;
}

/** `server init` + `server branch add` on a fresh folder. */
export async function initServerDir(dir: string): Promise<ServerLink> {
  const { adminToken } = JSON.parse(await runCli(['server', 'init', '--data', dir, '--json'])) as {
    adminToken: string;
  };
  const added = JSON.parse(
    await runCli(['server', 'branch', 'add', '--data', dir, '--name', 'Mairie (faults)', '--json']),
  ) as { branchId: string; token: string };
  return { adminToken, branchId: added.branchId, branchToken: added.token };
}

/** The production server command, on SQLite in `dir`, on a fixed port (it comes back there). */
export function startServerProcess(dir: string, port: number): Promise<Child> {
  return spawnUntil(
    [
      BIN,
      'server',
      '--data',
      dir,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
    /^Guichet server listening on /,
  );
}

/**
 * One process of a run (the hub, the server, the agent) under its name: the scenario SIGKILLs it
 * and starts it again with the same `launch` (same folder, same port), and talks to whichever
 * process is the current one.
 */
export class Role {
  current: Child | undefined;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<Child>,
  ) {}

  async start(): Promise<Child> {
    this.current = await this.launch();
    return this.current;
  }

  /** SIGKILL of the current process (see Child.kill). */
  async kill(): Promise<void> {
    await this.current?.kill();
  }

  /** An IPC message to the current process, if it is up (a clock jump). */
  send(message: unknown): void {
    this.current?.send(message);
  }
}

/**
 * `server init` in `dir`, then `server` (a Role on that folder) started, as two promises: the hub
 * needs the link (its token) to start, the running server only later, so the start-ups overlap.
 */
export function prepareServer(
  dir: string,
  server: Role,
): { link: Promise<ServerLink>; started: Promise<Child> } {
  const link = initServerDir(dir);
  const started = link.then(() => server.start());
  started.catch(() => undefined); // awaited by the caller; only keeps an early failure handled
  return { link, started };
}

export interface HubStart {
  dir: string;
  port: number;
  centralUrl: string;
  centralToken: string;
  clockOffsetMs: number;
}

/** The hub entry's start: without a central URL the hub runs unlinked. */
export type HubEntryStart = Omit<HubStart, 'centralUrl' | 'centralToken'> &
  Partial<Pick<HubStart, 'centralUrl' | 'centralToken'>>;

/** The hub (hub-entry.ts: production startHub, test sync timings, a movable clock). */
export function startHubEntry(options: HubEntryStart): Promise<Child> {
  return spawnUntil(['--import', 'tsx', HUB_ENTRY], /^Guichet hub listening on /, {
    FAULT_HUB_DATA: options.dir,
    FAULT_HUB_PORT: String(options.port),
    FAULT_HUB_CENTRAL: options.centralUrl ?? '',
    FAULT_HUB_TOKEN: options.centralToken ?? '',
    FAULT_HUB_CLOCK_OFFSET_MS: String(options.clockOffsetMs),
  });
}

export interface AgentStart {
  dir: string;
  port: number;
  /** The hub as the agent sees it (the agent↔hub proxy). */
  hubUrl: string;
  /** The kiosk device token the agent presents. */
  token: string;
  clockOffsetMs: number;
  forwardTimeoutMs: number;
  blockSize?: number;
  intervalMs?: number;
}

/** The kiosk agent (agent-entry.ts: production startAgent, test timings, a movable clock). */
export function startAgentEntry(options: AgentStart): Promise<Child> {
  return spawnUntil(['--import', 'tsx', AGENT_ENTRY], /^Guichet agent listening on /, {
    FAULT_AGENT_DATA: options.dir,
    FAULT_AGENT_PORT: String(options.port),
    FAULT_AGENT_HUB: options.hubUrl,
    FAULT_AGENT_TOKEN: options.token,
    FAULT_AGENT_CLOCK_OFFSET_MS: String(options.clockOffsetMs),
    FAULT_AGENT_FORWARD_TIMEOUT_MS: String(options.forwardTimeoutMs),
    ...(options.blockSize !== undefined
      ? { FAULT_AGENT_BLOCK_SIZE: String(options.blockSize) }
      : {}),
    ...(options.intervalMs !== undefined
      ? { FAULT_AGENT_INTERVAL_MS: String(options.intervalMs) }
      : {}),
  });
}

/**
 * The production command itself, `guichet hub --central … --central-token …`: production sync
 * timings (backoff up to 60 s, a 30 s timer) and the system clock (no clock jumps).
 */
export function startHubCli(options: HubStart): Promise<Child> {
  return spawnUntil(
    [
      BIN,
      'hub',
      '--data',
      options.dir,
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--log-level',
      'warn',
      '--central',
      options.centralUrl,
      '--central-token',
      options.centralToken,
    ],
    /^Guichet hub listening on /,
  );
}

/**
 * Distinct free loopback ports, one per name, for one run's processes and proxies. The probes are all
 * open at once: one after another, the system may hand the same port out twice (a hub and an
 * agent then fight over it, and the agent's health answers with the hub's).
 */
export async function freePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const probes = names.map(() => net.createServer());
  try {
    const ports = await Promise.all(
      probes.map(
        (probe) =>
          new Promise<number>((resolve, reject) => {
            probe.once('error', reject);
            probe.listen(0, '127.0.0.1', () => {
              const address = probe.address();
              resolve(typeof address === 'object' && address ? address.port : 0);
            });
          }),
      ),
    );
    return Object.fromEntries(names.map((name, i) => [name, ports[i]])) as Record<K, number>;
  } finally {
    await Promise.all(
      probes.map((probe) => new Promise<void>((resolve) => probe.close(() => resolve()))),
    );
  }
}

export async function killAllChildren(): Promise<void> {
  const children = [...live];
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map(exitOf));
}

process.once('exit', () => {
  for (const child of live)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
