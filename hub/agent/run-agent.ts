// Starting and stopping a kiosk agent: its database, the sync loop toward the hub, its printer,
// the kiosk's stream (relaying the hub's), then its API.
import { mkdirSync } from 'node:fs';
import { systemClock, type Clock } from '../clock';
import type { ZodApp } from '../../http/zod-app';
import type { PrintQueueOptionsInput } from '../features/printing/hardware-types';
import { DEFAULT_SCREENS_DIR } from '../run-hub';
import { AgentBlocks } from './agent-blocks';
import { agentDatabaseFile, openAgentDatabase } from './agent-db';
import { AgentIssuer } from './agent-issuer';
import { AgentLog } from './agent-log';
import { AgentMeta } from './agent-meta';
import { AgentPrinting, type AgentPrinterOptions } from './agent-printing';
import { refreshKioskMeta } from './agent-kiosk-routes';
import { buildAgentServer } from './agent-server';
import { AgentStream } from './agent-stream';
import { AgentSyncLoop } from './agent-sync-loop';

export interface AgentStartOptions {
  dataDir: string;
  hubUrl: string;
  token: string;
  host?: string;
  port: number;
  screensDir?: string;
  logger?: { level: string };
  clock?: Clock;
  /** Sync timings (tests shorten them). */
  intervalMs?: number;
  retryDelay?: (attempt: number) => number;
  blockSize?: number;
  /** How long a kiosk request waits on the hub before the agent answers on its own. */
  forwardTimeoutMs?: number;
  /** `--printer URL --paper-width N --printer-type T`: the kiosk's printer, driven by the agent. */
  printer?: AgentPrinterOptions;
  /** Print queue timings (tests shorten them). */
  printerQueue?: PrintQueueOptionsInput;
  /** Reconnect delays of the hub's stream (default: full jitter, 3 s cap). */
  streamRetryDelay?: (attempt: number) => number;
  /** Ping period of the hub's stream (default 10 s). */
  streamHeartbeatMs?: number;
}

export interface RunningAgent {
  app: ZodApp;
  url: string;
  sync: AgentSyncLoop;
  issuer: AgentIssuer;
  meta: AgentMeta;
  stream: AgentStream;
  printing: AgentPrinting | null;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentStartOptions): Promise<RunningAgent> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openAgentDatabase(agentDatabaseFile(options.dataDir));
  const clock = options.clock ?? systemClock;
  let printing: AgentPrinting | null = null;
  try {
    const meta = new AgentMeta(db);
    const blocks = new AgentBlocks(db);
    const log = new AgentLog(db, meta);
    const issuer = new AgentIssuer(db, clock, meta, blocks, log);
    const hubUrl = options.hubUrl.replace(/\/+$/, '');
    let app: ZodApp | null = null;
    // The app's logger exists once the app does; the printer and the stream are made before it.
    const logTo = {
      warn: (object: object, message: string) => app?.log.warn(object, message),
      debug: (object: object, message: string) => app?.log.debug(object, message),
    };
    const followUpBase = () => meta.followUpBase() ?? hubUrl;
    printing = options.printer
      ? new AgentPrinting(options.printer, meta, logTo, followUpBase, options.printerQueue)
      : null;
    const stream = new AgentStream({
      hubUrl,
      token: options.token,
      clock,
      log: logTo,
      businessDay: () => issuer.today(),
      initialSeq: () => meta.queue()?.seq ?? 0,
      backlog: () => log.lastSeq() - meta.ackedSeq(),
      ownPrinter: printing !== null,
      ...(options.streamRetryDelay ? { retryDelay: options.streamRetryDelay } : {}),
      ...(options.streamHeartbeatMs ? { heartbeatMs: options.streamHeartbeatMs } : {}),
    });
    printing?.subscribe((message) => stream.publish(message));
    const forward = {
      hubUrl,
      token: options.token,
      timeoutMs: options.forwardTimeoutMs ?? 3000,
      printsItself: printing !== null,
    };
    stream.onState((state) => {
      if (state !== 'online') return;
      refreshKioskMeta(forward, meta).catch((error: unknown) =>
        logTo.debug({ err: error }, 'branch and kiosk not refreshed'),
      );
    });
    let sync: AgentSyncLoop | null = null;
    app = await buildAgentServer({
      issuer,
      meta,
      forward,
      onOfflineIssue: () => sync?.nudge(),
      isOnline: () => sync?.online ?? false,
      stream,
      printing,
      followUpBase,
      screensDir: options.screensDir ?? DEFAULT_SCREENS_DIR,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    sync = new AgentSyncLoop({
      db,
      clock,
      meta,
      blocks,
      issuer,
      log,
      hubUrl,
      token: options.token,
      logger: app.log,
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(options.retryDelay ? { retryDelay: options.retryDelay } : {}),
      ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
    });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host ?? '127.0.0.1';
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    const loop = sync;
    const server = app;
    const printer = printing;
    loop.start();
    // The printer's status is polled before the first ticket; the kiosk sees it at once.
    printer?.start();
    stream.start();
    let stopped: Promise<void> | undefined;
    return {
      app: server,
      url,
      sync: loop,
      issuer,
      meta,
      stream,
      printing: printer,
      // The sync loop first (it writes acks), then requests and streams (none may start a print),
      // then the printer, then the database.
      stop: () =>
        (stopped ??= loop
          .stop()
          .then(() => server.close())
          .then(() => printer?.close())
          .finally(() => db.close())),
    };
  } catch (error) {
    await printing?.close();
    db.close();
    throw error;
  }
}
