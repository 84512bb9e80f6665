// A TCP proxy on 127.0.0.1 between a downstream (a hub, or a kiosk agent) and its upstream (the
// central server, or the hub), driven by a seeded plan. It understands just enough HTTP/1.1 to
// find request boundaries (headers + Content-Length), so it can fault whole requests: cut before
// forwarding, delay, drop the answer after the upstream committed ("drop acknowledgement"), hold
// that answer back instead ("delay acknowledgement": the downstream may give up first), replay a
// request on a side connection (duplicate), withhold a request and deliver it after a later one
// (reorder). A WebSocket upgrade (the poke socket) or anything it cannot frame is tunnelled raw,
// and dies with cuts and partitions like any connection.
//
// Nothing here knows the sync protocol beyond `isPush`: the agent↔hub link is one more instance
// with another upstream port. `script` queues faults for the next requests of a route and `refuse`
// cuts a route until `allow`, for deterministic tests that need exact faults, not a seeded mix.
import net from 'node:net';

export type FaultAction =
  'pass' | 'cut' | 'delay' | 'drop-ack' | 'delay-ack' | 'duplicate' | 'replay-old' | 'reorder';

export interface FaultPlan {
  /** Chance that a request gets a fault (0..1) while faults are on. */
  faultRate: number;
  /** Relative weights of the faulty actions. */
  weights: Partial<Record<Exclude<FaultAction, 'pass'>, number>>;
  /** Bound on the number of faulted requests in one run. */
  maxFaults: number;
  /** Longest delay of a 'delay' or 'delay-ack' fault, ms. */
  maxDelayMs: number;
}

/** A fault chosen for one request; `ms` for delays (drawn from the plan unless scripted). */
interface Chosen {
  action: FaultAction;
  ms?: number;
  /** Scripted faults do not count against the plan's `maxFaults`. */
  scripted?: boolean;
}

export interface ProxyLogEntry {
  at: number;
  action: FaultAction | 'partition' | 'heal' | 'release-held';
  route: string;
}

interface Request {
  bytes: Buffer;
  route: string;
  upgrade: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** A request whose answer takes this long is noted in `slow` (a clue when agreement is late). */
const SLOW_ANSWER_MS = 500;
/** Side deliveries (replays, held requests) give up after this: the upstream may be down. */
const SIDE_TIMEOUT_MS = 5_000;

/** Splits a request stream into whole requests; null once the stream must be tunnelled raw. */
function takeRequest(buffer: Buffer): { request: Request; rest: Buffer } | 'incomplete' | null {
  const end = buffer.indexOf(HEADER_END);
  if (end < 0) return buffer.length > 64 * 1024 ? null : 'incomplete';
  const head = buffer.subarray(0, end).toString('latin1');
  const [requestLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (headers.has('transfer-encoding')) return null; // chunked bodies: not framed, tunnel raw
  const length = Number(headers.get('content-length') ?? '0');
  if (!Number.isFinite(length) || length < 0) return null;
  const total = end + HEADER_END.length + length;
  if (buffer.length < total) return 'incomplete';
  const route = requestLine.split(' ').slice(0, 2).join(' ');
  const upgrade = (headers.get('upgrade') ?? '').toLowerCase() === 'websocket';
  return {
    request: { bytes: buffer.subarray(0, total), route, upgrade },
    rest: buffer.subarray(total),
  };
}

export interface FaultProxyOptions {
  upstreamPort: number;
  random: () => number;
  plan: FaultPlan;
  /** Which requests are batches worth replaying or reordering. */
  isPush?: (route: string) => boolean;
}

export class FaultProxy {
  readonly log: ProxyLogEntry[] = [];
  readonly counts: Record<string, number> = {};
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly live = new Set<{ client: net.Socket; upstream: net.Socket }>();
  /** Per live link, the request waiting for the first byte of its answer (for `stuck`). */
  private readonly awaiting = new Map<net.Socket, { route: string; at: number }>();
  /** Requests whose answer took over SLOW_ANSWER_MS, or that were dropped waiting that long. */
  readonly slow: string[] = [];
  private readonly captured: Buffer[] = [];
  private held: Request[] = [];
  private readonly side = new Set<Promise<void>>();
  private pushWaiters: (() => void)[] = [];
  private readonly refused = new Set<string>();
  private readonly scripted: {
    route: string;
    action: Exclude<FaultAction, 'pass'>;
    ms?: number;
  }[] = [];
  private faulting = false;
  private faults = 0;
  private partitionedUntil = 0;
  private readonly started = Date.now();
  port = 0;

  constructor(private readonly options: FaultProxyOptions) {}

  /** Listens on `port` (0: any free one). */
  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves when the next push request has been handed to the upstream (a moment mid-sync). */
  nextPush(): Promise<void> {
    return new Promise((resolve) => this.pushWaiters.push(resolve));
  }

  /**
   * The next request on `route` (e.g. "POST /api/v1/tickets") gets `action`, faults on or not;
   * several calls queue in order. `ms` is the delay of 'delay' and 'delay-ack'.
   */
  script(route: string, action: Exclude<FaultAction, 'pass'>, ms?: number): void {
    this.scripted.push({ route, action, ...(ms !== undefined ? { ms } : {}) });
  }

  /** Until `allow(route)`, every request on `route` is cut (the rest of the link works). */
  refuse(route: string): void {
    this.refused.add(route);
  }

  allow(route: string): void {
    this.refused.delete(route);
  }

  /** Starts injecting request faults (partitions are separate: `partition`). */
  startFaults(): void {
    this.faulting = true;
  }

  /** Cuts every connection and refuses new ones for `ms`. */
  partition(ms: number): void {
    this.partitionedUntil = Math.max(this.partitionedUntil, Date.now() + ms);
    this.note('partition', `${ms} ms`);
    for (const link of [...this.live]) this.reset(link);
  }

  /** Cuts every connection once (the poke socket included), e.g. around a process kill. */
  cutAll(): void {
    for (const link of [...this.live]) this.reset(link);
  }

  /** The network is whole again: no faults, no partition; withheld requests are delivered now. */
  async heal(): Promise<void> {
    this.faulting = false;
    this.partitionedUntil = 0;
    this.note('heal', '');
    await this.releaseHeld();
    await Promise.all([...this.side]);
  }

  async close(): Promise<void> {
    this.faulting = false;
    for (const link of [...this.live]) this.reset(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private note(action: ProxyLogEntry['action'], route: string): void {
    this.counts[action] = (this.counts[action] ?? 0) + 1;
    this.log.push({ at: Date.now() - this.started, action, route });
  }

  /**
   * Requests handed to the upstream at least `ms` ago whose answer has not started, with the
   * state of their upstream socket: what a client past its timeout was waiting on.
   */
  stuck(ms: number): string[] {
    const now = Date.now();
    return [...this.awaiting.entries()]
      .filter(([, w]) => now - w.at >= ms)
      .map(
        ([upstream, w]) =>
          `${w.route} waiting ${now - w.at} ms (upstream ${upstream.readyState}, local port ${String(upstream.localPort)} → ${String(upstream.remotePort)})`,
      );
  }

  /** The request on `upstream` got its answer or lost its link: note it if it waited long. */
  private settle(upstream: net.Socket, how: string): void {
    const waiting = this.awaiting.get(upstream);
    if (!waiting) return;
    this.awaiting.delete(upstream);
    const waited = Date.now() - waiting.at;
    if (waited >= SLOW_ANSWER_MS)
      this.slow.push(
        `${waiting.route} at ${waiting.at - this.started} ms: ${how} after ${waited} ms (upstream port ${String(upstream.remotePort)})`,
      );
  }

  private reset(link: { client: net.Socket; upstream: net.Socket }): void {
    this.live.delete(link);
    this.settle(link.upstream, 'link dropped');
    // RST, not FIN: the peer sees ECONNRESET, like a dropped NAT entry or a dead Wi-Fi.
    if (!link.client.destroyed) link.client.resetAndDestroy();
    if (!link.upstream.destroyed) link.upstream.destroy();
  }

  private pick(route: string): Chosen {
    if (this.refused.has(route)) return { action: 'cut', scripted: true };
    const scripted = this.scripted.findIndex((s) => s.route === route);
    if (scripted >= 0) return { ...this.scripted.splice(scripted, 1)[0]!, scripted: true };
    return { action: this.draw(route) };
  }

  private draw(route: string): FaultAction {
    if (!this.faulting || this.faults >= this.options.plan.maxFaults) return 'pass';
    if (this.options.random() >= this.options.plan.faultRate) return 'pass';
    const isPush = this.options.isPush?.(route) ?? false;
    const entries = Object.entries(this.options.plan.weights).filter(
      ([action]) =>
        isPush || (action !== 'duplicate' && action !== 'replay-old' && action !== 'reorder'),
    ) as [FaultAction, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.options.random() * total;
    for (const [action, weight] of entries) {
      x -= weight;
      if (x < 0) return action;
    }
    return 'pass';
  }

  private accept(client: net.Socket): void {
    client.on('error', () => undefined);
    if (Date.now() < this.partitionedUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.options.upstreamPort, '127.0.0.1');
    upstream.on('error', () => undefined);
    const link = { client, upstream };
    this.live.add(link);
    const drop = () => this.reset(link);
    client.on('close', drop);
    upstream.on('close', drop);

    let buffer: Buffer = Buffer.alloc(0);
    let tunnel = false;
    let chain = Promise.resolve();
    // Set by the request in flight: what to do with the first bytes of its answer.
    let onAnswer: (() => void) | null = null;
    // Once an answer is held back ('delay-ack'), every later byte queues behind it, in order.
    let answerHold: Promise<void> | null = null;

    upstream.on('data', (chunk: Buffer) => {
      this.settle(upstream, 'answered');
      if (onAnswer) {
        const hook = onAnswer;
        onAnswer = null;
        hook();
        if (!this.live.has(link)) return;
      }
      if (answerHold) {
        answerHold = answerHold.then(() => void (this.live.has(link) && client.write(chunk)));
        return;
      }
      client.write(chunk);
    });

    const delayOf = (chosen: Chosen) =>
      chosen.ms ?? Math.round(this.options.random() * this.options.plan.maxDelayMs);

    const forward = (request: Request, chosen: Chosen): Promise<void> => {
      const { action } = chosen;
      switch (action) {
        case 'cut':
          this.note('cut', request.route);
          drop();
          return Promise.resolve();
        case 'reorder':
          // Withheld: the downstream sees a reset and retries; this copy arrives after a later one.
          this.note('reorder', request.route);
          this.held.push(request);
          drop();
          return Promise.resolve();
        case 'drop-ack':
          this.note('drop-ack', request.route);
          // The first byte of the answer means the upstream committed: the downstream never hears.
          onAnswer = drop;
          this.hand(upstream, request);
          return Promise.resolve();
        case 'delay-ack': {
          this.note('delay-ack', request.route);
          // The upstream committed (its answer started); the downstream hears it `ms` later, if
          // it is still listening then (a client past its own timeout has hung up).
          const ms = delayOf(chosen);
          onAnswer = () => {
            answerHold = new Promise((resolve) => setTimeout(resolve, ms));
          };
          this.hand(upstream, request);
          return Promise.resolve();
        }
        case 'delay': {
          this.note('delay', request.route);
          const ms = delayOf(chosen);
          return new Promise((resolve) =>
            setTimeout(() => {
              if (this.live.has(link)) this.send(upstream, request);
              resolve();
            }, ms),
          );
        }
        case 'duplicate':
          this.note('duplicate', request.route);
          return this.deliverAside(request.bytes).then(() => {
            if (this.live.has(link)) this.send(upstream, request);
          });
        case 'replay-old': {
          const old = this.captured[Math.floor(this.options.random() * this.captured.length)];
          if (old) this.note('replay-old', request.route);
          return (old ? this.deliverAside(old) : Promise.resolve()).then(() => {
            if (this.live.has(link)) this.send(upstream, request);
          });
        }
        case 'pass':
          this.send(upstream, request);
          return Promise.resolve();
      }
    };

    client.on('data', (chunk: Buffer) => {
      if (tunnel) {
        upstream.write(chunk);
        return;
      }
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const taken = takeRequest(buffer);
        if (taken === 'incomplete') return;
        if (taken === null) {
          tunnel = true;
          const raw = buffer;
          chain = chain.then(() => void upstream.write(raw));
          return;
        }
        buffer = taken.rest;
        const { request } = taken;
        const chosen = this.pick(request.route);
        const { action } = chosen;
        if (action !== 'pass' && !chosen.scripted) this.faults += 1;
        if (this.options.isPush?.(request.route)) this.captured.push(Buffer.from(request.bytes));
        if (request.upgrade) {
          // Everything after the upgrade is WebSocket frames: tunnel them untouched.
          tunnel = true;
          const rest = buffer;
          chain = chain
            .then(() => forward(request, { action: action === 'cut' ? 'cut' : 'pass' }))
            .then(() => void (rest.length > 0 && this.live.has(link) && upstream.write(rest)));
          return;
        }
        chain = chain
          .then(() => (this.live.has(link) ? forward(request, chosen) : undefined))
          .then(() => {
            if (this.options.isPush?.(request.route))
              for (const resolve of this.pushWaiters.splice(0)) resolve();
          });
      }
    });
  }

  /** Writes a request to the upstream, timing it until its answer starts (`slow`, `stuck`). */
  private hand(upstream: net.Socket, request: Request): void {
    if (!request.upgrade) this.awaiting.set(upstream, { route: request.route, at: Date.now() });
    upstream.write(request.bytes);
  }

  /** Forwards a request; a withheld one is released once this one was answered (reordered). */
  private send(upstream: net.Socket, request: Request): void {
    this.hand(upstream, request);
    if (this.held.length > 0 && !request.upgrade) {
      const onData = () => void this.releaseHeld();
      upstream.once('data', onData);
    }
  }

  private releaseHeld(): Promise<void> {
    const held = this.held;
    this.held = [];
    return Promise.all(
      held.map((request) => {
        this.note('release-held', request.route);
        return this.deliverAside(request.bytes);
      }),
    ).then(() => undefined);
  }

  /** Sends one request on a fresh upstream connection and waits for the first byte of its answer. */
  private deliverAside(bytes: Buffer): Promise<void> {
    const done = new Promise<void>((resolve) => {
      const socket = net.connect(this.options.upstreamPort, '127.0.0.1');
      const finish = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(finish, SIDE_TIMEOUT_MS);
      socket.on('error', finish);
      socket.on('close', finish);
      socket.once('data', finish);
      socket.write(bytes);
    });
    this.side.add(done);
    void done.then(() => this.side.delete(done));
    return done;
  }
}
