// The hub's side of offline kiosks: number blocks (durable, never overlapping the hub's own
// numbers, retired with their epoch, for today or the next business day, pruned once long past)
// and the push route for agent logs (bad input refused).
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../hub/clock';
import { databaseFile } from '../../hub/run-hub';
import {
  BLOCK_RETENTION_DAYS,
  FIRST_BLOCK_SEQ,
  nextOwnSeq,
} from '../../hub/features/number-blocks/number-block-store';
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

/** 23:50 in Paris on 23 November 2026: the next business day is ten minutes away. */
const T0 = Date.parse('2026-11-23T22:50:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
let clock: ManualClock;
let hub: HubHandle;
beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = await createHub(clock);
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
      .prepare(
        'SELECT epoch, business_day, from_seq, to_seq, retired_at FROM number_blocks ORDER BY business_day, from_seq',
      )
      .all() as {
      epoch: string;
      business_day: string;
      from_seq: number;
      to_seq: number;
      retired_at: number | null;
    }[];
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
    // Blocks start at 501: the hub's own numbers go on from A001 as staff expect.
    expect(first.body).toMatchObject({ from: FIRST_BLOCK_SEQ, to: 505, prefix: 'A' });
    expect(first.body.agentId).toMatch(/^agent-dev-/);
    expect((await issueAtHub()).body.number).toBe('A002');
    const second = await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 3 });
    expect(second.body).toMatchObject({ from: 506, to: 508 });

    // A crash-like stop and a restart: the blocks are on disk.
    await hub.stop();
    expect(blockRows().map((r) => [r.from_seq, r.to_seq])).toEqual([
      [501, 505],
      [506, 508],
    ]);
    await hub.start();
    expect((await issueAtHub()).body.number).toBe('A003');
    // Another service numbers on its own.
    expect((await grant({ epoch: 'e-1', serviceId: 'passeports' })).body).toMatchObject({
      from: 501,
      to: 550,
      prefix: 'B',
    });
  });

  it('the hub passes over every block, retired ones too, once its own numbers reach them', async () => {
    await grant({ epoch: 'e-old', serviceId: 'etat-civil', size: 5 }); // 501–505, retired below
    await grant({ epoch: 'e-new', serviceId: 'etat-civil', size: 5 }); // 506–510
    // A busy day: the hub has issued 500 tickets of the service (in-process, capacity lifted).
    const running = hub.running!.hub;
    running.branch.patch({ capacity: null }, running.system);
    for (let i = 0; i < 500; i++)
      running.tickets.issue({ serviceId: 'etat-civil' }, running.system);
    expect((await issueAtHub()).body.number).toBe('A511');
    // The next block comes after the hub's number.
    expect((await grant({ epoch: 'e-new', serviceId: 'etat-civil', size: 5 })).body).toMatchObject({
      from: 512,
      to: 516,
    });
    expect((await issueAtHub()).body.number).toBe('A517');
  });

  it('retires the blocks of an earlier epoch when the agent starts a new one; no number is reused', async () => {
    await grant({ epoch: 'e-old', serviceId: 'etat-civil', size: 5 });
    const fresh = await grant({ epoch: 'e-new', serviceId: 'etat-civil', size: 5 });
    expect(fresh.body).toMatchObject({ from: 506, to: 510 });
    const rows = blockRows();
    expect(rows.find((r) => r.epoch === 'e-old')?.retired_at).not.toBeNull();
    expect(rows.find((r) => r.epoch === 'e-new')?.retired_at).toBeNull();
    expect((await issueAtHub()).body.number).toBe('A001');
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const cases: [unknown, string | undefined, number][] = [
      [{ epoch: 'e-1', serviceId: 'etat-civil', extra: 1 }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', size: 0 }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', size: 501 }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', businessDay: '24/11/2026' }, hub.tokens.kiosk, 400],
      [{ epoch: 'e-1', serviceId: 'etat-civil', businessDay: '2026-11-22' }, hub.tokens.kiosk, 409],
      [{ epoch: 'e-1', serviceId: 'etat-civil', businessDay: '2026-11-25' }, hub.tokens.kiosk, 409],
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

describe('POST /api/v1/number-blocks for the next business day', () => {
  const D = '2026-11-23';
  const D1 = '2026-11-24';

  it('grants tomorrow ahead of time; the hub numbers that day below the block, as for today', async () => {
    const today = await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 });
    expect(today.body).toMatchObject({ businessDay: D, from: 501, to: 505 });
    const ahead = await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5, businessDay: D1 });
    expect(ahead.status).toBe(201);
    expect(ahead.body).toMatchObject({ businessDay: D1, from: 501, to: 505, prefix: 'A' });
    // Asked for explicitly, today is today.
    expect(
      (await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5, businessDay: D })).body,
    ).toMatchObject({ businessDay: D, from: 506, to: 510 });
    expect(await issueAtHub()).toMatchObject({ body: { number: 'A001' } });

    // Written before the answer, kept across a restart; at midnight it is simply today's block.
    await hub.stop();
    expect(blockRows().map((r) => [r.business_day, r.from_seq, r.to_seq])).toEqual([
      [D, 501, 505],
      [D, 506, 510],
      [D1, 501, 505],
    ]);
    clock.advance(15 * 60 * 1000); // 00:05 on the 24th
    await hub.start();
    expect((await issueAtHub()).body.number).toBe('A001');
    // The 24th's next block comes after it; the 25th is now grantable, the 23rd no longer.
    expect((await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 })).body).toMatchObject({
      businessDay: D1,
      from: 506,
      to: 510,
    });
    const late = await grant({ epoch: 'e-1', serviceId: 'etat-civil', businessDay: D });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: 'business_day_not_grantable' } });
  });

  it('refuses an agent ticket whose number is not in a block of the day it claims', async () => {
    const ahead = (await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5, businessDay: D1 }))
      .body;
    const push = (businessDay: string, n: number) =>
      call<{ ackSeq: number; results: { status: string }[] }>(
        hub.url,
        'POST',
        '/api/v1/sync/push',
        {
          token: hub.tokens.kiosk,
          body: {
            deviceId: ahead.agentId,
            epoch: 'e-1',
            events: [
              {
                eventId: `01936b2e-0000-7000-8000-00000000000${n}`,
                deviceSeq: n,
                hlc: `000001700000000.00000${n}.agent-x`,
                type: 'ticket.issued',
                payload: {
                  ticket: {
                    id: `01936b2e-0000-7000-8000-0000000000a${n}`,
                    serviceId: 'etat-civil',
                    businessDay,
                    seq: 501,
                    number: 'A501',
                    priority: false,
                    lang: 'fr',
                    issuedAt: clock.now(),
                  },
                  clockOffsetMs: 0,
                },
              },
            ],
          },
        },
      );
    // A501 of the 24th is the agent's; A501 of the 23rd is not (the hub keeps a ticket on its
    // block's day, it never moves one to another day).
    expect((await push(D, 1)).body.results[0]?.status).toBe('rejected');
    expect((await push(D1, 2)).body.results[0]?.status).toBe('applied');
    expect((await issueAtHub()).body.number).toBe('A001');
    // At midnight the agent's A501 is on the hub's new day; the hub's own numbers still start at
    // A001 (an agent ticket above them does not move them).
    clock.advance(15 * 60 * 1000);
    expect((await issueAtHub()).body.number).toBe('A001');
    const db = new Database(databaseFile(hub.dir), { readonly: true });
    try {
      expect(
        db.prepare('SELECT business_day, number FROM tickets ORDER BY business_day, seq').all(),
      ).toEqual([
        { business_day: D, number: 'A001' },
        { business_day: D1, number: 'A001' },
        { business_day: D1, number: 'A501' },
      ]);
    } finally {
      db.close();
    }
  });

  it(`prunes the blocks of days more than ${BLOCK_RETENTION_DAYS} days past, at the next grant`, async () => {
    await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5 });
    await grant({ epoch: 'e-1', serviceId: 'etat-civil', size: 5, businessDay: D1 });
    clock.advance(BLOCK_RETENTION_DAYS * DAY_MS); // the 23rd is 30 days past: kept
    await grant({ epoch: 'e-1', serviceId: 'passeports', size: 5 });
    expect(blockRows().map((r) => r.business_day)).toEqual([D, D1, '2026-12-23']);
    clock.advance(DAY_MS); // 31 days: the 23rd goes, the 24th stays
    await grant({ epoch: 'e-1', serviceId: 'passeports', size: 5 });
    expect(blockRows().map((r) => r.business_day)).toEqual([D1, '2026-12-23', '2026-12-24']);
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
