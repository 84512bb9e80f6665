// The agent's API for its kiosk screen: the same /api/v1 routes the kiosk screen uses on a hub
// (agent-kiosk-routes.ts) and its live stream (agent-stream.ts), plus the screens. Online they are
// the hub's answers, relayed; offline, reads come from the last known state and tickets from this
// agent's number blocks. Nothing for counters: calling is the hub's alone, so no visitor is ever
// called twice.
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../http/api-error';
import { createZodApp, type ZodApp } from '../../http/zod-app';
import { TOKEN_COOKIE } from '../api/auth';
import { registerScreens } from '../api/screens';
import type { AgentIssuer } from './agent-issuer';
import { registerAgentKioskRoutes } from './agent-kiosk-routes';
import type { AgentMeta } from './agent-meta';
import type { AgentPrinting } from './agent-printing';
import type { AgentStream } from './agent-stream';
import type { ForwardOptions } from './hub-forward';
import { agentTokenMatcher } from './agent-token';

export interface AgentServerDeps {
  issuer: AgentIssuer;
  meta: AgentMeta;
  forward: ForwardOptions;
  /** Called after a ticket was issued offline: push it as soon as the hub answers. */
  onOfflineIssue(): void;
  isOnline(): boolean;
  /** The kiosk's live stream; without one, /api/v1/stream is not served. */
  stream?: AgentStream;
  printing?: AgentPrinting | null;
  /** Base of follow-up URLs for tickets issued here (default: the hub's URL). */
  followUpBase?: () => string;
  screensDir?: string;
  logger?: boolean | { level: string };
}

/** Routes any caller may use: the agent's health, and pairing (which checks the token itself). */
const PUBLIC_ROUTES = new Set(['/api/v1/health', '/api/v1/pair']);
const STREAM_ROUTE = '/api/v1/stream';

/** The token a request presents: header, pairing cookie, or (the stream only) `?token=`. */
function presentedToken(request: FastifyRequest, path: string): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S{1,512})$/i.exec(header)?.[1] ?? null;
  const cookie = request.cookies[TOKEN_COOKIE];
  if (cookie) return cookie;
  // Browsers cannot set a WebSocket's headers; the hub accepts ?token= there too.
  if (path !== STREAM_ROUTE) return null;
  const token = new URLSearchParams(request.url.slice(path.length)).get('token');
  return token && token.length <= 512 ? token : null;
}

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
  const isAgentToken = agentTokenMatcher(deps.forward.token);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || PUBLIC_ROUTES.has(path)) return;
    const presented = presentedToken(request, path);
    if (!presented || !isAgentToken(presented))
      return reply
        .code(401)
        .send(errorBody('unauthorized', 'This kiosk token is not accepted here.'));
  });

  app.get('/api/v1/health', () => ({
    status: 'ok' as const,
    hub: deps.isOnline() ? ('online' as const) : ('offline' as const),
  }));

  registerAgentKioskRoutes(app, {
    issuer: deps.issuer,
    meta: deps.meta,
    forward: deps.forward,
    printing: deps.printing ?? null,
    onOfflineIssue: deps.onOfflineIssue,
    followUpBase: deps.followUpBase ?? (() => deps.meta.followUpBase() ?? deps.forward.hubUrl),
  });
  deps.stream?.register(app);

  if (deps.screensDir) await registerScreens(app, deps.screensDir);
  return app;
}
