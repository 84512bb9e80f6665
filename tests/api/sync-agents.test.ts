// GET /api/v1/sync/agents: what the admin sees of the kiosk agents on a real hub. Every agent log
// the hub knows (from its blocks or its pushes), where its push stands, and every event the hub
// refused with the reason and the printed number; admin only; in the OpenAPI document.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentSyncStateDto, NumberBlockDto } from '../../core/api/schemas';
import { PushAnswer } from '../../core/sync/protocol';
import { Api, expectError } from '../support/api-kit';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
let api: Api;

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
});
afterAll(async () => {
  await hub?.dispose();
});

const ROUTE = '/api/v1/sync/agents';
const states = async () => {
  const answer = await api.get(api.admin, ROUTE);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return z.array(AgentSyncStateDto).parse(answer.body);
};
const grant = async (epoch: string, serviceId: string) => {
  const answer = await api.post(api.kiosk, '/api/v1/number-blocks', { epoch, serviceId, size: 5 });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return NumberBlockDto.parse(answer.body);
};

/** An agent's `ticket.issued` at `deviceSeq` for number `seq` of `block`. */
function issuedEvent(block: NumberBlockDto, deviceSeq: number, seq: number, id?: string) {
  const at = Date.now();
  return {
    eventId: uuidv7(),
    deviceSeq,
    hlc: `${String(at).padStart(15, '0')}.${String(deviceSeq).padStart(6, '0')}.${block.agentId}`,
    type: 'ticket.issued',
    payload: {
      ticket: {
        id: id ?? crypto.randomUUID(),
        serviceId: block.serviceId,
        businessDay: block.businessDay,
        seq,
        number: `${block.prefix}${String(seq).padStart(3, '0')}`,
        priority: false,
        lang: 'fr',
        issuedAt: at,
      },
      clockOffsetMs: 0,
    },
  };
}

async function push(block: NumberBlockDto, epoch: string, events: unknown[]) {
  const answer = await api.post(api.kiosk, '/api/v1/sync/push', {
    deviceId: block.agentId,
    epoch,
    events,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return PushAnswer.parse(answer.body);
}

describe('GET /api/v1/sync/agents', () => {
  it('is for admins only', async () => {
    expect((await states()).length).toBeGreaterThanOrEqual(0);
    expectError(await api.get(undefined, ROUTE), 401, 'unauthorized');
    expectError(await api.get('not-a-token', ROUTE), 401, 'unauthorized');
    for (const token of [api.kiosk, api.display, hub.tokens.counters['counter-1']])
      expectError(await api.get(token, ROUTE), 403, 'forbidden');
    expect((await api.get(api.admin, `${ROUTE}?x=1`)).status).toBe(400);
  });

  it('lists an agent that got blocks but never had to push', async () => {
    const block = await grant('e-quiet', 'visas');
    const mine = (await states()).filter((s) => s.agentId === block.agentId);
    expect(mine).toEqual([
      expect.objectContaining({
        agentId: block.agentId,
        deviceId: block.agentId.replace(/^agent-/, ''),
        deviceName: expect.any(String),
        epoch: 'e-quiet',
        current: true,
        lastPushAt: null,
        ackSeq: 0,
        backlog: null,
        applied: 0,
        rejectedCount: 0,
        rejected: [],
      }),
    ]);
    expect(mine[0]?.lastBlockAt).not.toBeNull();
  });

  it('shows where the push stands and every refused event with its reason and printed number', async () => {
    const block = await grant('e-busy', 'etat-civil');
    const first = issuedEvent(block, 1, block.from);
    const outside = issuedEvent(block, 2, block.to + 100); // a number no block of it holds
    const again = issuedEvent(block, 3, block.from); // the number of event 1, once more
    const beyondGap = issuedEvent(block, 5, block.from + 1); // 4 missing: not applied yet
    const answer = await push(block, 'e-busy', [first, outside, again, beyondGap]);
    expect(answer.ackSeq).toBe(3);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected']);

    const state = (await states()).find((s) => s.epoch === 'e-busy');
    expect(state).toMatchObject({
      agentId: block.agentId,
      current: true,
      ackSeq: 3,
      // The push showed the log reaches 5: two events the hub has not received yet.
      backlog: 2,
      applied: 1,
      rejectedCount: 2,
    });
    expect(state?.lastPushAt).not.toBeNull();
    expect(state?.rejected).toEqual([
      {
        eventId: again.eventId,
        deviceSeq: 3,
        type: 'ticket.issued',
        reason: expect.stringContaining('exists already'),
        ticketNumber: again.payload.ticket.number,
        ticketId: again.payload.ticket.id,
        receivedAt: expect.any(String),
      },
      {
        eventId: outside.eventId,
        deviceSeq: 2,
        type: 'ticket.issued',
        reason: expect.stringContaining('in no block'),
        ticketNumber: outside.payload.ticket.number,
        ticketId: outside.payload.ticket.id,
        receivedAt: expect.any(String),
      },
    ]);

    // A duplicate push is still contact; the backlog drops as the rest arrives.
    const rest = await push(block, 'e-busy', [issuedEvent(block, 4, block.from + 2), beyondGap]);
    expect(rest.ackSeq).toBe(5);
    expect((await states()).find((s) => s.epoch === 'e-busy')).toMatchObject({
      ackSeq: 5,
      backlog: 0,
      applied: 3,
      rejectedCount: 2,
    });
  });

  it("marks an agent's old log as replaced once it starts a new one (a lost disk)", async () => {
    const old = await grant('e-disk-1', 'passeports');
    await push(old, 'e-disk-1', [issuedEvent(old, 1, old.from)]);
    await grant('e-disk-2', 'passeports');
    const mine = (await states()).filter((s) => s.epoch.startsWith('e-disk-'));
    expect(mine.map((s) => [s.epoch, s.current])).toEqual([
      ['e-disk-2', true],
      ['e-disk-1', false],
    ]);
    expect(mine[1]).toMatchObject({ ackSeq: 1, applied: 1, backlog: 0 });
  });

  it('is in the OpenAPI document with its answer', async () => {
    const doc = await api.get<{ paths: Record<string, Record<string, { responses?: object }>> }>(
      api.admin,
      '/api/v1/openapi.json',
    );
    expect(Object.keys(doc.body.paths[ROUTE]?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '403']),
    );
  });
});
