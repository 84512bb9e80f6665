// Starting and stopping a hub process: the database, then the API on its host and port.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyServerOptions } from 'fastify';
import { buildServer } from './api/server';
import type { ZodApp } from './api/zod-app';
import { openHub, type Hub } from './hub';
import { HubError } from './hub-error';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SCREENS_DIR = path.join(REPO_ROOT, 'renderer', 'dist');

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'hub.db');

export interface RunningHub {
  hub: Hub;
  app: ZodApp;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  host: string;
  port: number;
  logger?: FastifyServerOptions['logger'];
  screensDir?: string;
}

export async function startHub(options: StartOptions): Promise<RunningHub> {
  if (!existsSync(databaseFile(options.dataDir))) {
    throw new HubError(
      409,
      'branch_not_initialised',
      `${options.dataDir} holds no branch yet: run \`guichet init --data ${options.dataDir}\` first.`,
    );
  }
  const hub = openHub(databaseFile(options.dataDir));
  try {
    hub.branch.settings(); // refuses a folder that was never initialised, with the fix in the message
    const app = await buildServer(hub, {
      logger: options.logger ?? false,
      screensDir: options.screensDir ?? DEFAULT_SCREENS_DIR,
    });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost =
      options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
    let stopped: Promise<void> | undefined;
    return {
      hub,
      app,
      url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
      stop: () => (stopped ??= app.close().finally(() => hub.close())),
    };
  } catch (error) {
    hub.close();
    throw error;
  }
}
