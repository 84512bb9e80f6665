// Serves the built screens (renderer/dist) so any browser on the branch network can be a kiosk,
// a display or a counter: /kiosk, /display, /counter, /admin, and their assets.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ZodApp } from '../../http/zod-app';

export const SCREENS = ['kiosk', 'display', 'counter', 'admin'] as const;

export async function registerScreens(app: ZodApp, distDir: string): Promise<boolean> {
  if (!existsSync(path.join(distDir, 'kiosk.html'))) return false;
  await app.register(fastifyStatic, {
    root: distDir,
    index: false,
    wildcard: false,
    prefix: '/',
    decorateReply: true,
  });
  // Assets have content hashes in their names: cache them for good. The HTML must stay fresh.
  app.get('/assets/*', (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(path.join('assets', file));
  });
  for (const screen of SCREENS) {
    app.get(`/${screen}`, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile(`${screen}.html`),
    );
  }
  // The follow-up page a ticket's QR code opens on a visitor's phone (built as ticket.html).
  app.get('/t/:id', (_request, reply) =>
    existsSync(path.join(distDir, 'ticket.html'))
      ? reply.header('cache-control', 'no-cache').sendFile('ticket.html')
      : reply
          .code(404)
          .send({ error: { code: 'not_found', message: 'No follow-up page in this build.' } }),
  );
  app.get('/', (_request, reply) => reply.redirect('/admin'));
  return true;
}
