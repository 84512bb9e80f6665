// The hub's LAN API: Fastify with zod schemas, device auth, one error shape, OpenAPI and the stream.
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCookie from '@fastify/cookie';
import type { FastifyServerOptions } from 'fastify';
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
import { registerAgentSyncRoutes } from '../features/agent-sync/agent-sync-routes';
import type { Hub } from '../hub';
import { installAuth, READ_ROLES } from './auth';
import { registerScreens } from './screens';
import { registerStream } from './stream';
import { createZodApp, type ZodApp } from '../../http/zod-app';

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Where the built screens are; they are served when present. */
  screensDir?: string;
}

/** Requests are small JSON commands: anything bigger is refused before it is read. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildServer(hub: Hub, options: ServerOptions = {}): Promise<ZodApp> {
  const app = await createZodApp({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    who: 'the hub',
    openapi: {
      title: 'Guichet branch hub',
      description: 'LAN API of a Guichet branch hub. See docs/api.md.',
      securityScheme: 'device',
    },
  });
  await app.register(fastifyCookie);
  // Only routes that ask for it (config.rateLimit) are limited: the tokenless public one.
  await app.register(fastifyRateLimit, { global: false });
  installAuth(app, hub);

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
  registerAgentSyncRoutes(app, hub);
  registerStream(app, hub);
  app.get('/api/v1/openapi.json', { config: { roles: READ_ROLES }, schema: { hide: true } }, () =>
    app.swagger(),
  );
  if (options.screensDir) await registerScreens(app, options.screensDir);
  return app;
}
