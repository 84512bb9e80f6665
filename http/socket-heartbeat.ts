// Finds WebSocket peers that vanished without closing (a TV unplugged, a hub whose cable was
// pulled): every interval each socket must have answered the previous ping, or it is terminated,
// so the hub and the server never keep writing to the dead.
import type { WebSocket } from 'ws';

export class SocketHeartbeat {
  private readonly alive = new WeakSet<WebSocket>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** The sockets open now, read at each beat. */
    private readonly sockets: () => Iterable<WebSocket>,
    intervalMs = 30_000,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  /** Starts watching a newly opened socket. */
  watch(socket: WebSocket): void {
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const socket of this.sockets()) {
      if (!this.alive.has(socket)) {
        socket.terminate();
        continue;
      }
      this.alive.delete(socket);
      socket.ping();
    }
  }
}
