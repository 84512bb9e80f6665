// Stream fan-out: N WebSocket clients on /api/v1/stream (display token). For each call-next, the
// clock starts when the bench sends the request and stops when each client's message handler
// receives that ticket's ticket.called event (same process, same monotonic clock). The hub
// publishes right after its commit and before it answers the request, so this includes the whole
// command (parse, auth, transaction, fsync) plus the fan-out.
import WebSocket from 'ws';
import { fmtMs, nowMs, summarize, type BenchResult } from './stats';
import { request, startBenchHub } from './fixtures';

export interface StreamOptions {
  clients: number;
  n: number;
  warmup: number;
}

export const STREAM_DEFAULTS: StreamOptions = { clients: 50, n: 200, warmup: 20 };

const COUNTER = 'counter-4';

interface StreamEvent {
  type: string;
  ticket?: { id: string };
}

/** Resolves when `count` deliveries of (type, ticket) have landed; collects their arrival times. */
class Arrivals {
  private readonly waiting = new Map<
    string,
    { times: number[]; count: number; done: () => void }
  >();
  private readonly early = new Map<string, number[]>();

  expect(key: string, count: number): { times: number[]; all: Promise<void> } {
    const times = this.early.get(key) ?? [];
    this.early.delete(key);
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    if (times.length >= count) done();
    else this.waiting.set(key, { times, count, done });
    return { times, all };
  }

  record(key: string, at: number): void {
    const entry = this.waiting.get(key);
    if (!entry) {
      // Events can beat the HTTP answer that tells us which ticket was called.
      const list = this.early.get(key) ?? [];
      list.push(at);
      this.early.set(key, list);
      return;
    }
    entry.times.push(at);
    if (entry.times.length >= entry.count) {
      this.waiting.delete(key);
      entry.done();
    }
  }
}

export async function benchStream(
  options: StreamOptions = STREAM_DEFAULTS,
): Promise<BenchResult[]> {
  const { clients, n, warmup } = options;
  const hub = await startBenchHub('stream', n + warmup + 10);
  const sockets: WebSocket[] = [];
  try {
    const arrivals = new Arrivals();
    const wsUrl = `${hub.url.replace(/^http/, 'ws')}/api/v1/stream?token=${encodeURIComponent(hub.tokens.display)}`;
    await Promise.all(
      Array.from(
        { length: clients },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = new WebSocket(wsUrl);
            sockets.push(socket);
            socket.once('error', reject);
            socket.on('message', (data) => {
              const at = nowMs();
              const event = JSON.parse(String(data)) as StreamEvent;
              if (event.type === 'stream.hello') resolve();
              else if (event.ticket) arrivals.record(`${event.type}:${event.ticket.id}`, at);
            });
          }),
      ),
    );

    const token = hub.tokens.counters[COUNTER]!;
    const deliveries: number[] = [];
    const slowest: number[] = [];
    const answers: number[] = [];
    for (let i = 0; i < warmup + n; i++) {
      const t0 = nowMs();
      const called = await request<{ ticket: { id: string } }>(
        hub.url,
        'POST',
        `/api/v1/counters/${COUNTER}/call-next`,
        {
          token,
          key: `bench-stream-call-${i}`,
          expect: 200,
        },
      );
      const answeredAt = nowMs();
      const id = called.body.ticket.id;
      const calledEvents = arrivals.expect(`ticket.called:${id}`, clients);
      await calledEvents.all;
      // Finish, and let that event reach everyone too, so each measured call starts on quiet sockets.
      const finished = arrivals.expect(`ticket.finished:${id}`, clients);
      await request(hub.url, 'POST', `/api/v1/tickets/${id}/finish`, {
        token,
        key: `bench-stream-finish-${i}`,
        expect: 200,
      });
      await finished.all;
      if (i < warmup) continue;
      const lat = calledEvents.times.map((t) => t - t0);
      deliveries.push(...lat);
      slowest.push(Math.max(...lat));
      answers.push(answeredAt - t0);
    }

    const all = summarize(deliveries);
    return [
      {
        id: 'stream-fanout',
        title: `stream ticket.called → ${clients} clients (each delivery)`,
        latency: all,
        method: `call-next request sent → each client's ws 'message' handler; ${clients} clients × ${n} calls after ${warmup} warm-up`,
        target: { rule: 'p99 ≤ 20 ms', actual: `p99 ${fmtMs(all.p99)}`, met: all.p99 <= 20 },
      },
      {
        id: 'stream-fanout-slowest',
        title: `stream ticket.called → last of ${clients} clients`,
        latency: summarize(slowest),
        method: 'per call, the latest of the clients (what the whole room waits for)',
      },
      {
        id: 'stream-call-answer',
        title: 'POST call-next answer, same run',
        latency: summarize(answers),
        method: 'request sent → 200 body read, while the 50 sockets are fed',
      },
    ];
  } finally {
    for (const socket of sockets) socket.terminate();
    await hub.dispose();
  }
}
