// A kiosk agent beside a real hub (both in this process, on loopback, real SQLite files): online it
// forwards; cut off from the hub it issues from its blocks; healed, its tickets take their place in
// the hub's queue by arrival time, once. Clocks are set by hand, the agent's 10 minutes late.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../hub/clock';
import { agentDatabaseFile } from '../../hub/agent/agent-db';
import { startAgent, type RunningAgent } from '../../hub/agent/run-agent';
import { databaseFile } from '../../hub/run-hub';
import {
  call,
  createHub,
  manualAgentOptions,
  startRelay,
  tempDir,
  type HubHandle,
  type Relay,
} from './agent-harness';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const AGENT_LATE_MS = 10 * 60 * 1000;

interface Issued {
  id: string;
  number: string;
  queuedAt: string;
}
interface Queue {
  waiting: { id: string; number: string; serviceId: string }[];
}

let hubClock: ManualClock;
let agentClock: ManualClock;
let hub: HubHandle;
let relay: Relay;
const agents: RunningAgent[] = [];
const dirs: string[] = [];

beforeEach(async () => {
  hubClock = new ManualClock(T0);
  agentClock = new ManualClock(T0 - AGENT_LATE_MS);
  hub = await createHub(hubClock);
  relay = await startRelay(hub.port);
});
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await relay.close();
  await hub.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An agent whose background rounds never run by themselves: the test calls syncNow(). */
async function agentOn(dataDir: string): Promise<RunningAgent> {
  const agent = await startAgent({
    ...manualAgentOptions(dataDir, relay.url, hub.tokens.kiosk),
    clock: agentClock,
  });
  agents.push(agent);
  agentDirs.set(agent, dataDir);
  return agent;
}

function freshDir(): string {
  const dir = tempDir('guichet-agent-');
  dirs.push(dir);
  return dir;
}

const atAgent = (agent: RunningAgent, serviceId = 'etat-civil', key?: string) =>
  call<Issued>(agent.url, 'POST', '/api/v1/tickets', {
    token: hub.tokens.kiosk,
    body: { serviceId },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
const atHub = (serviceId = 'etat-civil') =>
  call<Issued>(hub.url, 'POST', '/api/v1/tickets', {
    token: hub.tokens.kiosk,
    body: { serviceId },
  });
const hubQueue = async () =>
  (await call<Queue>(hub.url, 'GET', '/api/v1/queue', { token: hub.tokens.display })).body;
const waitingNumbers = async (serviceId = 'etat-civil') =>
  (await hubQueue()).waiting.filter((t) => t.serviceId === serviceId).map((t) => t.number);
const tick = (ms = 1000) => {
  hubClock.advance(ms);
  agentClock.advance(ms);
};

describe('kiosk agent', () => {
  it('online, forwards tickets to the hub (numbered by the hub, Idempotency-Key kept)', async () => {
    const agent = await agentOn(freshDir());
    await agent.sync.syncNow();
    expect(agent.sync.online).toBe(true);
    const first = await atAgent(agent, 'etat-civil', 'k-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('x-guichet-offline')).toBeNull();
    const again = await atAgent(agent, 'etat-civil', 'k-1');
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The hub numbered it: its own numbers start at A001, below the agent's block (A501–A510).
    expect(first.body.number).toBe('A001');
    expect(await waitingNumbers()).toEqual(['A001']);
    const services = await call<{ id: string }[]>(agent.url, 'GET', '/api/v1/services', {
      token: hub.tokens.kiosk,
    });
    expect(services.body.map((s) => s.id)).toContain('etat-civil');
    // The agent's API wants the kiosk's token.
    expect((await call(agent.url, 'GET', '/api/v1/services')).status).toBe(401);
    expect((await call(agent.url, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('cut off, issues from its block; healed, its tickets join the queue by arrival time, once', async () => {
    const agent = await agentOn(freshDir());
    await agent.sync.syncNow();
    relay.cut();

    tick();
    expect((await atHub()).body.number).toBe('A001');
    tick();
    const a1 = await atAgent(agent, 'etat-civil', 'offline-1');
    expect(a1.status).toBe(201);
    expect(a1.headers.get('x-guichet-offline')).toBe('true');
    expect(a1.body.number).toBe('A501');
    // Its clock is 10 minutes late; the answer shows the hub's time, measured when online.
    expect(a1.body.queuedAt).toBe(new Date(hubClock.now()).toISOString());
    tick();
    expect((await atHub()).body.number).toBe('A002');
    tick();
    expect((await atAgent(agent)).body.number).toBe('A502');
    // A repeat of the offline request gets the same ticket, not a new number.
    expect((await atAgent(agent, 'etat-civil', 'offline-1')).body.id).toBe(a1.body.id);
    expect(await waitingNumbers()).toEqual(['A001', 'A002']);
    // The agent's own copy answers for its ticket while the hub is out of reach.
    const own = await call<Issued>(agent.url, 'GET', `/api/v1/tickets/${a1.body.id}`, {
      token: hub.tokens.kiosk,
    });
    expect(own.body.number).toBe('A501');

    relay.heal();
    await agent.sync.syncNow();
    expect(await waitingNumbers()).toEqual(['A001', 'A501', 'A002', 'A502']);
    // The agent's tickets, above the hub's numbers, do not move them.
    tick();
    expect((await atHub()).body.number).toBe('A003');
    const placed = await call<Issued>(hub.url, 'GET', `/api/v1/tickets/${a1.body.id}`, {
      token: hub.tokens.display,
    });
    expect(placed.body.queuedAt).toBe(a1.body.queuedAt);

    // Pushing again (the loop, and the same batch by hand) changes nothing.
    await agent.sync.syncNow();
    const db = new Database(agentDatabaseFile(agentDirOf(agent)), { readonly: true });
    const events = db.prepare('SELECT * FROM events ORDER BY device_seq').all() as {
      device_seq: number;
      event_id: string;
      hlc: string;
      type: string;
      payload: string;
    }[];
    db.close();
    const again = await call<{ ackSeq: number; results: { status: string }[] }>(
      hub.url,
      'POST',
      '/api/v1/sync/push',
      {
        token: hub.tokens.kiosk,
        body: {
          deviceId: agent.meta.agentId(),
          epoch: agent.meta.epoch(),
          events: events.map((e) => ({
            eventId: e.event_id,
            deviceSeq: e.device_seq,
            hlc: e.hlc,
            type: e.type,
            payload: JSON.parse(e.payload) as unknown,
          })),
        },
      },
    );
    expect(again.body.ackSeq).toBe(2);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await waitingNumbers()).toEqual(['A001', 'A501', 'A002', 'A502', 'A003']);
  });

  it('a lost disk starts a new epoch: new blocks, the old ones retired, no number reused', async () => {
    const first = await agentOn(freshDir());
    await first.sync.syncNow();
    const oldEpoch = first.meta.epoch();
    relay.cut();
    expect((await atAgent(first)).body.number).toBe('A501');
    await first.stop();
    agents.splice(agents.indexOf(first), 1);
    relay.heal();

    const second = await agentOn(freshDir());
    expect(second.meta.epoch()).not.toBe(oldEpoch);
    await second.sync.syncNow();
    relay.cut();
    // A502–A510 went with the lost disk: nobody issues them; the new block starts after them.
    expect((await atAgent(second)).body.number).toBe('A511');
    relay.heal();
    await second.sync.syncNow();
    expect((await atHub()).body.number).toBe('A001');
    const db = new Database(databaseFile(hub.dir), { readonly: true });
    const rows = db
      .prepare('SELECT epoch, retired_at FROM number_blocks ORDER BY from_seq')
      .all() as { epoch: string; retired_at: number | null }[];
    db.close();
    expect(rows.filter((r) => r.epoch === oldEpoch).every((r) => r.retired_at !== null)).toBe(true);
    expect(rows.filter((r) => r.epoch !== oldEpoch).every((r) => r.retired_at === null)).toBe(true);
    expect(await waitingNumbers()).toEqual(['A511', 'A001']);
  });

  it('answers 503 offline when it never got a block, and refuses bad input with a 400', async () => {
    relay.cut();
    const agent = await agentOn(freshDir());
    const offline = await atAgent(agent);
    expect(offline.status).toBe(503);
    expect(
      (await call(agent.url, 'GET', '/api/v1/services', { token: hub.tokens.kiosk })).status,
    ).toBe(503);
    for (const body of [{}, { serviceId: 'etat-civil', extra: 1 }, { serviceId: 42 }]) {
      const bad = await call(agent.url, 'POST', '/api/v1/tickets', {
        token: hub.tokens.kiosk,
        body,
      });
      expect(bad.status).toBe(400);
    }
    const badKey = await call(agent.url, 'POST', '/api/v1/tickets', {
      token: hub.tokens.kiosk,
      body: { serviceId: 'etat-civil' },
      headers: { 'idempotency-key': 'x'.repeat(200) },
    });
    expect(badKey.status).toBe(400);
    const db = new Database(agentDatabaseFile(agentDirOf(agent)), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(0);
    db.close();
  });
});

const agentDirs = new WeakMap<RunningAgent, string>();
function agentDirOf(agent: RunningAgent): string {
  const dir = agentDirs.get(agent);
  if (!dir) throw new Error('unknown agent');
  return dir;
}
