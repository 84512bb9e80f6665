// The benchmarks' HTTP client: node:http on kept-alive sockets. Lighter than fetch (undici), which
// added ~0.3 ms and its own garbage to every sample on this machine: the benchmarks time the hub,
// so the client should cost as little as it can.
import http from 'node:http';

export interface BenchAnswer<T> {
  status: number;
  body: T;
}

const agents = new Map<string, http.Agent>();

function agentFor(origin: string): http.Agent {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true });
    agents.set(origin, agent);
  }
  return agent;
}

/** Closes the kept-alive sockets (a hub being stopped would otherwise wait on them). */
export function closeBenchSockets(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** One JSON request; never throws on an HTTP status. */
export function httpJson<T = unknown>(
  baseUrl: string,
  method: string,
  route: string,
  options: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<BenchAnswer<T>> {
  const url = new URL(route, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...options.headers,
    authorization: `Bearer ${options.token}`,
  };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: agentFor(url.origin) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({
            status: res.statusCode ?? 0,
            body: (text ? JSON.parse(text) : undefined) as T,
          });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
