// A sync request lost on a broken path (sent while the server was restarting, or into a dead
// connection) is never answered and never fails on its own: the hub would sit on it until its
// timeout. Once the poke socket reconnects the path is known to work, and the hub sends again at
// once. The timeout here is 60 s, so only the resend can make the ticket reach the server within
// the 15 s the test waits.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  issue,
  serverTickets,
  startCentral,
  startSyncedHub,
  type Central,
  type SyncedHub,
} from './sync-harness';

/**
 * Between the hub and the central. Forwarding, or "broken": every connection open now is cut,
 * new plain HTTP connections are accepted and read but never answered (the lost requests), and
 * WebSocket handshakes are reset (so the poke socket keeps failing fast until the path is back).
 */
class BlackHoleProxy {
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly sockets = new Set<net.Socket>();
  private broken = false;
  /** Requests swallowed while broken. */
  swallowed = 0;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  break(): void {
    this.broken = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  heal(): void {
    this.broken = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.broken) {
      client.once('data', (head: Buffer) => {
        if (/^upgrade:\s*websocket/im.test(head.toString('latin1'))) client.resetAndDestroy();
        else this.swallowed += 1;
      });
      return;
    }
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}

let central: Central | undefined;
let hub: SyncedHub | undefined;
let proxy: BlackHoleProxy | undefined;
afterEach(async () => {
  await hub?.dispose();
  await proxy?.close();
  await central?.dispose();
  hub = central = proxy = undefined;
});

describe('a request lost on a broken path', () => {
  it('is sent again as soon as the poke socket reconnects, not after its timeout', async () => {
    central = await startCentral();
    const c = central;
    proxy = new BlackHoleProxy(Number(new URL(c.url).port));
    const p = proxy;
    hub = await startSyncedHub(c, { centralUrl: await p.listen(), requestTimeoutMs: 60_000 });
    const h = hub;
    const first = await issue(h);
    expect(first.status).toBe(201);
    const day = first.body.businessDay;
    await eventually(async () => {
      const list = await serverTickets(c, day);
      return list.length === 1 ? list : undefined;
    }, 'the first ticket on the server');

    p.break();
    const second = await issue(h);
    expect(second.status).toBe(201);
    await eventually(() => (p.swallowed > 0 ? true : undefined), 'a push lost in the proxy');
    p.heal();

    const tickets = await eventually(
      async () => {
        const list = await serverTickets(c, day);
        return list.length === 2 ? list : undefined;
      },
      'the second ticket on the server',
      15_000,
    );
    expect(tickets.map((t) => t.number).sort()).toEqual(
      [first.body.number, second.body.number].sort(),
    );
  });
});
