// The admin API against SQLite and PostgreSQL: branches, configuration versions, tickets
// projected from history, the report across branches, and who may call what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushAnswer } from '../../core/sync/protocol';
import {
  DAY,
  DeviceLog,
  T0,
  sampleConfig,
  ticket,
  ticketPayload,
} from '../../server/testing/fixtures';
import { STORE_KINDS } from '../../server/testing/test-stores';
import { startTestServer, type TestServer } from '../../server/testing/test-server';

const iso = (offsetSec: number) => new Date(T0 + offsetSec * 1000).toISOString();

describe.each(STORE_KINDS)('admin API on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.dispose());

  const admin = <T = unknown>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    server.call<T>(method, url, {
      token: server.adminToken,
      ...(body !== undefined ? { body } : {}),
    });

  const push = (token: string, log: DeviceLog, events = log.events) =>
    server.call<PushAnswer>('POST', '/api/v1/sync/push', {
      token,
      body: { deviceId: log.deviceId, epoch: log.epoch, events },
    });

  it('creates and lists branches; the token it shows works for sync', async () => {
    const created = await admin<{ branch: { id: string; name: string }; token: string }>(
      'POST',
      '/api/v1/branches',
      { name: 'Mairie Nord', id: 'mairie-nord' },
    );
    expect(created.status).toBe(201);
    expect(created.body.branch).toMatchObject({
      id: 'mairie-nord',
      name: 'Mairie Nord',
      configVersion: 0,
    });
    expect(created.body.token).toMatch(/^gsb_/);
    expect(
      (await admin('POST', '/api/v1/branches', { name: 'Again', id: 'mairie-nord' })).status,
    ).toBe(409);
    const list = await admin<{ branches: { id: string }[] }>('GET', '/api/v1/branches');
    expect(list.body.branches.map((b) => b.id)).toContain('mairie-nord');
    const pull = await server.call('GET', '/api/v1/sync/pull', { token: created.body.token });
    expect(pull.status).toBe(200);
    for (const body of [
      {},
      { name: '' },
      { name: 'nul\u0000' },
      { name: 'x', id: 'bad id' },
      { name: 'x', extra: 1 },
    ])
      expect((await admin('POST', '/api/v1/branches', body)).status).toBe(400);
  });

  it('versions configuration and refuses a stale edit', async () => {
    const { branchId } = await server.addBranch();
    const url = `/api/v1/branches/${branchId}/config`;
    expect((await admin('GET', url)).body).toEqual({ config: null });
    const v1 = await admin<{ config: { version: number } }>('PUT', url, { config: sampleConfig() });
    expect(v1.body.config.version).toBe(1);
    // Same content again: no new version.
    expect(
      (await admin<{ config: { version: number } }>('PUT', url, { config: sampleConfig() })).body
        .config.version,
    ).toBe(1);
    const v2 = await admin<{ config: { version: number } }>('PUT', url, {
      ifVersion: 1,
      config: sampleConfig('B'),
    });
    expect(v2.body.config.version).toBe(2);
    const stale = await admin<{ error: { code: string } }>('PUT', url, {
      ifVersion: 1,
      config: sampleConfig('C'),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(
      (await admin<{ config: { settings: { name: string } } }>('GET', url)).body.config.settings
        .name,
    ).toBe('B');
    expect((await admin('GET', '/api/v1/branches/nope/config')).status).toBe(404);
    expect(
      (await admin('PUT', '/api/v1/branches/nope/config', { config: sampleConfig() })).status,
    ).toBe(404);
  });

  it('lists the tickets of a day from the event history, latest HLC winning', async () => {
    const { branchId, token } = await server.addBranch();
    const hub = new DeviceLog('hub-t');
    const agent = new DeviceLog('agent-t');
    const t1 = ticket({ id: 't1', number: 'A001' });
    const t2 = ticket({ id: 't2', number: 'A002', queuedAt: iso(60), issuedAt: iso(60) });
    const t3 = ticket({
      id: 't3',
      number: 'B001',
      serviceId: 'svc-b',
      queuedAt: iso(90),
      issuedAt: iso(90),
    });
    // The agent issued t2 offline; the hub issued t1, t3 and later called t2 after receiving it.
    const issued2 = agent.next('ticket.issued', ticketPayload(t2));
    hub.next('ticket.issued', ticketPayload(t1));
    hub.next('ticket.issued', ticketPayload(t3));
    hub.next(
      'ticket.called',
      ticketPayload({ ...t1, status: 'called', calledAt: iso(120), counterId: 'c1' }),
    );
    hub.next(
      'ticket.finished',
      ticketPayload({
        ...t1,
        status: 'done',
        calledAt: iso(120),
        finishedAt: iso(400),
        counterId: 'c1',
      }),
    );
    hub.next(
      'ticket.called',
      ticketPayload({ ...t2, status: 'called', calledAt: iso(500), counterId: 'c1' }),
      10_000,
    );
    hub.next(
      'ticket.no_show',
      ticketPayload({ ...t2, status: 'no_show', calledAt: iso(500), counterId: 'c1' }),
    );
    // The hub's log reaches the server first, the agent's offline issue last: its older HLC loses.
    await push(token, hub);
    await push(token, agent);
    expect(issued2.hlc < hub.events.at(-1)!.hlc).toBe(true);
    const day = await admin<{
      tickets: { id: string; number: string; status: string; serviceId: string }[];
    }>('GET', `/api/v1/branches/${branchId}/tickets?date=${DAY}`);
    expect(day.status).toBe(200);
    expect(day.body.tickets.map((t) => [t.number, t.serviceId, t.status])).toEqual([
      ['A001', 'svc-a', 'done'],
      ['A002', 'svc-a', 'no_show'],
      ['B001', 'svc-b', 'waiting'],
    ]);
    expect(
      (
        await admin<{ tickets: unknown[] }>(
          'GET',
          `/api/v1/branches/${branchId}/tickets?date=2025-03-04`,
        )
      ).body.tickets,
    ).toEqual([]);
    for (const q of ['', '?date=2025-02-30', '?date=03/03/2025', `?date=${DAY}&x=1`])
      expect((await admin('GET', `/api/v1/branches/${branchId}/tickets${q}`)).status).toBe(400);
    expect((await admin('GET', `/api/v1/branches/nope/tickets?date=${DAY}`)).status).toBe(404);
  });

  it('reports per branch and service: issued, served, no-shows, average and p90 wait', async () => {
    const a = await server.addBranch('Report A');
    const b = await server.addBranch('Report B');
    const hubA = new DeviceLog('hub-ra');
    for (let i = 1; i <= 10; i++) {
      const t = ticket({
        id: `ra-${i}`,
        number: `A${String(i).padStart(3, '0')}`,
        businessDay: '2025-04-01',
      });
      hubA.next('ticket.issued', ticketPayload(t));
      // Waits of 60, 120, … 600 s; the tenth is a no-show.
      const called = { ...t, status: 'called' as const, calledAt: iso(60 * i), counterId: 'c1' };
      hubA.next('ticket.called', ticketPayload(called));
      hubA.next(
        i === 10 ? 'ticket.no_show' : 'ticket.finished',
        ticketPayload({ ...called, status: i === 10 ? 'no_show' : 'done' }),
      );
    }
    const hubB = new DeviceLog('hub-rb');
    hubB.next(
      'ticket.issued',
      ticketPayload(
        ticket({ id: 'rb-1', number: 'B001', serviceId: 'svc-b', businessDay: '2025-04-02' }),
      ),
    );
    await push(a.token, hubA);
    await push(b.token, hubB);
    const report = await admin<{ rows: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/reports/services?from=2025-04-01&to=2025-04-02',
    );
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual(
      [
        {
          branchId: a.branchId,
          branchName: 'Report A',
          serviceId: 'svc-a',
          issued: 10,
          served: 9,
          noShows: 1,
          avgWaitSec: 330,
          p90WaitSec: 540,
        },
        {
          branchId: b.branchId,
          branchName: 'Report B',
          serviceId: 'svc-b',
          issued: 1,
          served: 0,
          noShows: 0,
          avgWaitSec: null,
          p90WaitSec: null,
        },
      ].sort((x, y) => x.branchId.localeCompare(y.branchId)),
    );
    const onlyB = await admin<{ rows: unknown[] }>(
      'GET',
      `/api/v1/reports/services?from=2025-04-01&to=2025-04-02&branchId=${b.branchId}`,
    );
    expect(onlyB.body.rows).toHaveLength(1);
    for (const q of [
      'from=2025-04-02&to=2025-04-01',
      'from=2024-01-01&to=2025-04-01',
      'from=2025-04-01',
      'from=x&to=y',
    ])
      expect((await admin('GET', `/api/v1/reports/services?${q}`)).status).toBe(400);
  });

  it('lets only the admin token in, and says why', async () => {
    const { branchId, token } = await server.addBranch();
    const routes: ['GET' | 'POST' | 'PUT', string, unknown?][] = [
      ['GET', '/api/v1/branches'],
      ['POST', '/api/v1/branches', { name: 'x' }],
      ['GET', `/api/v1/branches/${branchId}`],
      ['GET', `/api/v1/branches/${branchId}/config`],
      ['PUT', `/api/v1/branches/${branchId}/config`, { config: sampleConfig() }],
      ['GET', `/api/v1/branches/${branchId}/tickets?date=${DAY}`],
      ['GET', '/api/v1/reports/services?from=2025-01-01&to=2025-01-02'],
    ];
    for (const [method, url, body] of routes) {
      const withBody = body !== undefined ? { body } : {};
      const none = await server.call<{ error: { code: string } }>(method, url, withBody);
      expect(none.status, url).toBe(401);
      expect(none.body.error.code).toBe('unauthorized');
      expect((await server.call(method, url, { ...withBody, token: 'gsa_forged' })).status).toBe(
        401,
      );
      expect(
        (await server.call(method, url, { ...withBody, headers: { authorization: 'Basic x' } }))
          .status,
      ).toBe(401);
      const branch = await server.call<{ error: { code: string } }>(method, url, {
        ...withBody,
        token,
      });
      expect(branch.status, url).toBe(403);
      expect(branch.body.error.code).toBe('forbidden');
    }
    for (const url of ['/api/v1/sync/pull'])
      expect((await server.call('GET', url, { token: server.adminToken })).status).toBe(403);
    expect((await server.call('GET', '/api/v1/health')).body).toEqual({
      status: 'ok',
      store: kind,
    });
    expect(
      (await server.call<{ error: { code: string } }>('GET', '/api/v1/nowhere')).body.error.code,
    ).toBe('route_not_found');
    // Nothing was created by all those refused calls.
    const list = await admin<{ branches: { name: string }[] }>('GET', '/api/v1/branches');
    expect(list.body.branches.filter((b) => b.name === 'x')).toEqual([]);
  });
});
