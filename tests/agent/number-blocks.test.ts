// The hub's side of offline kiosks: number blocks (durable, never overlapping the hub's own
// numbers, retired with their epoch) and the push route for agent logs (bad input refused).
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFile } from '../../hub/run-hub';
import { nextOwnSeq } from '../../hub/features/number-blocks/number-block-store';
import { call, createHub, type HubHandle } from './agent-harness';

interface Block {
  id: string;
  agentId: string;
  from: number;
  to: number;
  businessDay: string;
  prefix: string;
}
interface Issued {
  id: string;
  number: string;
}

let hub: HubHandle;
beforeEach(async () => {
  hub = await createHub();
});
afterEach(async () => {
  await hub.dispose();
});

const grant = (body: unknown, token = hub.tokens.kiosk) =>
  call<Block>(hub.url, 'POST', '/api/v1/number-blocks', { token, body });
const issueAtHub = (serviceId = 'etat-civil') =>
  call<Issued>(hub.url, 'POST', '/api/v1/tickets', {
    token: hub.tokens.kiosk,
    body: { serviceId },
  });
const blockRows = () => {
  const db = new Database(databaseFile(hub.dir), { readonly: true });
  try {
    return db
      .prepare('SELECT epoch, from_seq, to_seq, retired_at FROM number_blocks ORDER BY from_seq')
      .all() as { epoch: string; from_seq: number; to_seq: number; retired_at: number | null }[];
  } finally {
    db.close();
  }
};

describe('nextOwnSeq', () => {
  it('skips every granted range, in any order', () => {
    expect(nextOwnSeq(0, [])).toBe(1);
    expect(nextOwnSeq(1, [{ from: 2, to: 6 }])).toBe(7);
    expect(
      nextOwnSeq(1, [
        { from: 7, to: 9 },
        { from: 2, to: 6 },
      ]),
    ).toBe(10);
    expect(nextOwnSeq(10, [{ from: 2, to: 6 }])).toBe(11);
  });
});

describe('POST /api/v1/number-blocks', () => {
  it('grants a block the hub never uses itself, stored before the answer and kept across restarts', async () => {
    expect((await issueAtHub()).body.number).toBe('A001');
    const first = await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ from: 2, to: 6, prefix: 'A' });
    expect(first.body.agentId).toMatch(/^agent-dev-/);
    // The hub skips the block, then a second block starts after the hub's own number.
    expect((await issueAtHub()).body.number).toBe('A007');
    const second = await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 3 });
    expect(second.body).toMatchObject({ from: 8, to: 10 });

    // A crash-like stop and a restart: the blocks are on disk and still skipped.
    await hub.stop();
    expect(blockRows().map((r) => [r.from_seq, r.to_seq])).toEqual([
      [2, 6],
      [8, 10],
    ]);
    await hub.start();
    expect((await issueAtHub()).body.number).toBe('A011');
    // Another service numbers on its own.
    expect((await grant({ epoch: 'e-1', serviceId: 'passeports' })).body).toMatchObject({
      from: 1,
      to: 50,
      prefix: 'B',
    });
  });

  it('retires the blocks of an earlier epoch when the agent starts a new one; no number is reused', async () => {
    await grant({ epoch: 'e-old', serviceId: 'etat-civil', size: 5 });
    const fresh = await grant({ epoch: 'e-new', serviceId: 'etat-civil', size: 5 });
    expect(fresh.body).toMatchObject({ from: 6, to: 10 });
    const rows = blockRows();
    expect(rows.find((r) => r.epoch === 'e-old')?.retired_at).not.toBeNull();
    expect(rows.find((r) => r.epoch === 'e-new')?.retired_at).toBeNull();
    // The retired range stays out of the hub's numbering.
    expect((await issueAtHub()).body.number).toBe('A011');
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const cases: [unknown, string | undefined, number][] = [
      [{ epoch: 'e-1', serviceId: 'etat-civil', extra: 1 }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', size: 0 }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', size: 501 }, hub.tokens.kiosk, 400],
      [{ epoch: 'bad epoch!', serviceId: 'etat-civil' }, hub.tokens.kiosk, 400],
      [{ serviceId: 'etat-civil' }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'nope' }, hub.tokens.kiosk, 404],
      [{ epoch: 'e-1', serviceId: 'etat-civil' }, hub.tokens.display, 403],
      [{ epoch: 'e-1', serviceId: 'etat-civil' }, hub.tokens.admin, 403],
      [{ epoch: 'e-1', serviceId: 'etat-civil' }, undefined, 401],
    ];
    for (const [body, token, status] of cases) {
      const answer = await call(hub.url, 'POST', '/api/v1/number-blocks', {
        ...(token ? { token } : {}),
        body,
      });
      expect(answer.status, JSON.stringify(body)).toBe(status);
    }
    expect(blockRows()).toEqual([]);
  });
});

describe('POST /api/v1/sync/push (from agents)', () => {
  const hlc = '000001700000000.000000.agent-x';
  const eventId = '01936b2e-0000-7000-8000-000000000001';

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const block = (await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 })).body;
    const event = {
      eventId,
      deviceSeq: 1,
      hlc,
      type: 'ticket.issued',
      payload: {},
    };
    const cases: [unknown, string | undefined, number][] = [
      [
        { deviceId: block.agentId, epoch: 'e-1', events: [{ ...event, extra: 1 }] },
        hub.tokens.kiosk,
        400,
      ],
      [
        { deviceId: block.agentId, epoch: 'e-1', events: [event, { ...event, deviceSeq: 2 }] },
        hub.tokens.kiosk,
        400,
      ],
      [
        { deviceId: block.agentId, epoch: 'e-1', events: [{ ...event, hlc: 'x' }] },
        hub.tokens.kiosk,
        400,
      ],
      [{ deviceId: 'agent-someone-else', epoch: 'e-1', events: [event] }, hub.tokens.kiosk, 403],
      [{ deviceId: block.agentId, epoch: 'e-1', events: [event] }, hub.tokens.display, 403],
      [{ deviceId: block.agentId, epoch: 'e-1', events: [event] }, undefined, 401],
    ];
    for (const [body, token, status] of cases) {
      const answer = await call(hub.url, 'POST', '/api/v1/sync/push', {
        ...(token ? { token } : {}),
        body,
      });
      expect(answer.status, JSON.stringify(body)).toBe(status);
    }
    // A gap is not an error: nothing is applied, the ack says where to resend from.
    const gap = await call(hub.url, 'POST', '/api/v1/sync/push', {
      token: hub.tokens.kiosk,
      body: { deviceId: block.agentId, epoch: 'e-1', events: [{ ...event, deviceSeq: 3 }] },
    });
    expect(gap.status).toBe(200);
    expect(gap.body).toMatchObject({ ackSeq: 0, results: [] });
    const db = new Database(databaseFile(hub.dir), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM agent_events').pluck().get()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('stores and acknowledges an event it cannot apply (a number outside the blocks) as rejected', async () => {
    const block = (await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 })).body;
    const ticket = {
      id: '01936b2e-0000-7000-8000-0000000000aa',
      serviceId: 'etat-civil',
      businessDay: block.businessDay,
      seq: 40,
      number: 'A040',
      priority: false,
      lang: 'fr',
      issuedAt: Date.now(),
    };
    const answer = await call<{ ackSeq: number; results: { status: string }[] }>(
      hub.url,
      'POST',
      '/api/v1/sync/push',
      {
        token: hub.tokens.kiosk,
        body: {
          deviceId: block.agentId,
          epoch: 'e-1',
          events: [
            {
              eventId,
              deviceSeq: 1,
              hlc,
              type: 'ticket.issued',
              payload: { ticket, clockOffsetMs: 0 },
            },
          ],
        },
      },
    );
    expect(answer.body.ackSeq).toBe(1);
    expect(answer.body.results[0]?.status).toBe('rejected');
    const queue = await call<{ waiting: unknown[] }>(hub.url, 'GET', '/api/v1/queue', {
      token: hub.tokens.display,
    });
    expect(queue.body.waiting).toEqual([]);
  });
});
