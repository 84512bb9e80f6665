// The hub's LAN API: Fastify with zod schemas, device auth, one error shape, OpenAPI and the stream.
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyReply, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerBranchRoutes } from '../features/branch/branch-routes';
import { registerCounterRoutes } from '../features/counters/counter-routes';
import { registerDeviceRoutes } from '../features/devices/device-routes';
import { registerServiceRoutes } from '../features/services/service-routes';
import { registerStatsRoutes } from '../features/stats/stats-routes';
import { registerTicketRoutes } from '../features/tickets/ticket-routes';
import { registerPublicTicketRoutes } from '../features/tickets/public-ticket-routes';
import { registerAppointmentRoutes } from '../features/appointments/appointment-routes';
import { registerCodeRoutes } from '../features/codes/code-routes';
import { registerPrintingRoutes } from '../features/printing/printing-routes';
import { registerScannerRoutes } from '../features/scanning/scanner-routes';
import type { Hub } from '../hub';
import { installAuth, READ_ROLES } from './auth';
import { errorBody, installErrorHandlers } from './errors';
import { registerScreens } from './screens';
import { registerStream } from './stream';
import type { ZodApp } from './zod-app';

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Where the built screens are; they are served when present. */
  screensDir?: string;
}

/** Requests are small JSON commands: anything bigger is refused before it is read. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildServer(hub: Hub, options: ServerOptions = {}): Promise<ZodApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Request URLs may hold a stream token (?token=): our own log lines leave the query out.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // A URL Fastify cannot even decode (bad percent-encoding) still gets our error shape.
    frameworkErrors: (_error, _request, reply: FastifyReply) => {
      reply
        .code(400)
        .send(errorBody('invalid_request', 'The request URL is not valid (bad percent-encoding).'));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Guichet branch hub',
        version: '1.0.0',
        description: 'LAN API of a Guichet branch hub. See docs/api.md.',
      },
      components: { securitySchemes: { device: { type: 'http', scheme: 'bearer' } } },
      security: [{ device: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  installAuth(app, hub);

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

  registerDeviceRoutes(app, hub);
  registerBranchRoutes(app, hub);
  registerServiceRoutes(app, hub);
  registerCounterRoutes(app, hub);
  registerTicketRoutes(app, hub);
  registerPublicTicketRoutes(app, hub);
  registerStatsRoutes(app, hub);
  registerPrintingRoutes(app, hub);
  registerAppointmentRoutes(app, hub);
  registerCodeRoutes(app, hub);
  registerScannerRoutes(app, hub);
  registerStream(app, hub);
  app.get('/api/v1/openapi.json', { config: { roles: READ_ROLES }, schema: { hide: true } }, () =>
    app.swagger(),
  );
  if (options.screensDir) await registerScreens(app, options.screensDir);
  return app;
}
