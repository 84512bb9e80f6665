// Pull and configuration per docs/sync.md, against SQLite and PostgreSQL: cursors, other
// devices only, paging, config adoption by the first hub, config changes reaching hubs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkConfigAnswer, PullAnswer, PushAnswer } from '../../core/sync/protocol';
import { DeviceLog, sampleConfig } from '../../server/testing/fixtures';
import { STORE_KINDS } from '../../server/testing/test-stores';
import { startTestServer, type TestServer } from '../../server/testing/test-server';

describe.each(STORE_KINDS)('pull and config on %s', (kind) => {
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
  const pull = (token: string, query = '') =>
    server.call<PullAnswer>('GET', `/api/v1/sync/pull${query ? `?${query}` : ''}`, { token });

  it('returns the events of other devices after the cursor, in commit order', async () => {
    const { token } = await server.addBranch();
    const hub = new DeviceLog('hub-1');
    const agent = new DeviceLog('agent-1');
    hub.filler(3);
    agent.filler(2);
    await push(token, hub);
    await push(token, agent);
    const all = await pull(token);
    expect(all.status).toBe(200);
    expect(all.body.events.map((e) => e.eventId)).toEqual(
      [...hub.events, ...agent.events].map((e) => e.eventId),
    );
    expect(all.body.events[0]).toMatchObject({
      ...hub.events[0],
      deviceId: 'hub-1',
      epoch: hub.epoch,
    });
    const mine = await pull(token, 'deviceId=hub-1');
    expect(mine.body.events.map((e) => e.deviceId)).toEqual(['agent-1', 'agent-1']);
    expect(mine.body.hasMore).toBe(false);
    // Nothing new: same cursor, no events.
    const again = await pull(token, `deviceId=hub-1&cursor=${mine.body.cursor}`);
    expect(again.body).toMatchObject({ events: [], cursor: mine.body.cursor, hasMore: false });
    // New events from the agent arrive after the cursor; the hub's own never do.
    agent.filler(1);
    hub.filler(1);
    await push(token, agent, agent.events.slice(2));
    await push(token, hub, hub.events.slice(3));
    const next = await pull(token, `deviceId=hub-1&cursor=${mine.body.cursor}`);
    expect(next.body.events.map((e) => e.eventId)).toEqual([agent.events[2]!.eventId]);
  });

  it('pages with limit and hasMore until the log is read', async () => {
    const { token } = await server.addBranch();
    const agent = new DeviceLog('agent-p');
    agent.filler(7);
    await push(token, agent);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const answer = await pull(token, `limit=3&cursor=${cursor}`);
      seen.push(...answer.body.events.map((e) => e.eventId));
      cursor = answer.body.cursor;
      if (!answer.body.hasMore) break;
    }
    expect(seen).toEqual(agent.events.map((e) => e.eventId));
  });

  it('leaves rejected events out of pulls', async () => {
    const { token } = await server.addBranch();
    const agent = new DeviceLog('agent-r');
    agent.next('mystery.event', {});
    agent.filler(1);
    await push(token, agent);
    const answer = await pull(token);
    expect(answer.body.events.map((e) => e.type)).toEqual(['counter.paused']);
  });

  it('refuses a cursor it did not issue, and restarts one from beyond its log', async () => {
    const { token } = await server.addBranch();
    for (const bad of ['abc', 'c1.x.1', 'c1.1', '%00', 'c1.1.1.1'])
      expect((await pull(token, `cursor=${encodeURIComponent(bad)}`)).status).toBe(400);
    expect((await pull(token, 'limit=0')).status).toBe(400);
    expect((await pull(token, 'limit=501')).status).toBe(400);
    expect((await pull(token, 'other=1')).status).toBe(400);
    const agent = new DeviceLog('agent-c');
    agent.filler(2);
    await push(token, agent);
    const restarted = await pull(token, 'cursor=c1.999.0');
    expect(restarted.status).toBe(200);
    expect(restarted.body.events).toHaveLength(2);
  });

  it('adopts the first hub configuration of an empty branch, then serves its own', async () => {
    const { branchId, token } = await server.addBranch();
    expect((await pull(token)).body.config).toBeNull();
    const first = await server.call<LinkConfigAnswer>('POST', '/api/v1/sync/config', {
      token,
      body: { config: sampleConfig('Hub config') },
    });
    expect(first.status).toBe(200);
    expect(first.body.adopted).toBe(true);
    expect(first.body.config).toMatchObject({ version: 1, settings: { name: 'Hub config' } });
    // A second hub (or the same after a lost answer) does not overwrite it: it gets the branch's.
    const second = await server.call<LinkConfigAnswer>('POST', '/api/v1/sync/config', {
      token,
      body: { config: sampleConfig('Another hub') },
    });
    expect(second.body).toMatchObject({
      adopted: false,
      config: { version: 1, settings: { name: 'Hub config' } },
    });
    // Pull carries the config once per version.
    const withConfig = await pull(token);
    expect(withConfig.body.config?.version).toBe(1);
    const unchanged = await pull(token, `cursor=${withConfig.body.cursor}`);
    expect(unchanged.body.config).toBeNull();
    // The admin edits it: the next pull brings version 2.
    const edited = sampleConfig('Renamed by admin');
    const put = await server.call<{ config: { version: number } }>(
      'PUT',
      `/api/v1/branches/${branchId}/config`,
      {
        token: server.adminToken,
        body: { ifVersion: 1, config: edited },
      },
    );
    expect(put.body.config.version).toBe(2);
    const changed = await pull(token, `cursor=${unchanged.body.cursor}`);
    expect(changed.body.config).toMatchObject({
      version: 2,
      settings: { name: 'Renamed by admin' },
    });
  });

  it('validates a configuration whole, and refuses an inconsistent one', async () => {
    const { branchId, token } = await server.addBranch();
    const broken = [
      {
        ...sampleConfig(),
        services: [...sampleConfig().services, { ...sampleConfig().services[0]! }],
      },
      {
        ...sampleConfig(),
        counters: [{ id: 'c9', name: 'X', profile: [{ serviceId: 'ghost', weight: 1 }] }],
      },
      { ...sampleConfig(), devices: [{ ...sampleConfig().devices[0]!, counterId: null }] },
      { ...sampleConfig(), settings: { ...sampleConfig().settings, timeZone: 'Mars/Olympus' } },
      { ...sampleConfig(), settings: { ...sampleConfig().settings, defaultLang: 'de' } },
      { ...sampleConfig(), extra: true },
    ];
    for (const config of broken) {
      const answer = await server.call<{ error: { code: string } }>('POST', '/api/v1/sync/config', {
        token,
        body: { config },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    expect(
      (
        await server.call('GET', `/api/v1/branches/${branchId}/config`, {
          token: server.adminToken,
        })
      ).body,
    ).toEqual({
      config: null,
    });
  });
});
