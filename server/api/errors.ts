// One error shape for every failure: {"error":{"code","message"}}. Whatever a client sends ends in
// a 4xx; only the server's own faults (its database gone, a bug) are 5xx, and those are logged.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ServerError } from '../server-error';

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

/** PostgreSQL and SQLite codes meaning "try again shortly", not "you sent something wrong". */
const BUSY_CODES = new Set(['40001', '40P01', '55P03', '53300', '57P03', 'SQLITE_BUSY']);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01']);

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServerError)
      return reply.code(error.status).send(errorBody(error.code, error.message));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const details = error.validation
        .slice(0, 5)
        .map(
          (v) =>
            `${v.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : where}: ${v.message ?? 'invalid'}`,
        )
        .join('; ');
      return reply.code(400).send(errorBody('invalid_request', `Invalid ${where}: ${details}`));
    }
    if (error instanceof SyntaxError)
      return reply.code(400).send(errorBody('invalid_json', 'The request body is not valid JSON.'));
    const fastifyCode =
      typeof error.code === 'string' ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (
      fastifyCode !== undefined ||
      (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    )
      return reply
        .code(error.statusCode ?? 400)
        .send(errorBody(fastifyCode ?? 'invalid_request', error.message));
    const code = typeof error.code === 'string' ? error.code : '';
    if (code === '23505' || code.startsWith('SQLITE_CONSTRAINT'))
      return reply
        .code(409)
        .send(
          errorBody(
            'conflict',
            'The change conflicts with the current state; nothing was written.',
          ),
        );
    if (BUSY_CODES.has(code) || UNAVAILABLE_CODES.has(code)) {
      request.log.warn({ err: error }, 'store busy or unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          errorBody('unavailable', 'The server is busy; retry in a moment. Nothing was written.'),
        );
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send(
        errorBody(
          'internal_error',
          'The server failed to handle this request; nothing was written.',
        ),
      );
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(
        errorBody('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
      );
  });
}
