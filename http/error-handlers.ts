// One error shape for every failure, shared by the hub and the central server. Whatever a client
// sends ends in a 4xx; only our own faults are 5xx, and those are logged.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, errorBody } from './api-error';

/** Fastify's own client-error codes, translated to stable names for clients. */
const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

/** Database codes (SQLite, PostgreSQL) meaning "the write conflicts with the state". */
const isConstraint = (code: string): boolean =>
  code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
/** Database and network codes meaning "try again shortly", not "you sent something wrong". */
const RETRY_LATER = new Set([
  'SQLITE_BUSY',
  '40001',
  '40P01',
  '55P03',
  '53300',
  '57P03',
  '57P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

function validationMessage(
  error: FastifyError & { validation: { instancePath?: string; message?: string }[] },
): string {
  const where = error.validationContext ?? 'request';
  const details = error.validation
    .slice(0, 5)
    .map(
      (v) =>
        `${v.instancePath ? v.instancePath.replace(/^\//, '').replace(/\//g, '.') : where}: ${v.message ?? 'invalid'}`,
    )
    .join('; ');
  return `Invalid ${where}: ${details}`;
}

/** `who` names the service in messages: "the hub", "the server". */
export function installErrorHandlers(app: FastifyInstance, who: string): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError)
      return reply.code(error.status).send(errorBody(error.code, error.message));
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send(errorBody('invalid_request', validationMessage(error)));
    }
    if (error instanceof SyntaxError) {
      return reply.code(400).send(errorBody('invalid_json', 'The request body is not valid JSON.'));
    }
    const code = typeof error.code === 'string' ? error.code : '';
    const fastifyCode = FASTIFY_CLIENT_ERRORS[code];
    if (
      fastifyCode !== undefined ||
      (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    ) {
      return reply
        .code(error.statusCode ?? 400)
        .send(errorBody(fastifyCode ?? 'invalid_request', error.message));
    }
    if (isConstraint(code)) {
      return reply
        .code(409)
        .send(
          errorBody(
            'conflict',
            'The change conflicts with the current state; nothing was written.',
          ),
        );
    }
    if (RETRY_LATER.has(code)) {
      request.log.warn({ err: error }, 'busy or unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          errorBody('busy', `${capitalise(who)} is busy; retry in a moment. Nothing was written.`),
        );
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send(
        errorBody(
          'internal_error',
          `${capitalise(who)} failed to handle this request; nothing was written.`,
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

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
