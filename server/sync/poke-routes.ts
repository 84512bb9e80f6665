// The poke WebSocket: after a push is stored, every other connected device of the branch gets
// {"type":"poke"} and pulls. Pokes come from the store, so with PostgreSQL a push on another
// server instance pokes our sockets too (LISTEN/NOTIFY). A poke is a hint: losing one only
// delays the next pull.
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { DeviceId } from '../../core/sync/protocol';
import { branchOf } from '../api/auth';
import type { ZodApp } from '../../http/zod-app';
import type { ServerStore } from '../store/ports';

const PING_INTERVAL_MS = 30_000;
const POKE = JSON.stringify({ type: 'poke' });

interface PokeSocket {
  socket: WebSocket;
  deviceId: string | null;
}

export function registerPokeRoutes(app: ZodApp, store: ServerStore): void {
  const byBranch = new Map<string, Set<PokeSocket>>();
  const alive = new WeakSet<WebSocket>();

  const unsubscribe = store.onPoke((poke) => {
    for (const entry of byBranch.get(poke.branchId) ?? []) {
      if (entry.deviceId !== null && entry.deviceId === poke.fromDeviceId) continue;
      if (entry.socket.readyState === entry.socket.OPEN) entry.socket.send(POKE);
    }
  });

  // Pings find sockets whose peer vanished without closing (a hub unplugged mid-connection).
  const pinger = setInterval(() => {
    for (const set of byBranch.values())
      for (const { socket } of set) {
        if (!alive.has(socket)) {
          socket.terminate();
          continue;
        }
        alive.delete(socket);
        socket.ping();
      }
  }, PING_INTERVAL_MS);
  pinger.unref();

  app.addHook('onClose', async () => {
    unsubscribe();
    clearInterval(pinger);
    for (const set of byBranch.values())
      for (const { socket } of set) socket.close(1001, 'server shutting down');
  });

  app.get(
    '/api/v1/sync/poke',
    {
      websocket: true,
      config: { access: 'branch', queryToken: true },
      schema: {
        tags: ['sync'],
        summary: 'WebSocket: {"type":"poke"} whenever another device of the branch pushed',
        querystring: z
          .object({ deviceId: DeviceId.optional(), token: z.string().max(512).optional() })
          .strict(),
      },
    },
    (socket, request) => {
      const branchId = branchOf(request);
      const query = request.query as { deviceId?: string };
      const entry: PokeSocket = { socket, deviceId: query.deviceId ?? null };
      let set = byBranch.get(branchId);
      if (!set) byBranch.set(branchId, (set = new Set()));
      set.add(entry);
      alive.add(socket);
      const forget = () => {
        set.delete(entry);
        if (set.size === 0 && byBranch.get(branchId) === set) byBranch.delete(branchId);
      };
      socket.on('pong', () => alive.add(socket));
      socket.on('close', forget);
      socket.on('error', forget);
      // The other side may poke us too; the server has nothing to pull, so it only listens.
      socket.on('message', () => undefined);
    },
  );
}
