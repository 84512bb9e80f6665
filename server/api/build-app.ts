// The central server's HTTP API: Fastify with zod schemas, token auth, one error shape, OpenAPI,
// the sync endpoints for hubs and the admin API.
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
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
import { installErrorHandlers } from './errors';
import type { ZodApp } from './zod-app';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** A push of 256 KB of events plus its envelope; nothing else the server takes is bigger. */
const BODY_LIMIT_BYTES = MAX_PUSH_BYTES + 16 * 1024;

export async function buildServerApp(
  store: ServerStore,
  options: AppOptions = {},
): Promise<ZodApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // URLs of the poke socket may hold a token (?token=): our own log lines leave the query out.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Guichet central server',
        version: '1.0.0',
        description: 'Sync for branch hubs and the admin API. See docs/server.md and docs/sync.md.',
      },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  installAuth(app, store);

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

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
