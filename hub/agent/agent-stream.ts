// The kiosk screen's live stream (`/api/v1/stream`) served by the agent. One WebSocket to the
// hub's stream is kept open (reconnecting with backoff and full jitter, a heartbeat to notice a
// silent hub); while it is up every message the hub sends is checked with zod and relayed, so the
// kiosk sees exactly the hub's stream. When it drops, the kiosk's sockets stay open: the agent
// tells them the hub is unreachable with a `sync.status` marked `link: 'hub'` (the kiosk's
// discreet badge) and greets new ones with its own hello. When the hub is back its hello is
// relayed (the kiosk resyncs if the log moved) with a `sync.status` that clears the badge. The
// agent's own printer messages go to the kiosk in either case; the hub's printer messages are not
// about this kiosk's printer then.
import WebSocket from 'ws';
import { z } from 'zod';
import {
  AnyStreamMessage,
  type HubLiveMessage,
  type StreamHello,
  type SyncStatusEvent,
} from '../../core/api/schemas';
import { retryDelayMs } from '../../core/sync/backoff';
import { SocketHeartbeat } from '../../http/socket-heartbeat';
import type { ZodApp } from '../../http/zod-app';
import type { Clock } from '../clock';

/** connecting: the first dial, not answered yet; online: the hub said hello; offline: it did not. */
export type HubLinkState = 'connecting' | 'online' | 'offline';

export interface AgentStreamOptions {
  hubUrl: string;
  token: string;
  clock: Clock;
  log: {
    warn(object: object, message: string): void;
    debug(object: object, message: string): void;
  };
  /** The branch's business day now, as the agent knows it (null before the hub told it). */
  businessDay(): string | null;
  /** The log position to greet with before the hub ever greeted this agent (the cached queue's). */
  initialSeq(): number;
  /** Events of the agent's own log the hub has not acknowledged yet (offline tickets). */
  backlog(): number;
  /** The agent prints on its own printer: the hub's printer messages are not this kiosk's. */
  ownPrinter: boolean;
  /** Delay before reconnect attempt n (default: core/sync/backoff, full jitter, 3 s cap). */
  retryDelay?: (attempt: number) => number;
  /** How long the first dial may take before the kiosk is greeted offline. */
  connectTimeoutMs?: number;
  /** Ping period toward the hub: a hub that stops answering is dropped after two. */
  heartbeatMs?: number;
}

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_HUB_MESSAGE_BYTES = 1024 * 1024;
const StreamQuery = z.object({ token: z.string().max(512).optional() }).strict();

export class AgentStream {
  private link: HubLinkState = 'connecting';
  private upstream: WebSocket | null = null;
  private upstreamGreeted = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  /** Last log position the hub named (hello or event). */
  private lastSeq: number | null = null;
  private hubBusinessDay: string | undefined;
  /** The hub's own last `sync.status` on this connection (replayed to new kiosk sockets). */
  private hubSync: SyncStatusEvent | null = null;
  private lastOnlineAt: number | null = null;
  private lastError: string | null = null;
  private refused = false;
  /** Kiosk sockets greeted, and those waiting for the first dial to settle. */
  private readonly kiosks = new Set<WebSocket>();
  private readonly waiting = new Set<WebSocket>();
  private readonly kioskBeat = new SocketHeartbeat(() => [...this.kiosks, ...this.waiting]);
  private readonly upstreamBeat: SocketHeartbeat;
  private readonly stateListeners = new Set<(state: HubLinkState) => void>();

  constructor(private readonly o: AgentStreamOptions) {
    this.upstreamBeat = new SocketHeartbeat(
      // Only an open socket can be pinged (ws throws while it is still connecting).
      () => (this.upstream?.readyState === WebSocket.OPEN ? [this.upstream] : []),
      o.heartbeatMs ?? 10_000,
    );
  }

  /** Whether the hub's stream is relayed now. */
  get state(): HubLinkState {
    return this.link;
  }

  /** Called on every change of `state` (tests wait on it; nothing else polls). */
  onState(listener: (state: HubLinkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  register(app: ZodApp): void {
    app.addHook('onClose', async () => {
      await this.stop();
      for (const socket of [...this.kiosks, ...this.waiting]) socket.close(1001, 'agent stopping');
    });
    app.get(
      '/api/v1/stream',
      {
        websocket: true,
        schema: {
          tags: ['stream'],
          summary:
            "WebSocket: the hub's stream relayed, or the agent's own while it is unreachable",
          querystring: StreamQuery,
        },
      },
      (socket) => {
        this.kioskBeat.watch(socket);
        const forget = () => {
          this.kiosks.delete(socket);
          this.waiting.delete(socket);
        };
        socket.on('close', forget);
        socket.on('error', forget);
        // One-way, as the hub's: a kiosk that talks is ignored rather than parsed.
        socket.on('message', () => undefined);
        if (this.link === 'connecting') this.waiting.add(socket);
        else this.greet(socket);
      },
    );
  }

  start(): void {
    this.stopped = false;
    this.connect();
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.link === 'connecting') this.wentOffline();
    }, this.o.connectTimeoutMs ?? 3000);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.retryTimer = this.connectTimer = null;
    this.kioskBeat.stop();
    this.upstreamBeat.stop();
    const socket = this.upstream;
    this.upstream = null;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    }
  }

  /** The agent's own live messages (its printer): to every kiosk socket, online or not. */
  publish(message: HubLiveMessage): void {
    this.broadcast(JSON.stringify(message));
  }

  // ---- the hub's stream ----

  private connect(): void {
    if (this.stopped) return;
    const url = new URL(this.o.hubUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/stream`;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.o.token}` },
      handshakeTimeout: this.o.connectTimeoutMs ?? 3000,
      maxPayload: MAX_HUB_MESSAGE_BYTES,
      perMessageDeflate: false,
    });
    this.upstream = socket;
    this.upstreamGreeted = false;
    this.upstreamBeat.watch(socket);
    socket.on('message', (data, isBinary) => {
      if (this.upstream === socket && !isBinary) this.fromHub(String(data));
    });
    socket.on('error', (error) => {
      this.lastError = error.message;
      // The hub answered the upgrade and refused it (a revoked kiosk token): not a network fault.
      this.refused = /Unexpected server response: 40[13]/.test(error.message);
    });
    // 'close' follows 'error' too: going offline and reconnecting happen in one place.
    socket.on('close', () => {
      if (this.upstream !== socket) return;
      this.upstream = null;
      this.upstreamGreeted = false;
      this.wentOffline();
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = (this.o.retryDelay ?? retryDelayMs)(this.failures++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private fromHub(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.o.log.debug({}, 'hub stream: a message that is not JSON, dropped');
      return;
    }
    const parsed = AnyStreamMessage.safeParse(json);
    if (!parsed.success) {
      // A newer hub may send types this agent does not know: the kiosk could not read them either.
      this.o.log.debug({ issues: parsed.error.issues.length }, 'hub stream: unknown message');
      return;
    }
    const message = parsed.data;
    if (message.type === 'stream.hello') {
      this.upstreamGreeted = true;
      this.failures = 0;
      this.refused = false;
      this.lastError = null;
      this.lastSeq = message.seq;
      this.hubBusinessDay = message.businessDay;
      this.lastOnlineAt = this.o.clock.now();
      this.hubSync = null;
      const wasOffline = this.link === 'offline';
      this.setLink('online');
      this.broadcast(JSON.stringify(message));
      // Clears the badge an offline spell put up; the hub's own status (if it is linked to a
      // central server) follows its hello and replaces this one.
      if (wasOffline) this.broadcast(JSON.stringify(this.status('online')));
      for (const socket of this.waiting) this.greet(socket);
      this.waiting.clear();
      return;
    }
    if (!this.upstreamGreeted) return;
    if (message.type === 'sync.status') {
      this.hubSync = message;
    } else if (message.type === 'printer.status' || message.type === 'print.job') {
      if (this.o.ownPrinter) return;
    } else if ('seq' in message) {
      this.lastSeq = Math.max(this.lastSeq ?? 0, message.seq);
    }
    this.broadcast(JSON.stringify(message));
  }

  private wentOffline(): void {
    if (this.link === 'offline') return;
    const wasConnecting = this.link === 'connecting';
    this.setLink('offline');
    this.hubSync = null;
    if (wasConnecting) {
      for (const socket of this.waiting) this.greet(socket);
      this.waiting.clear();
      return;
    }
    this.o.log.warn({ reason: this.lastError }, 'hub stream lost: the kiosk is served offline');
    this.broadcast(JSON.stringify(this.status(this.refused ? 'error' : 'offline')));
  }

  private setLink(state: HubLinkState): void {
    if (this.link === state) return;
    this.link = state;
    for (const listener of this.stateListeners) listener(state);
  }

  // ---- the kiosk's sockets ----

  /** A kiosk socket's first words: a hello, then where the link to the hub stands. */
  private greet(socket: WebSocket): void {
    this.kiosks.add(socket);
    const hello: z.infer<typeof StreamHello> = {
      type: 'stream.hello',
      seq: this.lastSeq ?? this.o.initialSeq(),
      at: new Date(this.o.clock.now()).toISOString(),
      ...this.businessDayField(),
    };
    socket.send(JSON.stringify(hello));
    if (this.link === 'online') {
      if (this.hubSync) socket.send(JSON.stringify(this.hubSync));
    } else {
      socket.send(JSON.stringify(this.status(this.refused ? 'error' : 'offline')));
    }
  }

  private businessDayField(): { businessDay?: string } {
    const day = this.o.businessDay() ?? this.hubBusinessDay;
    return day ? { businessDay: day } : {};
  }

  /**
   * The agent's link to its hub, told as the hub tells its link to the central server but marked
   * `link: 'hub'`: the kiosk shows its discreet "link to the branch server interrupted, this kiosk
   * keeps issuing tickets" badge for offline and error.
   */
  private status(state: SyncStatusEvent['state']): SyncStatusEvent {
    return {
      type: 'sync.status',
      at: new Date(this.o.clock.now()).toISOString(),
      linked: true,
      link: 'hub',
      centralHost: new URL(this.o.hubUrl).host,
      state,
      lastSuccessAt: this.lastOnlineAt === null ? null : new Date(this.lastOnlineAt).toISOString(),
      backlog: Math.max(0, this.o.backlog()),
      lastError:
        state === 'online'
          ? null
          : `The hub is unreachable${this.lastError ? ` (${this.lastError})` : ''}: this kiosk issues tickets from its own numbers.`,
    };
  }

  private broadcast(text: string): void {
    for (const socket of this.kiosks) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.terminate();
        continue;
      }
      socket.send(text);
    }
  }
}
