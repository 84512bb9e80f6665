// The upstream client's timeout and stop, on a real loopback server that never answers. The
// timeout must fire even after garbage collections: Node 20 lets a signal made by
// AbortSignal.timeout() inside AbortSignal.any() be collected, and then it never fires.
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestTimeoutMs, UpstreamHttp, UpstreamUnreachable } from './sync-http';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let server: http.Server;
let baseUrl: string;
beforeEach(async () => {
  server = http.createServer(() => undefined); // reads the request, never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** How a request ended, or 'hanging' if it had not after `boundMs` (the test then fails). */
async function outcome(request: Promise<unknown>, boundMs: number): Promise<unknown> {
  let bound: NodeJS.Timeout | undefined;
  const hanging = new Promise((resolve) => (bound = setTimeout(() => resolve('hanging'), boundMs)));
  try {
    return await Promise.race([
      request.then(
        () => 'answered',
        (error: unknown) => error,
      ),
      hanging,
    ]);
  } finally {
    clearTimeout(bound);
  }
}

describe('UpstreamHttp', () => {
  it('gives up on a silent upstream at its timeout, garbage collections or not', async () => {
    const upstream = new UpstreamHttp({ baseUrl, token: 't', timeoutMs: 300 });
    const collecting = setInterval(gc, 20);
    try {
      const started = Date.now();
      const error = await outcome(upstream.request('GET', '/api/v1/sync/pull', z.unknown()), 5_000);
      expect(error).toBeInstanceOf(UpstreamUnreachable);
      expect((error as Error).message).toBe('upstream did not answer in time');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      clearInterval(collecting);
    }
  });

  it('waits 4 s for a small request, longer for a large push (1 s per 32 KB)', () => {
    expect(requestTimeoutMs(0)).toBe(4_000);
    expect(requestTimeoutMs(2_000)).toBe(5_000);
    expect(requestTimeoutMs(256 * 1024)).toBe(12_000);
  });

  it('abortAll() ends the requests in flight at once, and those made after it', async () => {
    const upstream = new UpstreamHttp({ baseUrl, token: 't', timeoutMs: 60_000 });
    const inFlight = outcome(
      upstream.request('POST', '/api/v1/sync/push', z.unknown(), '{}'),
      5_000,
    );
    upstream.abortAll();
    expect(await inFlight).toBeInstanceOf(UpstreamUnreachable);
    const after = await outcome(upstream.request('GET', '/api/v1/sync/pull', z.unknown()), 5_000);
    expect(after).toBeInstanceOf(UpstreamUnreachable);
  });

  it('abandonSentBefore() ends the requests sent before a time, and only those', async () => {
    const upstream = new UpstreamHttp({ baseUrl, token: 't', timeoutMs: 60_000 });
    const old = outcome(upstream.request('POST', '/api/v1/sync/push', z.unknown(), '{}'), 5_000);
    const cutoff = performance.now();
    const recent = outcome(upstream.request('GET', '/api/v1/sync/pull', z.unknown()), 300);
    expect(upstream.abandonSentBefore(cutoff)).toBe(1);
    const error = await old;
    expect(error).toBeInstanceOf(UpstreamUnreachable);
    expect((error as Error).message).toBe('sent before the link came back; sent again');
    // The later request is still waiting on the silent server when the bound runs out.
    expect(await recent).toBe('hanging');
    expect(upstream.abandonSentBefore(cutoff)).toBe(0);
    upstream.abortAll();
  });
});
