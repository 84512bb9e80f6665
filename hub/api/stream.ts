// The WebSocket stream: a hello with the log position, then every committed event, serialised once
// and sent to all sockets. A socket that cannot keep up is dropped: its screen reconnects and
// resyncs from GET /api/v1/queue rather than the hub buffering without bound.
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { SocketHeartbeat } from '../../http/socket-heartbeat';
import type { Actor } from '../features/actor';
import { isInAudience } from '../features/live/live-bus';
import { actorOf, READ_ROLES } from './auth';
import type { ZodApp } from '../../http/zod-app';
import type { Hub } from '../hub';
import { toStreamMessage } from './stream-messages';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function registerStream(app: ZodApp, hub: Hub): void {
  /** Open sockets and the device each belongs to, so revoking a device closes its stream. */
  const sockets = new Map<WebSocket, Actor>();
  const heartbeat = new SocketHeartbeat(() => sockets.keys());

  /** Sends one serialised message to the sockets `wanted` picks, dropping any that lag behind. */
  function broadcast(text: string, wanted: (owner: Actor) => boolean): void {
    for (const [socket, owner] of sockets) {
      if (!wanted(owner)) continue;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.terminate();
        continue;
      }
      socket.send(text);
    }
  }

  const unsubscribe = hub.ctx.bus.subscribe((event) => {
    if (sockets.size === 0) return;
    if (event.type === 'device.revoked') closeStreamsOf(String(event.payload.deviceId));
    const message = toStreamMessage(event);
    if (message) broadcast(JSON.stringify(message), () => true);
  });

  // Live hardware messages (printer, print job, scan) go only to the devices they are for.
  const unsubscribeLive = hub.live.subscribe(({ message, to }) => {
    if (sockets.size === 0) return;
    broadcast(JSON.stringify(message), (owner) => isInAudience(to, owner.deviceId, owner.role));
  });

  function closeStreamsOf(deviceId: string): void {
    for (const [socket, owner] of sockets) {
      if (owner.deviceId === deviceId) socket.close(4401, 'device revoked');
    }
  }

  app.addHook('onClose', async () => {
    unsubscribe();
    unsubscribeLive();
    heartbeat.stop();
    for (const socket of sockets.keys()) socket.close(1001, 'hub shutting down');
  });

  app.get(
    '/api/v1/stream',
    {
      websocket: true,
      config: { roles: READ_ROLES, tokenInQuery: true },
      schema: {
        tags: ['stream'],
        summary: 'WebSocket: stream.hello, then every event',
        querystring: z.object({ token: z.string().max(512).optional() }).strict(),
      },
    },
    (socket, request) => {
      sockets.set(socket, actorOf(request));
      heartbeat.watch(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => sockets.delete(socket));
      // The stream is one-way: a client that talks is ignored rather than parsed.
      socket.on('message', () => undefined);
      socket.send(
        JSON.stringify({
          type: 'stream.hello',
          seq: hub.ctx.outbox.lastSeq(),
          at: new Date(hub.ctx.clock.now()).toISOString(),
          businessDay: hub.branch.businessDayNow(),
        }),
      );
      // A screen that connects while the central link is already down learns it now, not at the
      // next change.
      const sync = hub.sync.message();
      if (sync.linked) socket.send(JSON.stringify(sync));
    },
  );
}
