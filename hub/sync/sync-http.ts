// HTTP to the upstream (the central server; an agent's hub later): bearer token, JSON, a timeout,
// every answer checked with zod, and failures sorted into "unreachable" (offline: retry quietly)
// and "refused" (error: something to fix, e.g. a revoked token). Counts bytes for the bench.
import type { z } from 'zod';

/** The upstream cannot be reached or is not answering properly right now (network, 5xx, 429). */
export class UpstreamUnreachable extends Error {
  override name = 'UpstreamUnreachable';
}

/** The upstream answered, and refused (4xx) or said something we cannot read. */
export class UpstreamRefused extends Error {
  override name = 'UpstreamRefused';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface WireCounters {
  requests: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface UpstreamHttpOptions {
  baseUrl: string;
  token: string;
  /** A fixed timeout for every request (default: requestTimeoutMs of its body). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * How long a request may go unanswered: 4 s, plus 1 s per 32 KB it sends (a full push of 256 KB:
 * 12 s). A sync request on a working link answers in milliseconds; the bound is how long a hub
 * or agent may sit on a request lost on a dead path (a link cut without a reset) before it tries
 * again, and a branch must agree with its server within 5 s of the network coming back.
 */
export function requestTimeoutMs(bodyBytes: number): number {
  return 4_000 + 1_000 * Math.ceil(bodyBytes / (32 * 1024));
}

export class UpstreamHttp {
  readonly wire: WireCounters = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  private readonly fetchFn: typeof fetch;
  /** Aborts requests in flight when the client stops, so stopping never waits on a timeout. */
  private readonly stopping = new AbortController();
  /** Requests in flight: when each was sent (performance.now()) and how to give up on it. */
  private readonly inFlight = new Set<{ sentAt: number; controller: AbortController }>();

  constructor(private readonly options: UpstreamHttpOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  abortAll(): void {
    this.stopping.abort();
  }

  /**
   * Gives up on the requests sent before `sentBefore` (a performance.now() time) that are still
   * unanswered; they fail as unreachable and their round retries. For when the path to the
   * upstream is known to work again (the poke socket reconnected): a request sent while it was
   * broken may never be answered (e.g. sent to a server that was down), and waiting out its
   * timeout would cost seconds of a 5 s agreement budget. Requests are idempotent; a request
   * the upstream did get is only answered twice.
   */
  abandonSentBefore(sentBefore: number): number {
    let abandoned = 0;
    for (const request of this.inFlight) {
      if (request.sentAt >= sentBefore) continue;
      request.controller.abort(
        new DOMException('sent before the link came back; sent again', 'AbortError'),
      );
      abandoned += 1;
    }
    return abandoned;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * One request's signal: aborted by its timeout or by abortAll(). Not
   * `AbortSignal.any([stopping, AbortSignal.timeout(ms)])`: Node 20 holds the sources of `any`
   * weakly and the timeout's timer holds its signal weakly, so after a garbage collection the
   * timeout never fires and a request the upstream never answers hangs for good (the sync then
   * stalls: seen in the fault suite). Here the timer itself holds the controller.
   */
  private deadline(timeoutMs: number): { signal: AbortSignal; clear(): void } {
    const controller = new AbortController();
    const tracked = { sentAt: performance.now(), controller };
    this.inFlight.add(tracked);
    const stop = () => controller.abort(this.stopping.signal.reason);
    const timer = setTimeout(
      () => controller.abort(new DOMException('upstream did not answer in time', 'TimeoutError')),
      timeoutMs,
    );
    if (this.stopping.signal.aborted) stop();
    else this.stopping.signal.addEventListener('abort', stop, { once: true });
    return {
      signal: controller.signal,
      clear: () => {
        this.inFlight.delete(tracked);
        clearTimeout(timer);
        this.stopping.signal.removeEventListener('abort', stop);
      },
    };
  }

  /** Sends `body` (already serialised, so the caller can size its batches) and parses the answer. */
  async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    route: string,
    answer: S,
    body?: string,
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    const deadline = this.deadline(
      this.options.timeoutMs ?? requestTimeoutMs(body === undefined ? 0 : Buffer.byteLength(body)),
    );
    try {
      response = await this.fetchFn(`${this.options.baseUrl}${route}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: deadline.signal,
      });
      text = await response.text();
    } catch (error) {
      // Refused connection, DNS, reset, timeout: the network, not the request.
      throw new UpstreamUnreachable(describeNetworkError(error));
    } finally {
      deadline.clear();
    }
    this.wire.requests += 1;
    this.wire.bytesSent += body === undefined ? 0 : Buffer.byteLength(body);
    this.wire.bytesReceived += Buffer.byteLength(text);
    if (response.status >= 500 || response.status === 429 || response.status === 408)
      throw new UpstreamUnreachable(`${route}: HTTP ${response.status}`);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new UpstreamRefused(
        `${route}: HTTP ${response.status}, not JSON`,
        response.status,
        null,
      );
    }
    if (response.status >= 400) {
      const code = errorCode(json);
      throw new UpstreamRefused(
        `${route}: HTTP ${response.status}${code ? ` ${code}` : ''}`,
        response.status,
        code,
      );
    }
    const parsed = answer.safeParse(json);
    if (!parsed.success)
      throw new UpstreamRefused(
        `${route}: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`,
        response.status,
        'invalid_answer',
      );
    return parsed.data;
  }
}

function errorCode(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const error = (json as { error?: { code?: unknown } }).error;
  return typeof error?.code === 'string' ? error.code : null;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'upstream did not answer in time';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
