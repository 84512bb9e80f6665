// Starting and stopping a kiosk agent: its database, the sync loop toward the hub, then its API.
import { mkdirSync } from 'node:fs';
import { systemClock, type Clock } from '../clock';
import type { ZodApp } from '../../http/zod-app';
import { DEFAULT_SCREENS_DIR } from '../run-hub';
import { AgentBlocks } from './agent-blocks';
import { agentDatabaseFile, openAgentDatabase } from './agent-db';
import { AgentIssuer } from './agent-issuer';
import { AgentLog } from './agent-log';
import { AgentMeta } from './agent-meta';
import { buildAgentServer } from './agent-server';
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
}

export interface RunningAgent {
  app: ZodApp;
  url: string;
  sync: AgentSyncLoop;
  issuer: AgentIssuer;
  meta: AgentMeta;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentStartOptions): Promise<RunningAgent> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openAgentDatabase(agentDatabaseFile(options.dataDir));
  const clock = options.clock ?? systemClock;
  try {
    const meta = new AgentMeta(db);
    const blocks = new AgentBlocks(db);
    const log = new AgentLog(db, meta);
    const issuer = new AgentIssuer(db, clock, meta, blocks, log);
    const hubUrl = options.hubUrl.replace(/\/+$/, '');
    let sync: AgentSyncLoop | null = null;
    const app = await buildAgentServer({
      issuer,
      meta,
      forward: { hubUrl, token: options.token, timeoutMs: options.forwardTimeoutMs ?? 3000 },
      onOfflineIssue: () => sync?.nudge(),
      isOnline: () => sync?.online ?? false,
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
    loop.start();
    let stopped: Promise<void> | undefined;
    return {
      app,
      url,
      sync: loop,
      issuer,
      meta,
      stop: () =>
        (stopped ??= loop
          .stop()
          .then(() => app.close())
          .finally(() => db.close())),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
