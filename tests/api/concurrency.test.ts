// Many screens at once: counters racing for the same queue, kiosks issuing together. Whatever the
// interleaving, a ticket is called once, by one counter, and numbers and the event log stay gapless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDto, TicketWithPositionDto } from '../../core/api/schemas';
import { Api, countRows, expectError } from '../support/api-kit';
import { startTestHub, type TestHub } from '../support/test-hub';

const number = (prefix: string, n: number) => `${prefix}${String(n).padStart(3, '0')}`;

async function issueMany(api: Api, serviceId: string, n: number, batch = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += batch) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () =>
        api.post<TicketWithPositionDto>(api.kiosk, '/api/v1/tickets', { serviceId }),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(201);
      ids.push(a.body.id);
    }
  }
  return ids;
}

function expectEventLogGapless(hub: TestHub): void {
  const rows = hub.hub.ctx.db
    .prepare<[], { seq: number; device_id: string; device_seq: number }>(
      'SELECT seq, device_id, device_seq FROM events ORDER BY seq',
    )
    .all();
  expect(new Set(rows.map((r) => r.device_id)).size).toBe(1);
  expect(rows.map((r) => r.device_seq)).toEqual(rows.map((_, i) => i + 1));
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
}

describe('two counters calling next on the same service at once', () => {
  let hub: TestHub;
  let api: Api;
  beforeAll(async () => {
    hub = await startTestHub();
    api = new Api(hub);
    expect((await api.patch(api.admin, '/api/v1/branch', { capacity: null })).status).toBe(200);
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('in lockstep, 200 tickets: no ticket is returned to both, each is called exactly once', async () => {
    const issued = await issueMany(api, 'etat-civil', 200);
    const calledBy = new Map<string, string[]>();
    let rounds = 0;
    for (;;) {
      rounds++;
      expect(rounds).toBeLessThanOrEqual(issued.length + 2);
      const [a, b] = await Promise.all([api.callNext('counter-1'), api.callNext('counter-4')]);
      if (a && b) expect(a.id).not.toBe(b.id);
      for (const [counterId, t] of [
        ['counter-1', a],
        ['counter-4', b],
      ] as const) {
        if (!t) continue;
        expect(t.status).toBe('called');
        expect(t.counterId).toBe(counterId);
        calledBy.set(t.id, [...(calledBy.get(t.id) ?? []), counterId]);
      }
      if (!a && !b) break;
      await Promise.all([
        a ? api.step(api.counter('counter-1'), a.id, 'finish') : null,
        b ? api.step(api.counter('counter-4'), b.id, 'finish') : null,
      ]);
    }
    expect([...calledBy.keys()].sort()).toEqual([...issued].sort());
    for (const [id, counters] of calledBy) expect(counters, id).toHaveLength(1);
    const byCounter = (c: string) => [...calledBy.values()].filter((v) => v[0] === c).length;
    expect(byCounter('counter-1')).toBeGreaterThan(0);
    expect(byCounter('counter-4')).toBeGreaterThan(0);
    // The log agrees: one ticket.called per ticket, and every ticket done.
    const dupes = hub.hub.ctx.db
      .prepare(
        "SELECT ticket_id FROM events WHERE type = 'ticket.called' GROUP BY ticket_id HAVING COUNT(*) > 1",
      )
      .all();
    expect(dupes).toEqual([]);
    expect(countRows(api, 'tickets', "status <> 'done'")).toBe(0);
    expectEventLogGapless(hub);
  });

  it('free-running (each counter loops call-next → finish on its own): still once each, in queue order', async () => {
    const issued = await issueMany(api, 'etat-civil', 150);
    const calls: { counterId: string; ticket: TicketDto }[] = [];
    const work = async (counterId: string) => {
      for (let i = 0; i <= issued.length; i++) {
        const t = await api.callNext(counterId);
        if (!t) return;
        calls.push({ counterId, ticket: t });
        await api.step(api.counter(counterId), t.id, 'finish');
      }
      throw new Error(`${counterId} never ran out of tickets`);
    };
    await Promise.all([work('counter-1'), work('counter-4')]);
    expect(calls.map((c) => c.ticket.id).sort()).toEqual([...issued].sort());
    // The hub serialises the calls: in the order it made them, tickets leave the queue first come,
    // first served (A201, A202, … since the first test drew A001–A200).
    const inCallOrder = hub.hub.ctx.db
      .prepare<[], { number: string }>(
        "SELECT t.number FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.type = 'ticket.called' ORDER BY e.seq",
      )
      .all()
      .slice(-150)
      .map((r) => r.number);
    expect(inCallOrder).toEqual(Array.from({ length: 150 }, (_, i) => number('A', 201 + i)));
    expectEventLogGapless(hub);
  });

  it('call-next racing a manual call of the same head ticket: one of them gets it, never both', async () => {
    for (let round = 0; round < 30; round++) {
      const [head] = await issueMany(api, 'etat-civil', 2, 1);
      const [next, manual] = await Promise.all([
        api.post<{ ticket: TicketDto }>(
          api.counter('counter-1'),
          '/api/v1/counters/counter-1/call-next',
        ),
        api.post<{ ticket: TicketDto }>(
          api.counter('counter-4'),
          '/api/v1/counters/counter-4/call',
          {
            ticketId: head,
          },
        ),
      ]);
      expect(next.status).toBe(200);
      if (manual.status === 200) {
        expect(manual.body.ticket.id).toBe(head);
        expect(next.body.ticket.id).not.toBe(head);
      } else {
        expectError(manual, 409, 'illegal_transition');
        expect(next.body.ticket.id).toBe(head);
      }
      await api.drain();
    }
    const dupes = hub.hub.ctx.db
      .prepare(
        "SELECT ticket_id FROM events WHERE type = 'ticket.called' GROUP BY ticket_id HAVING COUNT(*) > 1",
      )
      .all();
    expect(dupes).toEqual([]);
  });
});

describe('many kiosks issuing at once', () => {
  let hub: TestHub;
  let api: Api;
  let kiosks: string[];
  beforeAll(async () => {
    hub = await startTestHub();
    api = new Api(hub);
    expect((await api.patch(api.admin, '/api/v1/branch', { capacity: null })).status).toBe(200);
    kiosks = [api.kiosk];
    for (let i = 0; i < 3; i++) {
      const created = await api.post<{ token: string }>(api.admin, '/api/v1/devices', {
        role: 'kiosk',
      });
      expect(created.status).toBe(201);
      kiosks.push(created.body.token);
    }
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('300 concurrent issues across 4 services: numbers unique and gapless per service, log gapless', async () => {
    const services = [
      ['etat-civil', 'A'],
      ['passeports', 'B'],
      ['titres-sejour', 'C'],
      ['visas', 'D'],
    ] as const;
    const eventsBefore = countRows(api, 'events');
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        api.post<TicketWithPositionDto>(kiosks[i % kiosks.length], '/api/v1/tickets', {
          serviceId: services[(i * 7) % services.length]![0],
        }),
      ),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(201);
    const tickets = answers.map((a) => a.body);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(300);
    for (const [serviceId, prefix] of services) {
      const mine = tickets.filter((t) => t.serviceId === serviceId);
      expect(mine.length).toBe(75);
      const numbers = mine.map((t) => t.number).sort();
      expect(numbers).toEqual(Array.from({ length: mine.length }, (_, i) => number(prefix, i + 1)));
      // Each saw the queue as it stood when it was issued: 0, 1, 2, … ahead.
      expect(mine.map((t) => t.ahead).sort((x, y) => x - y)).toEqual(mine.map((_, i) => i));
      // …and the number order is the queue order.
      const byAhead = [...mine].sort((x, y) => x.ahead - y.ahead).map((t) => t.number);
      expect(byAhead).toEqual(numbers);
    }
    expect(countRows(api, 'tickets')).toBe(300);
    expect(countRows(api, 'events') - eventsBefore).toBe(300);
    expect(countRows(api, 'events', "type = 'ticket.issued'")).toBe(300);
    expectEventLogGapless(hub);
  });

  it('concurrent issues never go past the capacity', async () => {
    await api.drain();
    expect((await api.patch(api.admin, '/api/v1/branch', { capacity: 40 })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api.post(kiosks[i % kiosks.length], '/api/v1/tickets', { serviceId: 'visas' }),
      ),
    );
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted).toHaveLength(40);
    for (const a of answers.filter((x) => x.status !== 201)) expectError(a, 409, 'branch_full');
    const branch = await api.get<{ occupancy: number }>(api.admin, '/api/v1/branch');
    expect(branch.body.occupancy).toBe(40);
    expectEventLogGapless(hub);
  });
});
