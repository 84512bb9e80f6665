// `guichet server`, `guichet server init`, `guichet server branch add`: the functions behind them
// (testable without a process) and `registerServerCommands`, which adds them to the CLI.
import { stopOnSignals } from '../../http/stop-on-signals';
import type { Command } from 'commander';
import { createBranch } from '../branches/create-branch';
import { startServer, type RunningServer } from '../run-server';
import { ServerError } from '../server-error';
import { openStore } from '../store/open-store';
import { hashToken, newAdminToken } from '../store/tokens';
import {
  BranchAddFlags,
  ServerCliError,
  ServerFlags,
  ServerInitFlags,
  parseFlags,
} from './options';

/** Creates the store if needed and a new admin token (running it again adds another one). */
export async function serverInit(flags: ServerInitFlags): Promise<{ adminToken: string }> {
  const store = await openStore({ dataDir: flags.data, databaseUrl: flags.database });
  try {
    const adminToken = newAdminToken();
    await store.addAdminToken(hashToken(adminToken), Date.now());
    return { adminToken };
  } finally {
    await store.close();
  }
}

export async function serverBranchAdd(
  flags: BranchAddFlags,
): Promise<{ branchId: string; token: string }> {
  const store = await openStore({ dataDir: flags.data, databaseUrl: flags.database });
  try {
    const created = await createBranch(store, { name: flags.name, id: flags.id });
    return { branchId: created.branch.id, token: created.token };
  } catch (error) {
    if (error instanceof ServerError) throw new ServerCliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

export async function serverRun(flags: ServerFlags): Promise<RunningServer> {
  return startServer({
    dataDir: flags.data,
    databaseUrl: flags.database,
    host: flags.host,
    port: flags.port,
    logger: { level: flags.logLevel },
  });
}

/**
 * Runs a command action; a ServerCliError (bad flags, a branch id taken) becomes one line on
 * stderr and exit code 2, whatever the host CLI does with other errors.
 */
function reportingErrors<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof ServerCliError)) throw error;
      console.error(`guichet: ${error.message}`);
      process.exitCode = 2;
    }
  };
}

/** Adds `guichet server …` to the program (hub/cli/main.ts calls this once). */
export function registerServerCommands(program: Command): void {
  const server = program
    .command('server')
    .description('Run the central server: sync for branch hubs and the admin API.')
    .requiredOption('--data <dir>', 'data folder (holds server.db without --database)')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <port>', 'port to listen on', '4290')
    .option('--database <url>', 'postgres://… to use PostgreSQL instead of SQLite')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
    .action(
      reportingErrors(async (raw: unknown) => {
        const running = await serverRun(parseFlags(ServerFlags, raw));
        console.log(`Guichet server listening on ${running.url} (${running.store.kind})`);
        stopOnSignals(running);
      }),
    );

  // Commander hands --data and --database to `server` itself even after a subcommand name, so the
  // subcommands read them from there too.
  const withServerFlags = (raw: unknown): Record<string, unknown> => {
    const parent = server.opts<{ data?: string; database?: string }>();
    return {
      ...(parent.data !== undefined ? { data: parent.data } : {}),
      ...(parent.database !== undefined ? { database: parent.database } : {}),
      ...(raw as Record<string, unknown>),
    };
  };

  server
    .command('init')
    .description('Prepare the store and print a new admin token (shown once).')
    .option('--data <dir>', 'data folder of the server')
    .option('--database <url>', 'postgres://… to use PostgreSQL')
    .option('--json', 'print {"adminToken"}')
    .action(
      reportingErrors(async (raw: unknown) => {
        const flags = parseFlags(ServerInitFlags, withServerFlags(raw));
        const result = await serverInit(flags);
        console.log(
          flags.json ? JSON.stringify(result) : `Admin token (shown once): ${result.adminToken}`,
        );
      }),
    );

  server
    .command('branch')
    .description('Manage branches.')
    .command('add')
    .description('Create a branch and print its hub token (shown once).')
    .option('--data <dir>', 'data folder of the server')
    .requiredOption('--name <name>', 'branch name')
    .option('--id <id>', 'branch id (default: generated)')
    .option('--database <url>', 'postgres://… to use PostgreSQL')
    .option('--json', 'print {"branchId","token"}')
    .action(
      reportingErrors(async (raw: unknown) => {
        const flags = parseFlags(BranchAddFlags, withServerFlags(raw));
        const result = await serverBranchAdd(flags);
        console.log(
          flags.json
            ? JSON.stringify(result)
            : `Branch ${result.branchId} created. Hub token (shown once): ${result.token}`,
        );
      }),
    );
}
