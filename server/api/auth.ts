// Who is calling: the admin (admin token) or a branch hub (its branch token), given as
// `Authorization: Bearer <token>`, or `?token=` on the poke WebSocket. Tokens are looked up by
// their SHA-256; a short cache spares the database one query per push without making instances
// stateful (a token is at most CACHE_TTL_MS stale on another instance).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerStore } from '../store/ports';
import { hashToken } from '../store/tokens';
import { errorBody } from '../../http/api-error';

export type Caller = { kind: 'admin' } | { kind: 'branch'; branchId: string };
export type Access = 'admin' | 'branch';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; absent means public. */
    access?: Access;
    /** Whether `?token=` is accepted (WebSocket routes only: browsers cannot set their headers). */
    queryToken?: boolean;
  }
}

const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;

function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S{1,512})$/i.exec(header)?.[1] ?? '';
  if (request.routeOptions.config.queryToken) {
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string' && token.length > 0 && token.length <= 512) return token;
  }
  return null;
}

export function installAuth(app: FastifyInstance, store: ServerStore): void {
  const cache = new Map<string, { caller: Caller; until: number }>();

  async function identify(token: string): Promise<Caller | null> {
    const hash = hashToken(token);
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    let caller: Caller | null = null;
    if (token.startsWith('gsa_')) {
      if (await store.isAdminToken(hash)) caller = { kind: 'admin' };
    } else if (token.startsWith('gsb_')) {
      const branchId = await store.branchIdForToken(hash);
      if (branchId) caller = { kind: 'branch', branchId };
    }
    if (caller) {
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(hash, { caller, until: Date.now() + CACHE_TTL_MS });
    }
    return caller;
  }

  app.decorateRequest('caller', null);
  // onRequest runs before the body is read: an unauthenticated caller learns nothing about schemas.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    const token = presentedToken(request);
    request.caller = token ? await identify(token) : null;
    if (!request.caller)
      return reply
        .code(401)
        .send(
          errorBody(
            'unauthorized',
            token === null ? 'A token is required.' : 'This token is unknown.',
          ),
        );
    if (request.caller.kind !== access)
      return reply
        .code(403)
        .send(
          errorBody(
            'forbidden',
            access === 'admin'
              ? 'Only the admin token may do this.'
              : 'Only a branch token may do this.',
          ),
        );
  });
}

/** The branch whose token called a branch route. */
export function branchOf(request: FastifyRequest): string {
  const caller = request.caller;
  if (caller?.kind !== 'branch')
    throw new Error('branchOf called on a route without branch access');
  return caller.branchId;
}
