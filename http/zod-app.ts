// The Fastify app both the hub and the central server build: zod schemas as the type provider
// (validation, serialisation, OpenAPI), one error shape, quiet request logs, a WebSocket plugin.
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ErrorBody } from '../core/api/schemas';
import { errorBody } from './api-error';
import { installErrorHandlers } from './error-handlers';

/** The Fastify instance with zod schemas as its type provider: handlers get typed input. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The error answers a route documents in OpenAPI besides its success. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
} as const;

export interface ZodAppOptions {
  logger: FastifyServerOptions['logger'];
  bodyLimit: number;
  /** "the hub", "the server": used in error messages. */
  who: string;
  openapi: { title: string; description: string; securityScheme: string };
}

/**
 * Closing waits for requests in flight, but not for ever: a client that stalls half-way through a
 * request (or a socket whose peer vanished) would otherwise hold a hub's or server's shutdown for
 * Node's 5-minute request timeout. After this grace, what is left is cut; clients retry, and every
 * POST is idempotent.
 */
export const CLOSE_GRACE_MS = 2000;

export async function createZodApp(options: ZodAppOptions): Promise<ZodApp> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    // URLs of WebSocket routes may hold a token (?token=): our own log lines leave the query out.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // A URL Fastify cannot even decode (bad percent-encoding) still gets our error shape.
    frameworkErrors: (_error, _request, reply: FastifyReply) => {
      reply
        .code(400)
        .send(errorBody('invalid_request', 'The request URL is not valid (bad percent-encoding).'));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.addHook('preClose', (done) => {
    // Unref'd, and harmless once the server is closed: no need to clear it.
    setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    done();
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app, options.who);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: options.openapi.title,
        version: '1.0.0',
        description: options.openapi.description,
      },
      components: {
        securitySchemes: { [options.openapi.securityScheme]: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ [options.openapi.securityScheme]: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });

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
  return app;
}
