// The hub syncing with a REAL central server (the production app on SQLite, and once on
// PostgreSQL): first link, tickets reaching the server, the central going away and coming back,
// a request lost on a broken path, duplicates and gaps, configuration changes pushed down, skewed
// clocks. No sleeps: every wait is a bounded poll on an observable condition.
import { afterEach, describe, expect, it } from 'vitest';
import type { HubLiveMessage, SyncStatusDto } from '../../core/api/schemas';
import { sampleConfig } from '../../server/testing/fixtures';
import { StreamClient } from '../support/stream-client';
import { startRelay, type Relay } from '../support/tcp-relay';
import { call } from '../support/test-hub';
import {
  eventually,
  issue,
  serverBranch,
  serverTickets,
  startCentral,
  startSyncedHub,
  type Central,
  type SyncedHub,
} from './sync-harness';

let central: Central | undefined;
let hub: SyncedHub | undefined;
afterEach(async () => {
  await hub?.dispose();
  await central?.dispose();
  hub = central = undefined;
});

const status = async (h: SyncedHub) =>
  (await call<SyncStatusDto>(h.url, 'GET', '/api/v1/sync/status', { token: h.tokens.admin })).body;

/** Waits until the central has acknowledged the hub's whole log. */
const drained = (c: Central, h: SyncedHub) =>
  eventually(async () => {
    const last = h.hub.ctx.outbox.lastOwnSeq();
    const device = (await serverBranch(c)).devices.find(
      (d) => d.deviceId === h.hub.ctx.outbox.deviceId,
    );
    return device && device.ackSeq === last ? device : undefined;
  }, 'the central to acknowledge the whole log');

describe.each(['sqlite', 'postgres'] as const)('link and push (%s)', (kind) => {
  it('links (the empty branch adopts the hub configuration) and issued tickets reach the server', async () => {
    central = await startCentral(kind);
    const c = central;
    hub = await startSyncedHub(c);
    const h = hub;
    const issued = [await issue(h), await issue(h, 'passeports'), await issue(h)];
    expect(issued.map((a) => a.status)).toEqual([201, 201, 201]);
    const day = issued[0]!.body.businessDay;

    const tickets = await eventually(async () => {
      const list = await serverTickets(c, day);
      return list.length === 3 ? list : undefined;
    }, 'three tickets on the server');
    expect(tickets.map((t) => t.number).sort()).toEqual(issued.map((a) => a.body.number).sort());
    const config = await c.admin<{ config: { version: number; services: { id: string }[] } }>(
      'GET',
      `/api/v1/branches/${c.branchId}/config`,
    );
    expect(config.body.config.version).toBe(1);
    expect(config.body.config.services.map((s) => s.id)).toContain('etat-civil');

    await drained(c, h);
    const shown = await eventually(async () => {
      const s = await status(h);
      return s.state === 'online' && s.backlog === 0 ? s : undefined;
    }, 'status online');
    expect(shown).toMatchObject({
      linked: true,
      centralHost: new URL(c.url).host,
      lastError: null,
    });
    expect(JSON.stringify(shown)).not.toContain(c.branchToken);
    // Nothing the hub pushed was refused.
    expect((await serverBranch(c)).rejected).toEqual([]);
  });
});

describe('offline and back', () => {
  it('keeps issuing and calling while the central is down, then drains the backlog exactly once', async () => {
    central = await startCentral();
    const c = central;
    hub = await startSyncedHub(c);
    const h = hub;
    const live: HubLiveMessage[] = [];
    h.hub.live.subscribe(({ message }) => live.push(message));
    const first = await issue(h);
    const day = first.body.businessDay;
    await drained(c, h);

    await c.stop();
    const whileDown = [];
    for (let i = 0; i < 5; i++) whileDown.push(await issue(h, i % 2 ? 'passeports' : 'etat-civil'));
    expect(whileDown.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    const called = await call<{ ticket: { id: string } }>(
      h.url,
      'POST',
      '/api/v1/counters/counter-1/call-next',
      { token: h.tokens.counters['counter-1'] },
    );
    expect(called.status).toBe(200);

    const offline = await eventually(async () => {
      const s = await status(h);
      return s.state === 'offline' && s.backlog >= 6 ? s : undefined;
    }, 'status offline with a backlog');
    expect(offline.lastError).toBeTruthy();
    await issue(h);
    expect((await status(h)).backlog).toBe(offline.backlog + 1); // growing
    expect(live.some((m) => m.type === 'sync.status' && m.state === 'offline')).toBe(true);
    // A display that connects now learns the link is down at once, right after the hello.
    const display = await StreamClient.open(
      `${h.url.replace(/^http/, 'ws')}/api/v1/stream?token=${h.tokens.display}`,
    );
    const [hello, sync] = await display.waitForCount(2);
    expect(hello).toMatchObject({ type: 'stream.hello' });
    expect(sync).toMatchObject({ type: 'sync.status', linked: true, state: 'offline' });
    display.socket.close();

    await c.start();
    await drained(c, h);
    const tickets = await serverTickets(c, day);
    expect(tickets).toHaveLength(7);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(7);
    expect(tickets.find((t) => t.id === called.body.ticket.id)?.status).toBe('called');
    expect((await serverBranch(c)).eventCount).toBe(h.hub.ctx.outbox.lastOwnSeq());
    await eventually(
      async () => ((await status(h)).state === 'online' ? true : undefined),
      'online',
    );
    expect(live.some((m) => m.type === 'sync.status' && m.state === 'online')).toBe(true);
  });
});

// A sync request lost on a broken path (sent while the server was restarting, or into a dead
// connection) is never answered and never fails on its own: the hub would sit on it until its
// timeout. Once the poke socket reconnects the path is known to work, and the hub sends again at
// once. The timeout here is 60 s, so only the resend can make the ticket reach the server within
// the 15 s the test waits.
describe('a request lost on a broken path', () => {
  let relay: Relay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('is sent again as soon as the poke socket reconnects, not after its timeout', async () => {
    central = await startCentral();
    const c = central;
    relay = await startRelay(Number(new URL(c.url).port));
    const r = relay;
    hub = await startSyncedHub(c, { centralUrl: r.url, requestTimeoutMs: 60_000 });
    const h = hub;
    const first = await issue(h);
    expect(first.status).toBe(201);
    const day = first.body.businessDay;
    await eventually(async () => {
      const list = await serverTickets(c, day);
      return list.length === 1 ? list : undefined;
    }, 'the first ticket on the server');

    r.swallow();
    const second = await issue(h);
    expect(second.status).toBe(201);
    await eventually(() => (r.swallowed > 0 ? true : undefined), 'a push lost in the relay');
    r.heal();

    const tickets = await eventually(
      async () => {
        const list = await serverTickets(c, day);
        return list.length === 2 ? list : undefined;
      },
      'the second ticket on the server',
      15_000,
    );
    expect(tickets.map((t) => t.number).sort()).toEqual(
      [first.body.number, second.body.number].sort(),
    );
  });
});

describe('duplicates and gaps', () => {
  it('a batch pushed twice, or the whole log resent after a lost answer, changes nothing', async () => {
    central = await startCentral();
    const c = central;
    hub = await startSyncedHub(c);
    const h = hub;
    const day = (await issue(h)).body.businessDay;
    await issue(h, 'visas');
    await drained(c, h);
    const before = { tickets: await serverTickets(c, day), branch: await serverBranch(c) };

    const { outbox } = h.hub.ctx;
    const body = {
      deviceId: outbox.deviceId,
      epoch: before.branch.devices[0]!.epoch,
      events: outbox.ownAfter(0, 500).map(({ eventId, deviceSeq, hlc, type, payload }) => ({
        eventId,
        deviceSeq,
        hlc,
        type,
        payload,
      })),
    };
    for (let k = 0; k < 2; k++) {
      const pushed = await call<{ ackSeq: number; results: { status: string }[] }>(
        c.url,
        'POST',
        '/api/v1/sync/push',
        { token: c.branchToken, body },
      );
      expect(pushed.status).toBe(200);
      expect(pushed.body.ackSeq).toBe(outbox.lastOwnSeq());
      expect(new Set(pushed.body.results.map((r) => r.status))).toEqual(new Set(['duplicate']));
    }
    // The hub forgets its acknowledgement (as if every answer had been lost) and resends it all.
    h.sync!.links.saveAck(outbox.deviceId, body.epoch, 0);
    await h.sync!.syncNow();
    expect(h.sync!.links.ackedSeq(outbox.deviceId, body.epoch)).toBe(outbox.lastOwnSeq());
    expect(await serverTickets(c, day)).toEqual(before.tickets);
    expect((await serverBranch(c)).eventCount).toBe(before.branch.eventCount);
  });

  it('a gap (the hub believes more was acknowledged than the server holds) is resent from the ack', async () => {
    central = await startCentral();
    const c = central;
    hub = await startSyncedHub(c);
    const h = hub;
    const day = (await issue(h)).body.businessDay;
    const { ackSeq: serverAck, epoch } = (await drained(c, h)) as { ackSeq: number; epoch: string };

    await c.stop();
    for (let i = 0; i < 4; i++) expect((await issue(h)).status).toBe(201);
    // Crafted: the hub's stored ack jumps two events ahead of what the server holds.
    h.sync!.links.saveAck(h.hub.ctx.outbox.deviceId, epoch, serverAck + 2);
    await c.start();
    await drained(c, h);
    expect(await serverTickets(c, day)).toHaveLength(5);
    expect((await serverBranch(c)).eventCount).toBe(h.hub.ctx.outbox.lastOwnSeq());
  });
});

describe('configuration from the central', () => {
  it('applies a configuration changed on the server atomically, with one event', async () => {
    central = await startCentral();
    const c = central;
    hub = await startSyncedHub(c);
    const h = hub;
    await drained(c, h);
    const current = await c.admin<{
      config: { version: number; updatedAt: string; services: unknown[] } & Record<string, unknown>;
    }>('GET', `/api/v1/branches/${c.branchId}/config`);
    const { version, updatedAt: _u, ...config } = current.body.config;
    const next = {
      ...config,
      settings: { ...(config.settings as object), name: 'Mairie annexe' },
      services: [
        ...current.body.config.services,
        {
          id: 'cartes-grises',
          prefix: 'E',
          name: { fr: 'Cartes grises' },
          open: true,
          position: 9,
        },
      ],
    };
    const put = await c.admin('PUT', `/api/v1/branches/${c.branchId}/config`, {
      ifVersion: version,
      config: next,
    });
    expect(put.status).toBe(200);

    // The poke makes the hub pull; the new service appears on the hub's own API.
    const services = await eventually(async () => {
      const answer = await call<{ id: string }[] | { services: { id: string }[] }>(
        h.url,
        'GET',
        '/api/v1/services',
        { token: h.tokens.kiosk },
      );
      const list = Array.isArray(answer.body) ? answer.body : answer.body.services;
      return list.some((s) => s.id === 'cartes-grises') ? list : undefined;
    }, 'the new service on the hub');
    expect(services).toHaveLength(5);
    expect(h.hub.branch.settings().name).toBe('Mairie annexe');
    expect((await issue(h, 'cartes-grises')).status).toBe(201);
    const fromCentral = () =>
      (
        h.hub.ctx.db
          .prepare("SELECT payload FROM events WHERE type = 'branch.updated'")
          .pluck()
          .all() as string[]
      )
        .map((p) => JSON.parse(p) as { source?: string })
        .filter((p) => p.source === 'central');
    expect(fromCentral()).toEqual([
      expect.objectContaining({ source: 'central', configVersion: version + 1 }),
    ]);
    // The next rounds do not apply the same version again.
    await h.sync!.syncNow();
    expect(fromCentral()).toHaveLength(1);
  });

  it('a hub linking to a branch that already has a configuration takes the server one', async () => {
    central = await startCentral();
    const c = central;
    const put = await c.admin('PUT', `/api/v1/branches/${c.branchId}/config`, {
      config: sampleConfig('Agence Nord'),
    });
    expect(put.status).toBe(200);
    hub = await startSyncedHub(c);
    const h = hub;
    await eventually(
      () => (h.hub.branch.settings().name === 'Agence Nord' ? true : undefined),
      'the server configuration on the hub',
    );
    // Demo services used by no ticket are gone; the server's are there.
    expect(h.hub.services.list().map((s) => s.id)).toEqual(['svc-a', 'svc-b']);
    expect((await issue(h, 'svc-a')).status).toBe(201);
    expect((await issue(h, 'etat-civil')).status).not.toBe(201);
  });
});

describe('skewed clocks', () => {
  it('a hub clock 10 min ahead then 10 min behind crashes nothing and keeps the order', async () => {
    central = await startCentral();
    const c = central;
    let skewMs = 10 * 60_000;
    hub = await startSyncedHub(c, { clock: { now: () => Date.now() + skewMs } });
    const h = hub;
    const a = await issue(h);
    const b = await issue(h);
    skewMs = -10 * 60_000;
    const called = await call<{ ticket: { id: string } }>(
      h.url,
      'POST',
      '/api/v1/counters/counter-1/call-next',
      { token: h.tokens.counters['counter-1'] },
    );
    expect(called.status).toBe(200);
    expect(called.body.ticket.id).toBe(a.body.id);
    const d = await issue(h);
    expect([a.status, b.status, d.status]).toEqual([201, 201, 201]);
    await drained(c, h);

    // The log's stamps only move forward, although the wall clock went back 20 minutes.
    const stamps = h.hub.ctx.outbox.ownAfter(0, 1000).map((e) => e.hlc);
    expect(stamps).toEqual([...stamps].sort());
    expect(new Set(stamps).size).toBe(stamps.length);
    // The call (later in HLC, earlier by the wall clock) wins over the issue on the server.
    const days = new Set([a, b, d].map((x) => x.body.businessDay));
    const tickets = (await Promise.all([...days].map((day) => serverTickets(c, day)))).flat();
    expect(tickets).toHaveLength(3);
    expect(tickets.find((t) => t.id === a.body.id)?.status).toBe('called');
    // The hub measured the offset from the server's receiverTime.
    expect(Math.abs((h.sync!.links.get()?.clockOffsetMs ?? 0) - 10 * 60_000)).toBeLessThan(5_000);
  });
});
