// The poke WebSocket: after a push is stored, every other connected device of the branch gets
// {"type":"poke"} and pulls. Pokes come from the store, so with PostgreSQL a push on another
// server instance pokes our sockets too (LISTEN/NOTIFY). A poke is a hint: losing one only
// delays the next pull.
import { SocketHeartbeat } from '../../http/socket-heartbeat';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { DeviceId } from '../../core/sync/protocol';
import { branchOf } from '../api/auth';
import type { ZodApp } from '../../http/zod-app';
import type { ServerStore } from '../store/ports';

const POKE = JSON.stringify({ type: 'poke' });

interface PokeSocket {
  socket: WebSocket;
  deviceId: string | null;
}

export function registerPokeRoutes(app: ZodApp, store: ServerStore): void {
  const byBranch = new Map<string, Set<PokeSocket>>();
  const heartbeat = new SocketHeartbeat(function* () {
    for (const set of byBranch.values()) for (const { socket } of set) yield socket;
  });

  const unsubscribe = store.onPoke((poke) => {
    for (const entry of byBranch.get(poke.branchId) ?? []) {
      if (entry.deviceId !== null && entry.deviceId === poke.fromDeviceId) continue;
      if (entry.socket.readyState === entry.socket.OPEN) entry.socket.send(POKE);
    }
  });

  app.addHook('onClose', async () => {
    unsubscribe();
    heartbeat.stop();
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
      heartbeat.watch(socket);
      const forget = () => {
        set.delete(entry);
        if (set.size === 0 && byBranch.get(branchId) === set) byBranch.delete(branchId);
      };
      socket.on('close', forget);
      socket.on('error', forget);
      // The other side may poke us too; the server has nothing to pull, so it only listens.
      socket.on('message', () => undefined);
    },
  );
}
