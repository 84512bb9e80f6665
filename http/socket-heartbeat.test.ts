import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { SocketHeartbeat } from './socket-heartbeat';

/** The three things the heartbeat uses of a socket. */
class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;
  ping(): void {
    this.pings += 1;
  }
  terminate(): void {
    this.terminated = true;
  }
}
const asWs = (s: FakeSocket) => s as unknown as WebSocket;

afterEach(() => vi.useRealTimers());

describe('SocketHeartbeat', () => {
  it('pings live sockets and terminates one that did not answer the previous ping', () => {
    vi.useFakeTimers();
    const answering = new FakeSocket();
    const silent = new FakeSocket();
    const heartbeat = new SocketHeartbeat(() => [answering, silent].map(asWs), 1000);
    heartbeat.watch(asWs(answering));
    heartbeat.watch(asWs(silent));

    vi.advanceTimersByTime(1000); // first beat: both were alive when watched, both pinged
    expect([answering.pings, silent.pings]).toEqual([1, 1]);
    answering.emit('pong');

    vi.advanceTimersByTime(1000); // second beat: only the one that answered is pinged again
    expect(answering.terminated).toBe(false);
    expect(answering.pings).toBe(2);
    expect(silent.terminated).toBe(true);
    heartbeat.stop();
  });

  it('stops beating once stopped', () => {
    vi.useFakeTimers();
    const socket = new FakeSocket();
    const heartbeat = new SocketHeartbeat(() => [asWs(socket)], 1000);
    heartbeat.watch(asWs(socket));
    heartbeat.stop();
    vi.advanceTimersByTime(5000);
    expect(socket.pings).toBe(0);
  });
});
