// Serves app:// in a session from the pure router's answers: files with our security headers,
// API calls proxied to the hub with the session's device token.
import { readFile } from 'node:fs/promises';
import type { Session } from 'electron';
import { net } from 'electron';
import { securityHeaders } from '../security/content-security-policy';
import { APP_SCHEME, routeAppRequest, type AppRouterOptions } from './app-protocol';

export function registerAppProtocol(
  session: Session,
  options: AppRouterOptions & {
    deviceToken: () => string | undefined;
    connectTo: readonly string[];
  },
): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const route = routeAppRequest(request.url, options);
    if (route.kind === 'not-found') return new Response('Not found', { status: 404 });
    if (route.kind === 'proxy') {
      const headers = new Headers(request.headers);
      headers.delete('cookie');
      const token = options.deviceToken();
      if (token) headers.set('authorization', `Bearer ${token}`);
      return net.fetch(route.url, {
        method: request.method,
        headers,
        body: request.body,
        // Required by fetch when streaming a request body.
        ...(request.body ? { duplex: 'half' } : {}),
      } as RequestInit);
    }
    try {
      const body = await readFile(route.file);
      return new Response(body, {
        headers: {
          'content-type': route.contentType,
          ...securityHeaders({ connectTo: options.connectTo }),
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
