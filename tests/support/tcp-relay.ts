// A TCP relay in front of a loopback server (a hub, the central server) that a test breaks and
// heals, so the client sees the network fail while the server stays up for everyone else. Two
// ways to break it: `cut` (connections refused and dropped: the client gets an error at once) and
// `swallow` (the silent failure: connections accepted and read, never answered).
import net from 'node:net';

export interface Relay {
  url: string;
  /** Refuses new connections and drops open ones: the client sees an unreachable server. */
  cut(): void;
  /**
   * Drops open connections, then accepts new ones and reads their request without ever answering
   * (a request lost on a broken path). WebSocket handshakes are reset instead, so a poke socket
   * keeps failing fast and reconnects as soon as the relay heals.
   */
  swallow(): void;
  /** Requests read and never answered while swallowing. */
  readonly swallowed: number;
  heal(): void;
  close(): Promise<void>;
}

const WEBSOCKET_UPGRADE = /^upgrade:\s*websocket/im;

/** A TCP relay to `targetPort` on 127.0.0.1. */
export async function startRelay(targetPort: number): Promise<Relay> {
  let mode: 'up' | 'cut' | 'swallow' = 'up';
  let swallowed = 0;
  const sockets = new Set<net.Socket>();
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const server = net.createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    sockets.add(client);
    if (mode === 'swallow') {
      client.on('error', () => undefined).on('close', () => sockets.delete(client));
      client.once('data', (head: Buffer) => {
        if (WEBSOCKET_UPGRADE.test(head.toString('latin1'))) client.resetAndDestroy();
        else swallowed += 1;
      });
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      mode = 'cut';
      dropAll();
    },
    swallow() {
      mode = 'swallow';
      dropAll();
    },
    get swallowed() {
      return swallowed;
    },
    heal() {
      mode = 'up';
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
