// The WebSocket half of the hub client: one connection to /api/v1/stream that reconnects by
// itself with exponential backoff and jitter, and exposes a connection state screens can show.
// It only parses and forwards messages; ordering and resync live in live-sync.ts.
import {
  AnyStreamMessage,
  type ConfigChangedEvent,
  type CounterStreamEvent,
  type LiveStreamMessage,
  type SyncStatusEvent,
  type TicketStreamEvent,
} from '../../core/api/schemas';
import { backoffDelay, type BackoffOptions } from './backoff';
import { Observable, type Readable } from './observable';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';
export type HubEvent = TicketStreamEvent | CounterStreamEvent | ConfigChangedEvent;

/** The slice of the browser WebSocket we use, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface StreamHandlers {
  /** `businessDay`: the branch's day now (a newer hub sends it), to drop yesterday's calls. */
  onHello(seq: number, businessDay?: string): void;
  onEvent(event: HubEvent): void;
  /**
   * Live hardware messages (printer status, print jobs, scanner results): not in the event log,
   * no seq, never replayed. Screens that do not pass this handler skip them, as before.
   */
  onLive?(message: LiveStreamMessage): void;
  /**
   * The hub's link to the central server changed (`sync.status`, sent to every screen, only on a
   * change, never replayed). Kept out of onLive so handlers written before it never see it.
   */
  onSyncStatus?(status: SyncStatusEvent): void;
  /**
   * A connection closed before the hub said hello, or the hub closed it for auth (4401/4403, e.g.
   * the device was revoked). Browsers hide a refused upgrade's HTTP status, so the owner should
   * ask the HTTP API (GET /me) whether the pairing still holds.
   */
  onRejected?(): void;
}

/** Close codes the hub uses for "this device may no longer stream". */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

export interface StreamClientOptions extends BackoffOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** After this many failed attempts in a row we call it "offline" (still retrying). */
  offlineAfterAttempts?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class StreamClient {
  private readonly stateStore = new Observable<ConnectionState>('connecting');
  readonly state: Readable<ConnectionState> = this.stateStore;
  private socket: SocketLike | null = null;
  private failures = 0;
  private timer: unknown = null;
  private stopped = true;

  constructor(
    private readonly options: StreamClientOptions,
    private readonly handlers: StreamHandlers,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close();
    }
  }

  /** Drop the connection and dial again now (e.g. the browser came back online, resync failed). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.cancelTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close();
    }
    this.connect();
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let greeted = false;
    socket.onmessage = (ev) => {
      if (this.receive(ev.data)) greeted = true;
    };
    // A failed dial fires error then close; only close drives the retry, so it happens once.
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const code = typeof ev === 'object' && ev !== null && 'code' in ev ? ev.code : undefined;
      if (!greeted || AUTH_CLOSE_CODES.has(Number(code))) this.handlers.onRejected?.();
      this.scheduleReconnect();
    };
  }

  /** Returns true for the hub's hello. */
  private receive(data: unknown): boolean {
    if (typeof data !== 'string') return false;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return false;
    }
    const parsed = AnyStreamMessage.safeParse(json);
    if (!parsed.success) return false; // A newer hub may send types we do not know: skip them.
    const message = parsed.data;
    if (message.type === 'stream.hello') {
      // Connected means "the hub talks to us", not merely "TCP is up".
      this.failures = 0;
      this.stateStore.set('connected');
      this.handlers.onHello(message.seq, message.businessDay);
      return true;
    }
    if (message.type === 'sync.status') {
      this.handlers.onSyncStatus?.(message);
      return false;
    }
    if (isLive(message)) {
      this.handlers.onLive?.(message);
      return false;
    }
    this.handlers.onEvent(message);
    return false;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const offlineAfter = this.options.offlineAfterAttempts ?? 4;
    this.stateStore.set(this.failures >= offlineAfter ? 'offline' : 'reconnecting');
    const delay = backoffDelay(this.failures, this.options);
    this.failures++;
    const setTimer = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = setTimer(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    const clearTimer = this.options.clearTimer ?? ((h) => clearTimeout(h as number));
    clearTimer(this.timer);
    this.timer = null;
  }
}

function isLive(message: AnyStreamMessage): message is LiveStreamMessage {
  return (
    message.type === 'printer.status' ||
    message.type === 'print.job' ||
    message.type === 'scanner.result'
  );
}

function detach(socket: SocketLike): void {
  socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
}

/** The stream URL on the page's own origin, so the pairing cookie is sent with the upgrade. */
export function sameOriginStreamUrl(loc: { protocol: string; host: string } = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/stream`;
}
