// One visitor, one ticket (docs/sync.md): the hub commits a kiosk request the agent forwarded, but
// its answer reaches the agent after the forward timeout, so the agent issues the same request
// offline under the same Idempotency-Key. Real hub and agent processes, the fault proxy between
// them; each case is made exact by the proxy (a scripted delayed acknowledgement, pushes refused
// until the twin is on the hub), never by timing: every wait is on a condition with a deadline.
import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentSyncStateDto, TicketDto } from '../../core/api/schemas';
import { agentDatabaseFile } from '../../hub/agent/agent-db';
import { SUPERSEDED_REASON } from '../../hub/features/agent-sync/agent-push-store';
import { databaseFile } from '../../hub/run-hub';
import { call } from '../support/test-hub';
import { demoFolder } from '../sync/sync-harness';
import { checkRepush, checkTwins, readAgent } from './agent-checks';
import { agentOnline } from './agent-scenario';
import { FaultProxy } from './fault-proxy';
import { readOnly } from './history-checks';
import { emptyHistory } from './load';
import {
  freePorts,
  killAllChildren,
  startAgentEntry,
  startHubEntry,
  type Child,
} from './processes';
import { PUSH, within } from './scenario';

const FORWARD_TIMEOUT_MS = 500;
/** The hub's answer to the forward comes this long after it committed: far past the timeout. */
const LATE_ANSWER_MS = 4 * FORWARD_TIMEOUT_MS;
const ISSUE = 'POST /api/v1/tickets';
const PUSH_ROUTE = 'POST /api/v1/sync/push';

const folder = demoFolder();
const agentDir = mkdtempSync(path.join(tmpdir(), 'guichet-double-issue-agent-'));
const hubDb = databaseFile(folder.dir);
let hubUrl = '';
let agentUrl = '';
let proxy: FaultProxy;
let hub: Child;
let agent: Child;
let kioskDevice = '';
/** What this kiosk and its counters did, for the fault suite's own checks in the last case. */
const history = emptyHistory();

beforeAll(async () => {
  const ports = await freePorts(['hub', 'agent', 'proxy']);
  const { hub: hubPort, agent: agentPort } = ports;
  hubUrl = `http://127.0.0.1:${hubPort}`;
  agentUrl = `http://127.0.0.1:${agentPort}`;
  // No seeded faults here: only what each case scripts.
  proxy = new FaultProxy({
    upstreamPort: hubPort,
    random: () => 0.5,
    plan: { faultRate: 0, weights: {}, maxFaults: 0, maxDelayMs: 0 },
    isPush: PUSH,
  });
  await proxy.listen(ports.proxy);
  [hub, agent] = await Promise.all([
    startHubEntry({ dir: folder.dir, port: hubPort, clockOffsetMs: 0 }),
    startAgentEntry({
      dir: agentDir,
      port: agentPort,
      hubUrl: proxy.url,
      token: folder.tokens.kiosk,
      clockOffsetMs: 0,
      forwardTimeoutMs: FORWARD_TIMEOUT_MS,
    }),
  ]);
  await agentOnline(agentUrl);
  kioskDevice = (readAgent(agentDatabaseFile(agentDir)).agentId ?? '').replace(/^agent-/, '');
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await killAllChildren();
  rmSync(folder.dir, { recursive: true, force: true });
  rmSync(agentDir, { recursive: true, force: true });
});

const Issued = z.object({ id: z.string(), number: z.string(), serviceId: z.string() });

/** A visitor at the kiosk: one request to the agent with its key. */
async function issueAtAgent(key: string, serviceId: string) {
  const answer = await call(agentUrl, 'POST', '/api/v1/tickets', {
    token: folder.tokens.kiosk,
    body: { serviceId },
    headers: { 'idempotency-key': key },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const ticket = Issued.parse(answer.body);
  history.issued.push({ key, id: ticket.id, number: ticket.number, serviceId });
  return { ticket, offline: answer.headers.get('x-guichet-offline') === 'true' };
}

/** The ticket the hub's Idempotency-Key ledger holds for the kiosk's key, if any. */
function ledgerTicket(key: string): string | null {
  const row = readOnly(hubDb, (db) =>
    db
      .prepare<[string, string], { response: string | null }>(
        'SELECT response FROM idempotency_keys WHERE device_id = ? AND key = ?',
      )
      .get(kioskDevice, key),
  );
  return row?.response ? z.object({ id: z.string() }).parse(JSON.parse(row.response)).id : null;
}

async function hubTicket(id: string) {
  const answer = await call(hubUrl, 'GET', `/api/v1/tickets/${id}`, {
    token: folder.tokens.admin,
  });
  return answer.status === 200 ? TicketDto.parse(answer.body) : null;
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null): Promise<T> {
  let value: T | null = null;
  const took = await within(15_000, async () => (value = await probe()) !== null);
  if (took === null || value === null) throw new Error(`timed out waiting for ${what}`);
  return value;
}

function eventsOf(ticketId: string): { seq: number; type: string; payload: string }[] {
  return readOnly(hubDb, (db) =>
    db
      .prepare<[string], { seq: number; type: string; payload: string }>(
        'SELECT seq, type, payload FROM events WHERE ticket_id = ? ORDER BY seq',
      )
      .all(ticketId),
  );
}

/**
 * The double issue, exactly: the forward reaches the hub, which commits it, and its answer is held
 * past the agent's timeout, so the agent issues offline; its push is refused until the twin is in
 * the hub's ledger, then `beforePush` runs and the push goes through.
 */
async function doubleIssue(
  key: string,
  serviceId: string,
  beforePush?: (twin: string) => Promise<void>,
) {
  proxy.refuse(PUSH_ROUTE);
  proxy.script(ISSUE, 'delay-ack', LATE_ANSWER_MS);
  const { ticket, offline } = await issueAtAgent(key, serviceId);
  expect(offline).toBe(true);
  const twin = await until('the forward committed on the hub', () => ledgerTicket(key));
  expect(twin).not.toBe(ticket.id);
  await beforePush?.(twin);
  proxy.allow(PUSH_ROUTE);
  const placed = await until("the agent's ticket on the hub", () => hubTicket(ticket.id));
  return { ticket, twin, placed };
}

describe('one visitor, one ticket: a forward answered after the agent gave up', () => {
  it("cancels the hub's waiting twin when the agent's ticket arrives; the visitor keeps the printed one", async () => {
    const { ticket, twin, placed } = await doubleIssue('visitor-1', 'passeports');
    expect(placed.number).toBe(ticket.number);
    expect(placed.status).toBe('waiting');
    const twinNow = await hubTicket(twin);
    expect(twinNow?.status).toBe('cancelled');
    const cancel = eventsOf(twin).find((e) => e.type === 'ticket.cancelled');
    expect(JSON.parse(cancel?.payload ?? '{}')).toMatchObject({
      reason: SUPERSEDED_REASON,
      supersededBy: { ticketId: ticket.id, number: ticket.number },
    });
    // One ticket of this visitor waits.
    const queue = await call<{ waiting: { id: string }[] }>(hubUrl, 'GET', '/api/v1/queue', {
      token: folder.tokens.admin,
    });
    const waiting = queue.body.waiting.map((t) => t.id);
    expect(waiting).toContain(ticket.id);
    expect(waiting).not.toContain(twin);
    // The kiosk retrying the same request gets the same ticket from the agent.
    const again = await call(agentUrl, 'POST', '/api/v1/tickets', {
      token: folder.tokens.kiosk,
      body: { serviceId: 'passeports' },
      headers: { 'idempotency-key': 'visitor-1' },
    });
    expect(Issued.parse(again.body).id).toBe(ticket.id);
  });

  it('leaves a twin a counter already called to that counter; the visitor is still called once, on their number', async () => {
    let calledTwin = '';
    const { ticket, twin, placed } = await doubleIssue('visitor-2', 'etat-civil', async (t) => {
      const called = await call<{ ticket: { id: string } }>(
        hubUrl,
        'POST',
        '/api/v1/counters/counter-1/call',
        { token: folder.tokens.admin, body: { ticketId: t } },
      );
      expect(called.status, JSON.stringify(called.body)).toBe(200);
      calledTwin = called.body.ticket.id;
      history.calls.push({ ticketId: t, counterId: 'counter-1' });
    });
    expect(calledTwin).toBe(twin);
    expect(placed).toMatchObject({ number: ticket.number, status: 'waiting' });
    const twinNow = await hubTicket(twin);
    expect(twinNow).toMatchObject({ status: 'called', counterId: 'counter-1' });
    expect(eventsOf(twin).map((e) => e.type)).toEqual(['ticket.issued', 'ticket.called']);
    // Nobody answers the twin's number: its counter marks a no-show. The visitor is called on
    // the number they hold, once.
    const admin = { token: folder.tokens.admin };
    expect((await call(hubUrl, 'POST', `/api/v1/tickets/${twin}/no-show`, admin)).status).toBe(200);
    const visitor = await call(hubUrl, 'POST', '/api/v1/counters/counter-2/call', {
      ...admin,
      body: { ticketId: ticket.id },
    });
    expect(visitor.status, JSON.stringify(visitor.body)).toBe(200);
    history.calls.push({ ticketId: ticket.id, counterId: 'counter-2' });
    expect(eventsOf(ticket.id).map((e) => e.type)).toEqual(['ticket.issued', 'ticket.called']);
  });

  it("a late copy of the forward, after the agent's ticket claimed the key, issues nothing", async () => {
    proxy.script(ISSUE, 'cut'); // the forward never reaches the hub: the agent issues offline
    const { ticket, offline } = await issueAtAgent('visitor-3', 'visas');
    expect(offline).toBe(true);
    await until("the agent's ticket on the hub", () => hubTicket(ticket.id));
    expect(ledgerTicket('visitor-3')).toBe(ticket.id);
    const count = () =>
      readOnly(hubDb, (db) => db.prepare('SELECT COUNT(*) FROM tickets').pluck().get());
    const before = count();
    const late = await call(hubUrl, 'POST', '/api/v1/tickets', {
      token: folder.tokens.kiosk,
      body: { serviceId: 'visas' },
      headers: { 'idempotency-key': 'visitor-3' },
    });
    expect(late.status).toBe(422);
    expect(count()).toBe(before);
  });

  it('what the fault suite checks holds: twins settled, the log pushed k times changes nothing, admin sees the agent', async () => {
    const twins = checkTwins(history, hubDb, kioskDevice);
    expect(twins).toEqual({ problems: [], cancelled: 1, calledBefore: 1 });
    const agentSide = readAgent(agentDatabaseFile(agentDir));
    expect(agentSide.lastSeq).toBe(3);
    expect(await checkRepush(hubUrl, folder.tokens.kiosk, agentSide, hubDb, 3)).toEqual([]);
    const states = await call(hubUrl, 'GET', '/api/v1/sync/agents', { token: folder.tokens.admin });
    expect(states.status).toBe(200);
    const [state] = z.array(AgentSyncStateDto).parse(states.body);
    expect(state).toMatchObject({
      agentId: agentSide.agentId,
      deviceId: kioskDevice,
      epoch: agentSide.epoch,
      current: true,
      ackSeq: 3,
      backlog: 0,
      applied: 3,
      rejectedCount: 0,
      rejected: [],
    });
    expect(state?.lastPushAt).not.toBeNull();
    expect(hub.alive && agent.alive).toBe(true);
  });
});
