// The benchmarks' own HTTP client (http-client.ts) against a real node:http server on loopback:
// what it sends, what it reads back, when it reuses a socket, and that it fails instead of
// hanging or guessing.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeBenchSockets, httpJson } from './http-client';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

let server: http.Server;
let baseUrl: string;
let seen: Seen[];
let answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

beforeEach(async () => {
  seen = [];
  answer = (_req, res) => res.end(JSON.stringify({ ok: true }));
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body,
        socket: req.socket,
      });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  closeBenchSockets();
  await new Promise((resolve) => server.close(resolve));
});

describe('the benchmarks HTTP client', () => {
  it('sends the method, path, token, headers and JSON body, and reads status and JSON back', async () => {
    answer = (_req, res, body) => {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ echoed: JSON.parse(body), name: 'État civil — 次' }));
    };
    const reply = await httpJson<{ echoed: unknown; name: string }>(
      baseUrl,
      'POST',
      '/api/v1/tickets?lang=fr',
      { token: 'tok', body: { serviceId: 'visas' }, headers: { 'idempotency-key': 'k-1' } },
    );
    expect(reply).toEqual({
      status: 201,
      body: { echoed: { serviceId: 'visas' }, name: 'État civil — 次' },
    });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/tickets?lang=fr' });
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer tok',
      'idempotency-key': 'k-1',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"serviceId":"visas"}')),
    });
  });

  it('keeps one socket for requests one after another, 204s included', async () => {
    answer = (req, res) => {
      if (req.url === '/empty') {
        res.statusCode = 204;
        return res.end();
      }
      res.end(JSON.stringify({ n: seen.length }));
    };
    expect(await httpJson(baseUrl, 'POST', '/empty', { token: 't' })).toEqual({
      status: 204,
      body: undefined,
    });
    expect((await httpJson(baseUrl, 'GET', '/a', { token: 't' })).body).toEqual({ n: 2 });
    expect((await httpJson(baseUrl, 'GET', '/b', { token: 't' })).body).toEqual({ n: 3 });
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('gives requests in flight together sockets of their own, each its own answer', async () => {
    // All three take a socket before any answer can come back (httpJson takes it synchronously).
    answer = (req, res) => res.end(JSON.stringify({ url: req.url }));
    const replies = await Promise.all(
      ['/1', '/2', '/3'].map((route) => httpJson(baseUrl, 'GET', route, { token: 't' })),
    );
    expect(replies.map((r) => r.body)).toEqual([{ url: '/1' }, { url: '/2' }, { url: '/3' }]);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(3);
  });

  it('opens a new socket after an answer that closes the connection', async () => {
    answer = (_req, res) => {
      res.setHeader('connection', 'close');
      res.end(JSON.stringify({ ok: true }));
    };
    await httpJson(baseUrl, 'GET', '/x', { token: 't' });
    await httpJson(baseUrl, 'GET', '/y', { token: 't' });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.socket).not.toBe(seen[1]!.socket);
  });

  it('fails, not hangs, when the server drops the connection before answering', async () => {
    answer = (req) => req.socket.destroy();
    await expect(httpJson(baseUrl, 'GET', '/drop', { token: 't' })).rejects.toThrow(/closed/);
  });

  it('refuses an answer sized some other way than Content-Length', async () => {
    answer = (_req, res) => {
      res.write('{"part":');
      res.end('1}');
    };
    await expect(httpJson(baseUrl, 'GET', '/chunked', { token: 't' })).rejects.toThrow(
      /cannot read/,
    );
  });

  it('closes its idle sockets when asked', async () => {
    await httpJson(baseUrl, 'GET', '/a', { token: 't' });
    const closed = new Promise((resolve) => seen[0]!.socket.once('close', resolve));
    closeBenchSockets();
    await closed;
    expect(seen[0]!.socket.destroyed).toBe(true);
  });
});
