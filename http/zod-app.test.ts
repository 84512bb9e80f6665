import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createZodApp, CLOSE_GRACE_MS, type ZodApp } from './zod-app';

let app: ZodApp | null = null;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = null;
});

async function echoApp(): Promise<string> {
  app = await createZodApp({
    logger: false,
    bodyLimit: 1024,
    who: 'the test app',
    openapi: { title: 't', description: 't', securityScheme: 'device' },
  });
  app.post('/echo', { schema: { body: z.object({ text: z.string() }) } }, (request) => ({
    text: request.body.text,
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return String((app.server.address() as AddressInfo).port);
}

describe('createZodApp', () => {
  it('closes within its grace period although a client stalls half-way through a request', async () => {
    const port = await echoApp();
    const received = once(app!.server, 'request');
    const stalled = net.connect(Number(port), '127.0.0.1');
    sockets.push(stalled);
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    // Headers and half the announced body, then nothing: Node would wait minutes for the rest.
    stalled.write(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"text":',
    );
    // The server has the request (headers parsed, body pending) before it is asked to close.
    await received;
    const cut = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    const started = Date.now();
    await app!.close();
    await cut;
    const took = Date.now() - started;
    app = null;
    expect(took).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 50);
    expect(took).toBeLessThan(CLOSE_GRACE_MS + 5000);
  });
});
