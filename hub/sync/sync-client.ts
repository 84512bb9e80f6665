// The hub's sync with the central server: first-link configuration, then push and pull rounds
// driven by pokes, by new local events (debounced, after their commit: a ticket's HTTP answer
// never waits on sync), by a 30 s timer, and by retries with backoff and full jitter after a
// failure. One round at a time; a trigger during a round runs one more round after it.
//
// Everything the round does goes through small parts that an agent → hub link can reuse: the
// HTTP client (sync-http.ts), pushLog with a PushSource/AckStore (push-loop.ts), pullAll with a
// PullTarget (pull-apply.ts) and the poke socket (poke-socket.ts).
import { retryDelayMs } from '../../core/sync/backoff';
import { LinkConfigAnswer, type SyncEvent } from '../../core/sync/protocol';
import { runCommand } from '../hub-context';
import type { Hub } from '../hub';
import { configSnapshot } from './config-snapshot';
import { applyConfig } from './config-apply';
import { hubEpoch, LinkStore } from './link-settings';
import { PokeSocket } from './poke-socket';
import { hubPullTarget, pullAll, type PullTarget } from './pull-apply';
import { pushLog, type AckStore, type PushSource } from './push-loop';
import { UpstreamHttp, UpstreamUnreachable, type WireCounters } from './sync-http';
import type { LinkState } from './sync-status';
import type { HubLog } from '../hub-log';

export interface SyncClientOptions {
  hub: Pick<Hub, 'ctx' | 'branch' | 'services' | 'counters' | 'devices' | 'sync'>;
  log?: HubLog;
  /** Pull (and push) at least this often, pokes or not. */
  intervalMs?: number;
  /** A burst of local events makes one push, this long after the first of them. */
  debounceMs?: number;
  /** Delay before retry n after failures (default: core/sync/backoff full jitter). */
  retryDelay?: (attempt: number) => number;
  requestTimeoutMs?: number;
  /** Keep the poke socket closed (the bench measures pushes alone). */
  pokes?: boolean;
}

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_DEBOUNCE_MS = 25;
/** A growing backlog is re-announced at most this often while the link is down. */
const STATUS_THROTTLE_MS = 1_000;

const silentLog: HubLog = { info: () => undefined, warn: () => undefined };

export class SyncClient {
  readonly links: LinkStore;
  private readonly http: UpstreamHttp;
  private readonly source: PushSource;
  private readonly acks: AckStore;
  private readonly pullTarget: PullTarget;
  private readonly poke: PokeSocket | null;
  private readonly log: HubLog;
  private readonly retryDelay: (attempt: number) => number;

  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Infinity;
  private interval: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** An urgent trigger came during the round: if it fails, retry at once, not after a backoff. */
  private urgentAgain = false;
  private failures = 0;
  private stopped = true;
  private waiting: (() => void)[] = [];
  private lastState: LinkState | null = null;

  constructor(private readonly options: SyncClientOptions) {
    const { hub } = options;
    const { ctx } = hub;
    this.log = options.log ?? silentLog;
    this.retryDelay = options.retryDelay ?? ((attempt) => retryDelayMs(attempt));
    this.links = new LinkStore(ctx.db);
    const link = this.links.get();
    if (!link) throw new Error('SyncClient needs a stored link (LinkStore.save) first');
    this.http = new UpstreamHttp({
      baseUrl: link.url,
      token: link.token,
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    });
    const epoch = hubEpoch(ctx.db);
    this.source = {
      deviceId: ctx.outbox.deviceId,
      epoch,
      lastSeq: () => ctx.outbox.lastOwnSeq(),
      eventsAfter: (seq, limit) =>
        ctx.outbox.ownAfter(seq, limit).map((e): SyncEvent => ({
          eventId: e.eventId,
          deviceSeq: e.deviceSeq,
          hlc: e.hlc,
          type: e.type,
          payload: e.payload,
        })),
    };
    this.acks = {
      ackedSeq: (deviceId, ep) => this.links.ackedSeq(deviceId, ep),
      saveAck: (deviceId, ep, acked, offsetMs) =>
        ctx.db
          .transaction(() => {
            this.links.saveAck(deviceId, ep, acked);
            this.links.saveClockOffset(offsetMs);
          })
          .immediate(),
    };
    this.pullTarget = hubPullTarget({
      ctx,
      links: this.links,
      onClampedStamp: (eventId, hlc) =>
        this.log.warn({ eventId, hlc }, 'sync: a pulled HLC stamp is over 1 h ahead; clamped'),
    });
    this.poke =
      options.pokes === false
        ? null
        : new PokeSocket({
            baseUrl: link.url,
            token: link.token,
            deviceId: ctx.outbox.deviceId,
            retryDelay: this.retryDelay,
            // A poke or a regained connection means the upstream is there: sync now, backoff reset.
            onPoke: () => this.kick(0, true),
            onOpen: (attemptStartedAt) => {
              // A request sent before the socket's path was known to work may be lost for good
              // (e.g. sent while the server was restarting): send it again now rather than wait
              // for its timeout. Its round fails and the kick runs the next one at once.
              this.http.abandonSentBefore(attemptStartedAt);
              this.kick(0, true);
            },
          });
  }

  /** Bytes and requests on the wire so far (for the catch-up bench). */
  get wire(): WireCounters {
    return this.http.wire;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { ctx } = this.options.hub;
    // After the commit, from the bus: a timer only, so the request that wrote the event answers
    // first and the push happens on a later turn of the event loop.
    this.unsubscribe = ctx.bus.subscribe(() => {
      this.kick(this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS, false);
      this.announceBacklogSoon();
    });
    this.interval = setInterval(
      () => this.kick(0, false),
      this.options.intervalMs ?? DEFAULT_INTERVAL_MS,
    );
    this.interval.unref();
    this.poke?.start();
    this.kick(0, true);
  }

  /** Stops timers and the socket, aborts requests in flight and waits for the round to end. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of [this.timer, this.statusTimer]) if (t) clearTimeout(t);
    if (this.interval) clearInterval(this.interval);
    this.timer = this.statusTimer = this.interval = null;
    this.poke?.close();
    this.http.abortAll();
    await this.running;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Runs a round now (or right after the current one); resolves when that round has ended. */
  syncNow(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.kick(0, true);
    });
  }

  /**
   * Asks for a round in `delayMs`. `urgent` (a poke, a reconnect, a caller) cuts a backoff short;
   * a local event does not: while the upstream is down, each new ticket must not hammer it.
   */
  private kick(delayMs: number, urgent: boolean): void {
    if (this.stopped) return;
    if (urgent) this.failures = 0;
    if (this.running) {
      this.again = true;
      if (urgent) this.urgentAgain = true;
      return;
    }
    const dueAt = Date.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer && !urgent && this.failures > 0) return; // keep the backoff
    if (this.timer) clearTimeout(this.timer);
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    this.timerDueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDueAt = Infinity;
      this.running = this.runRounds();
    }, delayMs);
  }

  private async runRounds(): Promise<void> {
    let ok = true;
    const done: (() => void)[] = [];
    do {
      this.again = false;
      this.urgentAgain = false;
      done.push(...this.waiting.splice(0));
      ok = await this.round();
    } while (ok && this.again && !this.stopped);
    // Cleared before anyone waiting resumes (their code runs after this synchronous part), so a
    // trigger from them starts a new round instead of being folded into this finished one.
    this.running = null;
    if (!this.stopped) {
      if (!ok) this.schedule(this.urgentAgain ? 0 : this.retryDelay(this.failures - 1));
      else if (this.again || this.waiting.length > 0) this.schedule(0);
    }
    for (const resolve of done) resolve();
  }

  /** One exchange: first link if needed, push everything, pull everything. True on success. */
  private async round(): Promise<boolean> {
    const { hub } = this.options;
    const now = () => hub.ctx.clock.now();
    try {
      if (!this.links.get()?.configLinked) await this.firstLink();
      const pushed = await pushLog(this.http, this.source, this.acks, now);
      for (const r of pushed.rejected)
        this.log.warn({ eventId: r.eventId, reason: r.reason }, 'sync: central rejected an event');
      await pullAll(this.http, this.pullTarget, now);
      this.failures = 0;
      this.links.saveOutcome({ successAt: now() });
      this.setState('online', null);
      return true;
    } catch (error) {
      if (this.stopped) return false;
      this.failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      const state: LinkState = error instanceof UpstreamUnreachable ? 'offline' : 'error';
      this.links.saveOutcome({ error: message });
      this.setState(state, message);
      return false;
    }
  }

  /** POST /sync/config: an empty branch adopts ours; otherwise we apply the branch's. */
  private async firstLink(): Promise<void> {
    const { hub } = this.options;
    const body = JSON.stringify({ config: configSnapshot(hub) });
    const answer = await this.http.request('POST', '/api/v1/sync/config', LinkConfigAnswer, body);
    runCommand(hub.ctx, () => {
      if (!answer.adopted) applyConfig(hub.ctx, answer.config, hub.ctx.outbox.deviceId);
      this.links.markConfigLinked(answer.config.version);
    });
    this.log.info(
      { adopted: answer.adopted, configVersion: answer.config.version },
      'sync: linked to the central server',
    );
  }

  private setState(state: LinkState, error: string | null): void {
    // Logged on a change only: an outage is one line, not one per retry. Never the token.
    if (state !== this.lastState) {
      if (state === 'online') this.log.info({}, 'sync: central server reachable');
      else this.log.warn({ error }, `sync: central server ${state}`);
      this.lastState = state;
    }
    this.options.hub.sync.report(state);
  }

  private announceBacklogSoon(): void {
    if (this.statusTimer || this.stopped) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.options.hub.sync.publishIfChanged();
    }, STATUS_THROTTLE_MS);
    this.statusTimer.unref();
  }
}
