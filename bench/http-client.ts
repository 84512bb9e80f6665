// The benchmarks' HTTP client: HTTP/1.1 on kept-alive sockets, one request at a time on each.
//
// Every sample the benchmarks take includes the client's own work, and on a small machine that
// work also takes CPU from the hub being measured. So the client is as small as wrk is in C: it
// writes the request in one go and reads the answer's status, Content-Length and body, nothing
// more. Measured against the same hub in one process (docs/benchmarks.md, "Eleventh run"),
// node:http's agent, parser and streams added 0.12–0.15 ms to each POST /tickets at p50 and
// undici's Client 0.06 ms; before them, fetch added ~0.3 ms. It understands only what the hub
// and the floor server send (a body sized by Content-Length, or none for 204/304) and fails
// loudly on anything else rather than guess.
import net from 'node:net';

export interface BenchAnswer<T> {
  status: number;
  body: T;
}

interface RawAnswer {
  status: number;
  text: string;
}

const HEAD_END = '\r\n\r\n';

/** One kept-alive socket; `send` may be called again once the previous answer is in. */
class Connection {
  private readonly socket: net.Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve(answer: RawAnswer): void; reject(error: Error): void } | null = null;
  /** False once the socket closed, failed, or the server said it would close it. */
  reusable = true;

  constructor(
    url: URL,
    private readonly onGone: (connection: Connection) => void,
  ) {
    this.socket = net.connect({ host: url.hostname, port: Number(url.port) });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.readAnswer();
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  send(request: string): Promise<RawAnswer> {
    if (this.waiting) throw new Error('one request at a time on a bench connection');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.reusable = false;
    this.onGone(this);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }

  private readAnswer(): void {
    if (!this.waiting) return;
    const headEnd = this.buffered.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(head)?.[1]);
    const length = /\r\ncontent-length: *(\d+)\r?$/im.exec(head)?.[1];
    if (!status || (length === undefined && status !== 204 && status !== 304)) {
      this.socket.destroy();
      return this.fail(new Error(`bench client: an answer it cannot read:\n${head}`));
    }
    const bodyStart = headEnd + HEAD_END.length;
    const bodyEnd = bodyStart + Number(length ?? 0);
    if (this.buffered.length < bodyEnd) return;
    const text = this.buffered.toString('utf8', bodyStart, bodyEnd);
    this.buffered = this.buffered.subarray(bodyEnd);
    if (/\r\nconnection: *close\r?$/im.test(head)) this.reusable = false;
    const waiting = this.waiting;
    this.waiting = null;
    waiting.resolve({ status, text });
  }
}

/** Idle connections per origin, and every open one (to close them all). */
const idle = new Map<string, Connection[]>();
const open = new Set<Connection>();

function takeConnection(url: URL): Connection {
  const reused = idle.get(url.origin)?.pop();
  if (reused) return reused;
  const connection = new Connection(url, (gone) => {
    open.delete(gone);
    const list = idle.get(url.origin);
    if (list?.includes(gone)) list.splice(list.indexOf(gone), 1);
  });
  open.add(connection);
  return connection;
}

function giveBack(url: URL, connection: Connection): void {
  if (!connection.reusable) return connection.destroy();
  const list = idle.get(url.origin) ?? [];
  list.push(connection);
  idle.set(url.origin, list);
}

/** Closes the kept-alive sockets (a hub being stopped would otherwise wait on them). */
export function closeBenchSockets(): void {
  for (const connection of open) connection.destroy();
  open.clear();
  idle.clear();
}

/** One JSON request; never throws on an HTTP status. */
export async function httpJson<T = unknown>(
  baseUrl: string,
  method: string,
  route: string,
  options: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<BenchAnswer<T>> {
  const url = new URL(route, baseUrl);
  const payload = options.body === undefined ? '' : JSON.stringify(options.body);
  const fields: Record<string, string> = {
    ...options.headers,
    host: url.host,
    authorization: `Bearer ${options.token}`,
  };
  if (payload) fields['content-type'] = 'application/json';
  if (payload || method !== 'GET') fields['content-length'] = String(Buffer.byteLength(payload));
  let request = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(fields)) {
    if (/[\r\n]/.test(name + value)) throw new Error(`bench client: a line break in ${name}`);
    request += `${name}: ${value}\r\n`;
  }
  const connection = takeConnection(url);
  const answer = await connection.send(`${request}\r\n${payload}`);
  giveBack(url, connection);
  return { status: answer.status, body: (answer.text ? JSON.parse(answer.text) : undefined) as T };
}
