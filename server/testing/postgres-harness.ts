// A throwaway PostgreSQL for tests and benches, from Debian's packages: initdb in a temp folder,
// loopback only, trust auth, unix socket inside the folder. One instance per test run: the first
// vitest worker to get here starts it, the others wait for it, and a small watchdog stops it and
// deletes the folder once the run's main process is gone. Each suite takes a fresh database.
// DATABASE_URL (a role allowed to CREATE DATABASE) skips all this and uses that server instead.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  /** Drops the database (closing whatever still uses it). */
  drop(): Promise<void>;
}

interface RunningServer {
  /** URL of the server's `postgres` database, for CREATE/DROP DATABASE. */
  adminUrl: string;
}

export interface HarnessOptions {
  /** fsync on: for benches that should measure real commits. Tests run with fsync off. */
  durable?: boolean;
  /** Start a private instance owned by this process instead of the run's shared one. */
  private?: boolean;
}

const START_TIMEOUT_MS = 60_000;

function pgBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions)
      if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  }
  throw new Error('PostgreSQL binaries not found: install postgresql or set PG_BIN / DATABASE_URL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** initdb refuses to run as root: then everything runs as the `postgres` user. */
function asPostgresUser(): { prefix: string[]; chown: (dir: string) => void } {
  if (userInfo().uid !== 0) return { prefix: [], chown: () => undefined };
  return {
    prefix: ['runuser', '-u', 'postgres', '--'],
    chown: (dir) => execFileSync('chown', ['-R', 'postgres:postgres', dir]),
  };
}

function run(prefix: string[], command: string, args: string[]): void {
  const [bin, ...rest] = [...prefix, command, ...args] as [string, ...string[]];
  execFileSync(bin, rest, { stdio: 'pipe' });
}

async function startServer(
  stateDir: string,
  ownerPid: number,
  durable: boolean,
): Promise<RunningServer> {
  const bin = pgBinDir();
  const user = asPostgresUser();
  const dataDir = path.join(stateDir, 'data');
  const socketDir = path.join(stateDir, 'sock');
  mkdirSync(socketDir, { recursive: true });
  user.chown(stateDir);
  run(user.prefix, path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings = [
    `-h 127.0.0.1 -p ${port} -k ${socketDir}`,
    '-c max_connections=300 -c shared_buffers=64MB',
    durable ? '' : '-F -c synchronous_commit=off -c full_page_writes=off',
  ].join(' ');
  run(user.prefix, path.join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    path.join(stateDir, 'postgres.log'),
    '-w',
    '-t',
    '30',
    '-o',
    settings,
    'start',
  ]);
  // The watchdog outlives us: when the owner process is gone, stop the server and delete it all.
  const stop = [...user.prefix, path.join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop']
    .map((a) => `'${a}'`)
    .join(' ');
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${ownerPid} 2>/dev/null; do sleep 1; done; ${stop} >/dev/null 2>&1; rm -rf '${stateDir}'`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

let shared: Promise<RunningServer> | null = null;

/** The run's PostgreSQL (started on first use), or the one DATABASE_URL names. */
function server(options: HarnessOptions = {}): Promise<RunningServer> {
  if (process.env.DATABASE_URL) return Promise.resolve({ adminUrl: process.env.DATABASE_URL });
  if (options.private) {
    const dir = path.join(tmpdir(), `guichet-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir);
    return startServer(dir, process.pid, options.durable ?? false);
  }
  shared ??= sharedServer(options.durable ?? false);
  return shared;
}

async function sharedServer(durable: boolean): Promise<RunningServer> {
  // Vitest workers are children of the run's main process: its pid names the run.
  const owner = process.env.VITEST ? process.ppid : process.pid;
  const stateDir = path.join(tmpdir(), `guichet-pg-run-${owner}`);
  const readyFile = path.join(stateDir, 'ready.json');
  let starter = true;
  try {
    mkdirSync(stateDir);
  } catch {
    starter = false;
  }
  if (starter) {
    try {
      const running = await startServer(stateDir, owner, durable);
      writeFileSync(`${readyFile}.tmp`, JSON.stringify(running));
      renameSync(`${readyFile}.tmp`, readyFile);
      return running;
    } catch (error) {
      writeFileSync(path.join(stateDir, 'failed'), String(error));
      throw error;
    }
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(readyFile)) return JSON.parse(readFileSync(readyFile, 'utf8')) as RunningServer;
    if (existsSync(path.join(stateDir, 'failed')))
      throw new Error(
        `The test PostgreSQL failed to start: ${readFileSync(path.join(stateDir, 'failed'), 'utf8')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The test PostgreSQL in ${stateDir} did not start within ${START_TIMEOUT_MS} ms`);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A new, empty database on the run's server. */
export async function freshDatabase(options: HarnessOptions = {}): Promise<TestDatabase> {
  const { adminUrl } = await server(options);
  const name = `guichet_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
