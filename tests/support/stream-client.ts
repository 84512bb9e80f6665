// A WebSocket client of the hub's stream for tests: it keeps every message it receives and lets a
// test wait (with a bound) for the message or count it expects, event-driven rather than sleeping.
import WebSocket from 'ws';
import type { TestHub } from './test-hub';

export interface Refusal {
  status: number;
  body: string;
}

export function streamUrl(hub: TestHub, query = ''): string {
  return `${hub.url.replace(/^http/, 'ws')}/api/v1/stream${query}`;
}

export class StreamClient {
  readonly messages: unknown[] = [];
  private waiters = new Set<() => void>();
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as unknown);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  /** Opens a stream; resolves once the socket is open (the hello may still be in flight). */
  static open(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new StreamClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`stream refused with HTTP ${res.statusCode ?? '?'}`)),
      );
      socket.once('error', reject);
    });
  }

  /** Tries to open a stream and reports the HTTP answer to the upgrade: 101 when it opened. */
  static attempt(url: string, headers: Record<string, string> = {}): Promise<Refusal> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => {
        socket.close();
        resolve({ status: 101, body: '' });
      });
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      socket.once('error', (error) => reject(error));
    });
  }

  /** Waits until `count` messages arrived (hello included); throws after `timeoutMs`. */
  waitForCount(count: number, timeoutMs = 5_000): Promise<unknown[]> {
    return this.waitUntil(() => this.messages.length >= count, `${count} messages`, timeoutMs).then(
      () => this.messages.slice(0, count),
    );
  }

  /** Waits until a message matches; returns it. */
  async waitForMessage(
    match: (message: unknown) => boolean,
    what: string,
    timeoutMs = 5_000,
  ): Promise<unknown> {
    await this.waitUntil(() => this.messages.some(match), what, timeoutMs);
    return this.messages.find(match);
  }

  private waitUntil(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) {
          finish();
          resolve();
        } else if (this.closed) {
          finish();
          reject(new Error(`stream closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => (m as { type?: string }).type))}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
