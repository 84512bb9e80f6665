// The agent's API for its kiosk screen: the same /api/v1 health, services and tickets routes as
// the hub's. Online they are the hub's answers, relayed; offline, services come from the last
// known state and tickets from this agent's number blocks. Nothing for counters: calling is the
// hub's alone, so no visitor is ever called twice.
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IssueTicketBody } from '../../core/api/schemas';
import { errorBody } from '../../http/api-error';
import { createZodApp, type ZodApp } from '../../http/zod-app';
import { TOKEN_COOKIE } from '../api/auth';
import { IdParams } from '../api/params';
import { registerScreens } from '../api/screens';
import { NoOfflineNumbers, type AgentIssuer } from './agent-issuer';
import type { AgentMeta } from './agent-meta';
import { forwardToHub, HubUnreachable, type ForwardOptions } from './hub-forward';

export interface AgentServerDeps {
  issuer: AgentIssuer;
  meta: AgentMeta;
  forward: ForwardOptions;
  /** Called after a ticket was issued offline: push it as soon as the hub answers. */
  onOfflineIssue(): void;
  isOnline(): boolean;
  screensDir?: string;
  logger?: boolean | { level: string };
}

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;
const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export async function buildAgentServer(deps: AgentServerDeps): Promise<ZodApp> {
  const app = await createZodApp({
    logger: deps.logger ?? false,
    bodyLimit: 64 * 1024,
    who: 'the kiosk agent',
    openapi: {
      title: 'Guichet kiosk agent',
      description: "A kiosk's local agent: see docs/sync.md.",
      securityScheme: 'device',
    },
  });
  await app.register(fastifyCookie);
  // The kiosk screen presents the same kiosk token the agent holds for the hub.
  const expected = digest(deps.forward.token);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith('/api/') || request.url === '/api/v1/health') return;
    const match = /^Bearer\s+(\S{1,512})$/i.exec(request.headers.authorization ?? '');
    const presented = match?.[1] ?? request.cookies[TOKEN_COOKIE];
    if (!presented || !timingSafeEqual(digest(presented), expected))
      return reply
        .code(401)
        .send(errorBody('unauthorized', 'This kiosk token is not accepted here.'));
  });

  app.get('/api/v1/health', () => ({
    status: 'ok' as const,
    hub: deps.isOnline() ? ('online' as const) : ('offline' as const),
  }));

  app.get('/api/v1/services', async (_request, reply) => {
    try {
      const answer = await forwardToHub(deps.forward, 'GET', '/api/v1/services');
      return reply.code(answer.status).send(answer.body);
    } catch (error) {
      if (!(error instanceof HubUnreachable)) throw error;
      const services = deps.meta.services();
      if (services) return reply.header('x-guichet-offline', 'true').send(services);
      return reply
        .code(503)
        .send(
          errorBody('hub_unreachable', 'The hub is unreachable and no services are known yet.'),
        );
    }
  });

  app.post('/api/v1/tickets', { schema: { body: IssueTicketBody } }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key)))
      return reply
        .code(400)
        .send(
          errorBody(
            'invalid_idempotency_key',
            'Idempotency-Key must be 1 to 128 printable ASCII characters.',
          ),
        );
    // A key answered here offline is answered here again: forwarding it would issue twice.
    const earlier = key ? deps.issuer.replay(key) : null;
    if (earlier) return reply.code(201).header('idempotent-replayed', 'true').send(earlier);
    try {
      const answer = await forwardToHub(deps.forward, 'POST', '/api/v1/tickets', request.body, key);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    } catch (error) {
      if (!(error instanceof HubUnreachable)) throw error;
    }
    try {
      const issued = deps.issuer.issue(request.body, key ?? null);
      deps.onOfflineIssue();
      return reply.code(201).header('x-guichet-offline', 'true').send(issued);
    } catch (error) {
      if (error instanceof NoOfflineNumbers)
        return reply.code(503).send(errorBody('hub_unreachable', error.message));
      throw error;
    }
  });

  app.get(
    '/api/v1/tickets/:id',
    { schema: { params: IdParams, querystring: z.object({}).strict() } },
    async (request, reply) => {
      const local = deps.issuer.find(request.params.id);
      try {
        const answer = await forwardToHub(
          deps.forward,
          'GET',
          `/api/v1/tickets/${encodeURIComponent(request.params.id)}`,
        );
        // Not pushed yet: the hub does not know the ticket, this agent does.
        if (answer.status === 404 && local) return reply.send(local);
        return reply.code(answer.status).send(answer.body);
      } catch (error) {
        if (!(error instanceof HubUnreachable)) throw error;
        if (local) return reply.header('x-guichet-offline', 'true').send(local);
        return reply
          .code(503)
          .send(errorBody('hub_unreachable', 'The hub is unreachable: try again shortly.'));
      }
    },
  );

  if (deps.screensDir) await registerScreens(app, deps.screensDir);
  return app;
}
