// The central server's HTTP API: Fastify with zod schemas, token auth, one error shape, OpenAPI,
// the sync endpoints for hubs and the admin API.
import type { FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import { MAX_PUSH_BYTES } from '../../core/sync/protocol';
import { registerBranchRoutes } from '../branches/branch-routes';
import { registerConfigRoutes } from '../branches/config-routes';
import { registerTicketRoutes } from '../branches/ticket-routes';
import { registerReportRoutes } from '../reports/report-routes';
import type { ServerStore } from '../store/ports';
import { registerPokeRoutes } from '../sync/poke-routes';
import { registerSyncRoutes } from '../sync/sync-routes';
import { installAuth } from './auth';
import { createZodApp, type ZodApp } from '../../http/zod-app';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** A push of 256 KB of events plus its envelope; nothing else the server takes is bigger. */
const BODY_LIMIT_BYTES = MAX_PUSH_BYTES + 16 * 1024;

export async function buildServerApp(
  store: ServerStore,
  options: AppOptions = {},
): Promise<ZodApp> {
  const app = await createZodApp({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    who: 'the server',
    openapi: {
      title: 'Guichet central server',
      description: 'Sync for branch hubs and the admin API. See docs/server.md and docs/sync.md.',
      securityScheme: 'token',
    },
  });
  installAuth(app, store);

  app.get(
    '/api/v1/health',
    { schema: { response: { 200: z.object({ status: z.literal('ok'), store: z.string() }) } } },
    async () => ({ status: 'ok' as const, store: store.kind }),
  );
  registerSyncRoutes(app, store);
  registerPokeRoutes(app, store);
  registerBranchRoutes(app, store);
  registerConfigRoutes(app, store);
  registerTicketRoutes(app, store);
  registerReportRoutes(app, store);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  return app;
}
