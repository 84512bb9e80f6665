// Who is calling: a device token from the Authorization header, the pairing cookie, or (for the
// WebSocket stream only, since browsers cannot set its headers) the `token` query parameter.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../core/api/schemas';
import type { Actor } from '../features/actor';
import type { Hub } from '../hub';
import { errorBody } from '../../http/api-error';

export const TOKEN_COOKIE = 'guichet_token';
/** A year: a paired screen stays paired until someone unpairs it. */
const TOKEN_COOKIE_MAX_AGE_SEC = 365 * 24 * 3600;

/** Pairs the screen that sent `request`: its token in an HttpOnly cookie, never in page storage. */
export function setTokenCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.setCookie(TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    maxAge: TOKEN_COOKIE_MAX_AGE_SEC,
    secure: request.protocol === 'https',
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means public. */
    roles?: readonly Role[];
    /** Whether `?token=` is accepted (the stream only). */
    tokenInQuery?: boolean;
  }
}

export const READ_ROLES: readonly Role[] = ['kiosk', 'display', 'counter', 'admin'];
export const ADMIN: readonly Role[] = ['admin'];
export const COUNTER_OR_ADMIN: readonly Role[] = ['counter', 'admin'];
export const KIOSK_OR_ADMIN: readonly Role[] = ['kiosk', 'admin'];

function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    return match?.[1] ?? '';
  }
  const cookie = request.cookies[TOKEN_COOKIE];
  if (cookie) return cookie;
  if (request.routeOptions.config.tokenInQuery) {
    const query = request.query as Record<string, unknown> | undefined;
    const token = query?.token;
    if (typeof token === 'string' && token.length > 0 && token.length <= 512) return token;
  }
  return null;
}

export function installAuth(app: FastifyInstance, hub: Hub): void {
  app.decorateRequest('actor', null);
  // onRequest runs before the body is read: an unauthenticated caller learns nothing about schemas.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const roles = request.routeOptions.config.roles;
    const token = presentedToken(request);
    request.actor = token ? hub.devices.authenticate(token) : null;
    if (!roles) return;
    if (!request.actor) {
      return reply
        .code(401)
        .send(
          errorBody(
            'unauthorized',
            token === null
              ? 'A device token is required.'
              : 'This device token is unknown or revoked.',
          ),
        );
    }
    if (!roles.includes(request.actor.role)) {
      return reply
        .code(403)
        .send(errorBody('forbidden', `A ${request.actor.role} device may not do this.`));
    }
  });
}

/** The authenticated caller of a route that declared roles. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('actorOf called on a public route');
  return request.actor;
}
