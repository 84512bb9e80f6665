// Running the central server: open the store, build the API, listen; stop closes both.
import type { FastifyServerOptions } from 'fastify';
import { buildServerApp } from './api/build-app';
import type { ZodApp } from '../http/zod-app';
import { openStore, type StoreLocation } from './store/open-store';
import type { ServerStore } from './store/ports';

export interface RunningServer {
  app: ZodApp;
  store: ServerStore;
  url: string;
  stop(): Promise<void>;
}

export interface StartServerOptions extends StoreLocation {
  host: string;
  port: number;
  logger?: FastifyServerOptions['logger'];
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store = await openStore({
    ...options,
    onListenError: (error) => app?.log.warn({ err: error }, 'LISTEN connection lost; reconnecting'),
  });
  let app: ZodApp | undefined;
  try {
    app = await buildServerApp(store, { logger: options.logger ?? false });
    const url = await app.listen({ host: options.host, port: options.port });
    const running = app;
    return {
      app: running,
      store,
      url: url.replace('[::1]', '127.0.0.1'),
      async stop() {
        await running.close();
        await store.close();
      },
    };
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
}
