import { describe, expect, it } from 'vitest';
import type { QueueDto } from '../../core/api/schemas';
import { backoffDelay } from './backoff';
import { LiveSync } from './live-sync';
import { StreamClient, type HubEvent, type SocketLike } from './stream';
import { calledEvent } from './test-fixtures';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  /** The server side. */
  send(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.onerror?.({});
    this.onclose?.({});
  }
}

/** A fake clock for the reconnect timers. */
function fakeTimers() {
  const timers: { fn: () => void; ms: number }[] = [];
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    fireNext: () => timers.shift()?.fn(),
  };
}

const hello = (seq: number) => ({ type: 'stream.hello', seq, at: '2026-11-22T08:00:00.000Z' });
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(snapshots: (() => Promise<QueueDto>)[]) {
  const sockets: FakeSocket[] = [];
  const clock = fakeTimers();
  const applied: string[] = [];
  let fetches = 0;
  const sync = new LiveSync<QueueDto>({
    fetchSnapshot: () => {
      const next = snapshots[Math.min(fetches, snapshots.length - 1)];
      fetches++;
      if (!next) throw new Error('no snapshot');
      return next();
    },
    onSnapshot: (q) => applied.push(`snapshot@${q.seq}`),
    onEvent: (e: HubEvent) => applied.push(`event@${e.seq}`),
  });
  const client = new StreamClient(
    {
      url: 'ws://hub/api/v1/stream',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
      ...clock,
    },
    sync,
  );
  return { client, sockets, clock, applied, fetches: () => fetches };
}

const queueAt = (seq: number): QueueDto => ({ waiting: [], called: [], serving: [], seq });

describe('backoff', () => {
  it('grows exponentially, is capped, and is jittered', () => {
    const mid = { random: () => 0.5 };
    expect(backoffDelay(0, mid)).toBe(375);
    expect(backoffDelay(3, mid)).toBe(3000);
    expect(backoffDelay(20, mid)).toBe(11250);
    expect(backoffDelay(2, { random: () => 0 })).toBe(1000);
    expect(backoffDelay(2, { random: () => 1 })).toBe(2000);
  });
});

describe('StreamClient + LiveSync', () => {
  it('is connected only once the hub says hello, then applies events after the snapshot', async () => {
    const { client, sockets, applied } = setup([async () => queueAt(5)]);
    client.start();
    expect(client.state.get()).toBe('connecting');
    sockets[0]!.send(hello(5));
    expect(client.state.get()).toBe('connected');
    await flush();
    sockets[0]!.send(calledEvent(5)); // already in the snapshot
    sockets[0]!.send(calledEvent(6));
    sockets[0]!.send(calledEvent(6)); // delivered twice
    sockets[0]!.send({ type: 'something.new', seq: 7 }); // unknown type: ignored
    expect(applied).toEqual(['snapshot@5', 'event@6']);
  });

  it('buffers events that arrive while the snapshot loads and keeps only newer ones', async () => {
    let release: (q: QueueDto) => void = () => undefined;
    const { client, sockets, applied } = setup([
      () => new Promise<QueueDto>((resolve) => (release = resolve)),
    ]);
    client.start();
    sockets[0]!.send(hello(10));
    sockets[0]!.send(calledEvent(12));
    sockets[0]!.send(calledEvent(11));
    release(queueAt(11));
    await flush();
    expect(applied).toEqual(['snapshot@11', 'event@12']);
  });

  it('reconnects with growing delays, reports reconnecting then offline, resyncs without replay', async () => {
    const { client, sockets, clock, applied, fetches } = setup([
      async () => queueAt(3),
      async () => queueAt(9),
    ]);
    client.start();
    sockets[0]!.send(hello(3));
    await flush();
    sockets[0]!.send(calledEvent(4));

    sockets[0]!.drop();
    expect(client.state.get()).toBe('reconnecting');
    for (let i = 1; i <= 5; i++) {
      clock.fireNext();
      sockets[i]!.drop();
    }
    expect(client.state.get()).toBe('offline');
    const delays = clock.timers.map((t) => t.ms);
    expect(delays).toHaveLength(1);

    clock.fireNext();
    const last = sockets.at(-1)!;
    last.send(hello(9)); // things happened while we were away
    expect(client.state.get()).toBe('connected');
    await flush();
    last.send(calledEvent(7)); // old: covered by the snapshot, never re-announced
    last.send(calledEvent(10));
    expect(applied).toEqual(['snapshot@3', 'event@4', 'snapshot@9', 'event@10']);
    expect(fetches()).toBe(2);
  });

  it('skips the refetch when nothing happened while disconnected', async () => {
    const { client, sockets, clock, fetches } = setup([async () => queueAt(3)]);
    client.start();
    sockets[0]!.send(hello(3));
    await flush();
    sockets[0]!.drop();
    clock.fireNext();
    sockets[1]!.send(hello(3));
    await flush();
    expect(fetches()).toBe(1);
  });

  it('uses exponential delays between attempts', () => {
    const { client, sockets, clock } = setup([async () => queueAt(1)]);
    client.start();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      sockets[i]!.drop();
      seen.push(clock.timers[0]!.ms);
      clock.fireNext();
    }
    expect(seen).toEqual([375, 750, 1500, 3000]);
  });

  it('stops cleanly', () => {
    const { client, sockets, clock } = setup([async () => queueAt(1)]);
    client.start();
    client.stop();
    expect(sockets[0]!.closed).toBe(true);
    sockets[0]!.drop();
    expect(clock.timers).toHaveLength(0);
  });
});

describe('stream auth', () => {
  it('asks the owner to check the pairing when the hub refuses or revokes the stream', () => {
    let rejected = 0;
    const sockets: FakeSocket[] = [];
    const clock = fakeTimers();
    const client = new StreamClient(
      {
        url: 'ws://hub/api/v1/stream',
        createSocket: (url) => {
          const s = new FakeSocket(url);
          sockets.push(s);
          return s;
        },
        ...clock,
      },
      { onHello: () => undefined, onEvent: () => undefined, onRejected: () => rejected++ },
    );
    client.start();
    sockets[0]!.drop(); // refused upgrade: closed before any hello
    expect(rejected).toBe(1);
    clock.fireNext();
    sockets[1]!.send(hello(1));
    sockets[1]!.onclose?.({ code: 1006 }); // an ordinary drop after hello: no check
    expect(rejected).toBe(1);
    clock.fireNext();
    sockets[2]!.send(hello(1));
    sockets[2]!.onclose?.({ code: 4401 }); // device revoked
    expect(rejected).toBe(2);
  });

  it('hands live hardware messages to onLive and the business day to onHello; old handlers skip them', () => {
    const sockets: FakeSocket[] = [];
    const seen: string[] = [];
    const make = (withLive: boolean) =>
      new StreamClient(
        {
          url: 'ws://hub/api/v1/stream',
          createSocket: (url) => {
            const s = new FakeSocket(url);
            sockets.push(s);
            return s;
          },
          ...fakeTimers(),
        },
        {
          onHello: (seq, day) => seen.push(`hello@${seq}:${day ?? '-'}`),
          onEvent: (e) => seen.push(`event@${e.seq}`),
          ...(withLive ? { onLive: (m) => seen.push(`live:${m.type}`) } : {}),
        },
      );
    const at = '2026-11-22T08:00:00.000Z';
    const job = {
      type: 'print.job',
      at,
      ticketId: 't1',
      jobId: 'ticket-t1-1',
      printerId: 'prn-0123456789',
      state: 'printed',
      attempts: 1,
    };
    const status = {
      type: 'printer.status',
      at,
      printerId: 'prn-0123456789',
      state: 'paper_out',
      paperNearEnd: true,
      pending: 1,
    };
    make(true).start();
    sockets[0]!.send({ ...hello(4), businessDay: '2026-11-22' });
    sockets[0]!.send(job);
    sockets[0]!.send(status);
    sockets[0]!.send({ type: 'scanner.result', at, ok: false, kind: null, message: 'bad' });
    sockets[0]!.send(calledEvent(5));
    expect(seen).toEqual([
      'hello@4:2026-11-22',
      'live:print.job',
      'live:printer.status',
      'live:scanner.result',
      'event@5',
    ]);
    seen.length = 0;
    make(false).start();
    sockets[1]!.send(hello(4));
    sockets[1]!.send(job);
    sockets[1]!.send(calledEvent(5));
    expect(seen).toEqual(['hello@4:-', 'event@5']);
  });

  it('hands sync.status to onSyncStatus only; onLive and old handlers never see it', () => {
    const sockets: FakeSocket[] = [];
    const seen: string[] = [];
    const make = (withSync: boolean) =>
      new StreamClient(
        {
          url: 'ws://hub/api/v1/stream',
          createSocket: (url) => {
            const s = new FakeSocket(url);
            sockets.push(s);
            return s;
          },
          ...fakeTimers(),
        },
        {
          onHello: (seq) => seen.push(`hello@${seq}`),
          onEvent: (e) => seen.push(`event@${e.seq}`),
          onLive: (m) => seen.push(`live:${m.type}`),
          ...(withSync ? { onSyncStatus: (s) => seen.push(`sync:${s.state}:${s.backlog}`) } : {}),
        },
      );
    const sync = {
      type: 'sync.status',
      at: '2026-11-22T08:00:00.000Z',
      linked: true,
      centralHost: 'central.example:8443',
      state: 'offline',
      lastSuccessAt: null,
      backlog: 3,
      lastError: 'connect ECONNREFUSED',
    };
    make(true).start();
    sockets[0]!.send(hello(4));
    sockets[0]!.send(sync);
    sockets[0]!.send(calledEvent(5));
    expect(seen).toEqual(['hello@4', 'sync:offline:3', 'event@5']);
    seen.length = 0;
    make(false).start();
    sockets[1]!.send(hello(4));
    sockets[1]!.send(sync);
    sockets[1]!.send(calledEvent(5));
    expect(seen).toEqual(['hello@4', 'event@5']);
  });
});
