// Starting and stopping a hub process: the database, then the API on its host and port.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyServerOptions } from 'fastify';
import { buildServer } from './api/server';
import type { ZodApp } from '../http/zod-app';
import type { PrintingOptions } from './features/printing/ticket-printing';
import { openHub, type Hub } from './hub';
import type { Clock } from './clock';
import { HubError } from './hub-error';
import { applyHubHeapTuning } from './heap-tuning';
import { startLedgerPruning, type LedgerPruning } from './features/idempotency/ledger-pruning';
import { LinkStore } from './sync/link-settings';
import { SyncClient, type SyncClientOptions } from './sync/sync-client';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SCREENS_DIR = path.join(REPO_ROOT, 'renderer', 'dist');

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'hub.db');

export interface RunningHub {
  hub: Hub;
  app: ZodApp;
  url: string;
  /** The central link's sync client, when the hub is linked (`--central`, or stored earlier). */
  sync: SyncClient | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  host: string;
  port: number;
  logger?: FastifyServerOptions['logger'];
  screensDir?: string;
  /** `--printer URL --paper-width N`: the printer of kiosks without their own. */
  printer?: PrintingOptions['defaultPrinter'];
  /** `--public-url`: base of the follow-up URLs printed as QR codes. */
  publicUrl?: string;
  /** `--scanner serial:/dev/ttyACM0?baud=9600`: a serial scanner on this machine. */
  scanner?: string;
  /** Print queue timings (tests shorten them). */
  printerQueue?: PrintingOptions['queue'];
  /** `--central URL --central-token TOKEN`: link to a central server (stored for later starts). */
  central?: { url: string; token: string };
  /** Sync timings (tests shorten the backoff). */
  syncTiming?: Pick<
    SyncClientOptions,
    'intervalMs' | 'debounceMs' | 'retryDelay' | 'requestTimeoutMs'
  >;
  /** The hub's clock (tests skew it). */
  clock?: Clock;
}

export async function startHub(options: StartOptions): Promise<RunningHub> {
  applyHubHeapTuning();
  if (!existsSync(databaseFile(options.dataDir))) {
    throw new HubError(
      409,
      'branch_not_initialised',
      `${options.dataDir} holds no branch yet: run \`guichet init --data ${options.dataDir}\` first.`,
    );
  }
  const hub = openHub(databaseFile(options.dataDir), options.clock);
  let sync: SyncClient | null = null;
  let pruning: LedgerPruning | null = null;
  try {
    hub.branch.settings(); // refuses a folder that was never initialised, with the fix in the message
    const links = new LinkStore(hub.ctx.db);
    if (options.central)
      links.save(options.central.url, options.central.token, hub.ctx.clock.now());
    const app = await buildServer(hub, {
      logger: options.logger ?? false,
      screensDir: options.screensDir ?? DEFAULT_SCREENS_DIR,
    });
    const printing: PrintingOptions = {
      ...(options.printer ? { defaultPrinter: options.printer } : {}),
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(options.printerQueue ? { queue: options.printerQueue } : {}),
    };
    hub.printing.configure(printing, app.log);
    hub.scanner.configure(options.scanner ? { url: options.scanner } : {}, app.log);
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost =
      options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    hub.printing.configure({ ...printing, fallbackBaseUrl: url });
    hub.printing.startConfigured();
    // An absent or unplugged scanner does not stop the hub: it is retried in the background.
    await hub.scanner.start();
    pruning = startLedgerPruning(hub.idempotency, app.log);
    // Sync runs beside the branch, never in front of it: the hub is up before the first round.
    if (links.get()) {
      sync = new SyncClient({ hub, log: app.log, ...options.syncTiming });
      sync.start();
    }
    const client = sync;
    const ledgerPruning = pruning;
    let stopped: Promise<void> | undefined;
    return {
      hub,
      app,
      url,
      sync: client,
      // Sync first (it writes acks), then requests (none may start a print), then the devices and the ledger pruning,
      // then the database.
      stop: () =>
        (stopped ??= Promise.resolve(client?.stop())
          .then(() => app.close())
          .then(() =>
            Promise.all([hub.scanner.close(), hub.printing.close(), ledgerPruning.stop()]),
          )
          .then(() => undefined)
          .finally(() => hub.close())),
    };
  } catch (error) {
    await sync?.stop();
    await pruning?.stop();
    hub.close();
    throw error;
  }
}
