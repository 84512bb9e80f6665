// The poke WebSocket to the upstream (docs/sync.md, "Pokes"): it carries only {"type":"poke"},
// meaning "something changed, pull". Kept open with reconnects (backoff with full jitter); a lost
// poke only delays the next pull, which also runs on a timer, so nothing here is critical.
import WebSocket from 'ws';
import { retryDelayMs } from '../../core/sync/backoff';
import { PokeMessage } from '../../core/sync/protocol';

const HANDSHAKE_TIMEOUT_MS = 4_000;

export interface PokeSocketOptions {
  /** The upstream's http(s) base URL. */
  baseUrl: string;
  token: string;
  deviceId: string;
  onPoke(): void;
  /**
   * Connected (again): the caller syncs now, since pokes were missed while it was down.
   * `attemptStartedAt` (performance.now()) is when this connection began: the path worked then.
   */
  onOpen(attemptStartedAt: number): void;
  /** Delay before reconnect attempt n (default: core/sync/backoff full jitter). */
  retryDelay?: (attempt: number) => number;
}

export class PokeSocket {
  private socket: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: PokeSocketOptions) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    }
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private connect(): void {
    if (this.closed) return;
    const url = new URL(this.options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/sync/poke`;
    url.searchParams.set('deviceId', this.options.deviceId);
    const attemptStartedAt = performance.now();
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.options.token}` },
      // As long as a sync request may wait (sync-http.ts): a lost handshake must not keep the
      // socket, and the reconnect it signals, away for longer.
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.failures = 0;
      this.options.onOpen(attemptStartedAt);
    });
    socket.on('message', (data) => {
      let json: unknown;
      try {
        json = JSON.parse(String(data));
      } catch {
        return;
      }
      if (PokeMessage.safeParse(json).success) this.options.onPoke();
    });
    // 'close' follows 'error' too: reconnect from one place only.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = (this.options.retryDelay ?? retryDelayMs)(this.failures++);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
    this.timer.unref();
  }
}
