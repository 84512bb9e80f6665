// The proxy itself, against a counting HTTP server: each fault does to the upstream what the
// suite's checks assume it does (a dropped acknowledgement reached the server, a duplicate arrived
// twice, a reordered request arrived after a later one, a partition refuses connections).
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, type FaultAction } from './fault-proxy';

interface Upstream {
  port: number;
  seen: string[];
  close(): Promise<void>;
}

async function countingServer(): Promise<Upstream> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push(body);
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy whose every push request gets `action` (the PRNG always says "fault"). */
async function proxyDoing(upstream: Upstream, action: Exclude<FaultAction, 'pass'>) {
  const proxy = new FaultProxy({
    upstreamPort: upstream.port,
    random: () => 0,
    plan: { faultRate: 1, weights: { [action]: 1 }, maxFaults: 1, maxDelayMs: 10 },
    isPush: (route) => route === 'POST /push',
  });
  await proxy.listen();
  proxy.startFaults();
  return proxy;
}

const post = (url: string, body: string) =>
  fetch(`${url}/push`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('FaultProxy', () => {
  it('drop-ack: the upstream got the request, the client gets a reset', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'drop-ack');
    cleanup.push(upstream.close, () => proxy.close());
    await expect(post(proxy.url, 'a')).rejects.toThrow();
    expect(upstream.seen).toEqual(['a']);
    const again = await post(proxy.url, 'b'); // maxFaults reached: passes
    expect(again.status).toBe(200);
    expect(upstream.seen).toEqual(['a', 'b']);
  });

  it('duplicate: the upstream sees the request twice, the client one answer', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'duplicate');
    cleanup.push(upstream.close, () => proxy.close());
    expect((await post(proxy.url, 'a')).status).toBe(200);
    expect(upstream.seen).toEqual(['a', 'a']);
  });

  it('reorder: the withheld request arrives after the next one', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'reorder');
    cleanup.push(upstream.close, () => proxy.close());
    await expect(post(proxy.url, 'first')).rejects.toThrow();
    expect((await post(proxy.url, 'second')).status).toBe(200);
    await proxy.heal(); // waits for side deliveries
    expect(upstream.seen).toEqual(['second', 'first']);
  });

  it('delay-ack: the upstream committed at once, the answer comes late or never', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'duplicate'); // the plan is not used: scripted
    cleanup.push(upstream.close, () => proxy.close());
    proxy.script('POST /push', 'delay-ack', 400);
    proxy.script('POST /push', 'delay-ack', 5_000);
    const started = Date.now();
    expect((await post(proxy.url, 'a')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(upstream.seen).toEqual(['a']);
    // A client that gives up before the held answer comes: the upstream has it all the same.
    await expect(
      fetch(`${proxy.url}/push`, { method: 'POST', body: 'b', signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(upstream.seen).toEqual(['a', 'b']);
    expect(proxy.counts['delay-ack']).toBe(2);
  });

  it('script: only the named route gets the fault, once, in order', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'duplicate');
    cleanup.push(upstream.close, () => proxy.close());
    proxy.script('POST /other', 'cut');
    proxy.script('POST /push', 'cut');
    await expect(post(proxy.url, 'a')).rejects.toThrow();
    expect(upstream.seen).toEqual([]);
    // Scripted faults leave the plan's budget alone: its one duplicate (maxFaults 1) comes now.
    expect((await post(proxy.url, 'b')).status).toBe(200);
    expect(upstream.seen).toEqual(['b', 'b']);
    expect(proxy.counts.cut).toBe(1);
  });

  it('cut: nothing reaches the upstream; partition refuses until it ends', async () => {
    const upstream = await countingServer();
    const proxy = await proxyDoing(upstream, 'cut');
    cleanup.push(upstream.close, () => proxy.close());
    await expect(post(proxy.url, 'a')).rejects.toThrow();
    proxy.partition(60_000);
    await expect(post(proxy.url, 'b')).rejects.toThrow();
    expect(upstream.seen).toEqual([]);
    await proxy.heal();
    expect((await post(proxy.url, 'c')).status).toBe(200);
    expect(upstream.seen).toEqual(['c']);
  });
});
