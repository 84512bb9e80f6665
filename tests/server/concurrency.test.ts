// Many branches pushing at once, several devices of one branch racing, the same batch sent
// twice concurrently, and pokes between devices (and between server instances on PostgreSQL).
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PullAnswer, PushAnswer } from '../../core/sync/protocol';
import { buildServerApp } from '../../server/api/build-app';
import type { ZodApp } from '../../http/zod-app';
import { DeviceLog, sampleConfig } from '../../server/testing/fixtures';
import { STORE_KINDS } from '../../server/testing/test-stores';
import { startTestServer, type TestServer } from '../../server/testing/test-server';

describe.each(STORE_KINDS)('concurrency and pokes on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.dispose());

  const push = (token: string, log: DeviceLog, events = log.events) =>
    server.call<PushAnswer>('POST', '/api/v1/sync/push', {
      token,
      body: { deviceId: log.deviceId, epoch: log.epoch, events },
    });

  it('takes pushes from 40 branches at once, in batches, with nothing lost or doubled', async () => {
    const branches = await Promise.all(Array.from({ length: 40 }, () => server.addBranch()));
    const logs = branches.map((_, i) => {
      const log = new DeviceLog(`hub-${i}`);
      log.filler(30);
      return log;
    });
    // Each hub sends its log in 3 batches of 10, every batch twice, all hubs interleaved.
    await Promise.all(
      branches.map(async (b, i) => {
        const log = logs[i] as DeviceLog;
        for (let from = 0; from < 30; from += 10) {
          const batch = log.events.slice(from, from + 10);
          const answers = await Promise.all([push(b.token, log, batch), push(b.token, log, batch)]);
          for (const a of answers) expect(a.status).toBe(200);
        }
      }),
    );
    for (const [i, b] of branches.entries()) {
      const pulled = await server.call<PullAnswer>('GET', '/api/v1/sync/pull', { token: b.token });
      expect(pulled.body.events.map((e) => e.deviceSeq)).toEqual(
        Array.from({ length: 30 }, (_, k) => k + 1),
      );
      expect(pulled.body.events.every((e) => e.deviceId === `hub-${i}`)).toBe(true);
    }
  });

  it('serialises devices of one branch: positions follow commit order, no event skipped', async () => {
    const { token } = await server.addBranch();
    const devices = Array.from({ length: 5 }, (_, i) => new DeviceLog(`agent-${i}`));
    for (const d of devices) d.filler(20);
    // A puller that reads while pushes commit must still see every event exactly once.
    const seen = new Set<string>();
    let cursor = '';
    let pushing = true;
    const reader = (async () => {
      while (pushing) {
        // Let pushes through between pulls: inject resolves without touching the event loop.
        await new Promise((r) => setTimeout(r, 2));
        const answer = await server.call<PullAnswer>('GET', `/api/v1/sync/pull?cursor=${cursor}`, {
          token,
        });
        for (const e of answer.body.events) {
          expect(seen.has(e.eventId)).toBe(false);
          seen.add(e.eventId);
        }
        cursor = answer.body.cursor;
      }
    })();
    await Promise.all(
      devices.map(async (d) => {
        for (let from = 0; from < 20; from += 5)
          await push(token, d, d.events.slice(from, from + 5));
      }),
    );
    pushing = false;
    await reader;
    const rest = await server.call<PullAnswer>('GET', `/api/v1/sync/pull?cursor=${cursor}`, {
      token,
    });
    for (const e of rest.body.events) seen.add(e.eventId);
    expect(seen.size).toBe(100);
  });

  it('pokes the other connected devices of the branch after a push', async () => {
    const app = server.app;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { branchId, token } = await server.addBranch();
    const other = await server.addBranch();
    const base = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/sync/poke`;
    const agent = new WebSocket(`${base}?deviceId=agent-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const pusher = new WebSocket(`${base}?deviceId=hub-1&token=${encodeURIComponent(token)}`);
    const stranger = new WebSocket(`${base}?deviceId=hub-9`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    await Promise.all([once(agent, 'open'), once(pusher, 'open'), once(stranger, 'open')]);
    const received = { agent: 0, pusher: 0, stranger: 0 };
    agent.on('message', (m) => {
      expect(JSON.parse(String(m))).toEqual({ type: 'poke' });
      received.agent += 1;
    });
    pusher.on('message', () => (received.pusher += 1));
    stranger.on('message', () => (received.stranger += 1));
    const log = new DeviceLog('hub-1');
    log.filler(2);
    await push(token, log);
    await push(token, log); // a duplicate stores nothing: no poke
    await waitFor(() => received.agent >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual({ agent: 1, pusher: 0, stranger: 0 });
    // An admin configuration change pokes every device of the branch.
    await server.call('PUT', `/api/v1/branches/${branchId}/config`, {
      token: server.adminToken,
      body: { config: sampleConfig() },
    });
    await waitFor(() => received.pusher === 1 && received.agent === 2);
    for (const s of [agent, pusher, stranger]) s.close();
    // Without a token the socket is refused.
    const anonymous = new WebSocket(base);
    const [error] = (await once(anonymous, 'unexpected-response')) as [
      unknown,
      { statusCode: number },
    ];
    void error;
  });
});

describe('several server instances on one PostgreSQL database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgres');
  });
  afterAll(async () => server?.dispose());

  const push = (token: string, log: DeviceLog, events = log.events) =>
    server.call<PushAnswer>('POST', '/api/v1/sync/push', {
      token,
      body: { deviceId: log.deviceId, epoch: log.epoch, events },
    });

  it('pokes sockets held by another server instance (LISTEN/NOTIFY)', async () => {
    const secondStore = await server.testStore.openAnother();
    const second: ZodApp = await buildServerApp(secondStore);
    try {
      await second.listen({ host: '127.0.0.1', port: 0 });
      const { token } = await server.addBranch();
      const port = (second.server.address() as { port: number }).port;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/sync/poke?deviceId=agent-2`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await once(socket, 'open');
      let pokes = 0;
      socket.on('message', () => (pokes += 1));
      const log = new DeviceLog('hub-2');
      log.filler(1);
      await push(token, log); // through the first instance
      await waitFor(() => pokes === 1);
      socket.close();
    } finally {
      await second.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
