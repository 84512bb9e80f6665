// The WebSocket stream: a hello with the log position, then every event, in order, in the shapes
// core/api/schemas.ts promises; device events stay private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CounterStreamEvent,
  StreamHello,
  StreamMessage,
  TICKET_EVENT_TYPES,
  TicketStreamEvent,
  type TicketDto,
} from '../../core/api/schemas';
import { Api, expectError } from '../support/api-kit';
import { StreamClient, streamUrl } from '../support/stream-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
let api: Api;
const open: StreamClient[] = [];

async function connect(query: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  const client = await StreamClient.open(streamUrl(hub, query), headers);
  open.push(client);
  await client.waitForCount(1);
  return client;
}

const typeOf = (m: unknown) => (m as { type: string }).type;
const isTicketEvent = (ticketId: string, type: string) => (m: unknown) =>
  typeOf(m) === type && (m as { ticket?: { id: string } }).ticket?.id === ticketId;

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await hub?.dispose();
});

describe('opening the stream', () => {
  it('with ?token= it opens and first sends stream.hello at the log position', async () => {
    const queue = await api.get<{ seq: number }>(api.admin, '/api/v1/queue');
    const client = await connect(`?token=${encodeURIComponent(api.display)}`);
    const hello = StreamHello.parse(client.messages[0]);
    expect(hello.type).toBe('stream.hello');
    expect(hello.seq).toBe(queue.body.seq);
    expect(hello.seq).toBeGreaterThan(0);
  });

  it('with the Authorization header it opens and sends stream.hello', async () => {
    const client = await connect('', { authorization: `Bearer ${api.counter('counter-2')}` });
    expect(StreamHello.parse(client.messages[0]).type).toBe('stream.hello');
  });

  it('with the pairing cookie it opens and sends stream.hello', async () => {
    const client = await connect('', { cookie: `guichet_token=${api.display}` });
    expect(StreamHello.parse(client.messages[0]).type).toBe('stream.hello');
  });

  it('without a token, or with an unknown one, the upgrade is refused with 401 and the error shape', async () => {
    for (const [query, headers] of [
      ['', {}],
      ['?token=gch_not-a-real-token', {}],
      ['', { authorization: 'Bearer gch_not-a-real-token' }],
    ] as const) {
      const attempt = await StreamClient.attempt(streamUrl(hub, query), headers);
      expectError(
        { status: attempt.status, body: JSON.parse(attempt.body), headers: new Headers() },
        401,
        'unauthorized',
      );
    }
  });

  it('a revoked device is refused with 401', async () => {
    const created = await api.post<{ device: { id: string }; token: string }>(
      api.admin,
      '/api/v1/devices',
      { role: 'display' },
    );
    expect(
      (await StreamClient.attempt(streamUrl(hub, `?token=${created.body.token}`))).status,
    ).toBe(101);
    await api.post(api.admin, `/api/v1/devices/${created.body.device.id}/revoke`);
    const attempt = await StreamClient.attempt(streamUrl(hub, `?token=${created.body.token}`));
    expect(attempt.status).toBe(401);
  });
});

describe('revocation', () => {
  it('revoking a device closes the stream it already has open (a stolen screen stops seeing the queue)', async () => {
    const created = await api.post<{ device: { id: string }; token: string }>(
      api.admin,
      '/api/v1/devices',
      { role: 'display', name: 'Stolen TV' },
    );
    const client = await connect(`?token=${created.body.token}`);
    expect(
      (await api.post(api.admin, `/api/v1/devices/${created.body.device.id}/revoke`)).status,
    ).toBe(200);
    const after = await api.issue('visas');
    // Wait (bounded) for either the close or the next event to reach the revoked screen.
    await client
      .waitForMessage(isTicketEvent(after.id, 'ticket.issued'), 'the next event', 2_000)
      .catch(() => undefined);
    expect(client.messages.some(isTicketEvent(after.id, 'ticket.issued'))).toBe(false);
    expect(client.closed).toBe(true);
  });
});

describe('ticket events', () => {
  it('every ticket event type arrives, in order, with increasing seq, in the StreamMessage shape', async () => {
    const admin = await connect(`?token=${api.admin}`);
    const display = await connect(`?token=${api.display}`);
    const helloSeq = StreamHello.parse(admin.messages[0]).seq;
    const c1 = api.counter('counter-1');
    const expected: [string, string][] = [];

    const t1 = await api.issue('etat-civil', { token: api.kiosk });
    expected.push(['ticket.issued', t1.id]);
    const called1 = await api.callNext('counter-1');
    expect(called1?.id).toBe(t1.id);
    expected.push(['ticket.called', t1.id]);
    await api.step(c1, t1.id, 'recall');
    expected.push(['ticket.recalled', t1.id]);
    await api.step(c1, t1.id, 'start');
    expected.push(['ticket.started', t1.id]);
    await api.step(c1, t1.id, 'finish');
    expected.push(['ticket.finished', t1.id]);

    const t2 = await api.issue('etat-civil', { token: api.kiosk });
    await api.callNext('counter-1');
    await api.step(c1, t2.id, 'no-show');
    expected.push(['ticket.issued', t2.id], ['ticket.called', t2.id], ['ticket.no_show', t2.id]);

    const t3 = await api.issue('etat-civil', { token: api.kiosk });
    await api.callNext('counter-1');
    await api.step(c1, t3.id, 'transfer', {
      serviceId: 'passeports',
      note: 'needs a passport too',
    });
    await api.step(api.admin, t3.id, 'cancel');
    expected.push(
      ['ticket.issued', t3.id],
      ['ticket.called', t3.id],
      ['ticket.transferred', t3.id],
      ['ticket.cancelled', t3.id],
    );

    for (const client of [admin, display]) {
      const messages = (await client.waitForCount(1 + expected.length)).slice(1);
      expect(messages.map((m) => [typeOf(m), (m as { ticket: TicketDto }).ticket.id])).toEqual(
        expected,
      );
      let lastSeq = helloSeq;
      for (const m of messages) {
        const parsed = StreamMessage.parse(m);
        TicketStreamEvent.parse(m);
        expect(parsed.seq).toBeGreaterThan(lastSeq);
        lastSeq = parsed.seq;
      }
      expect(new Set(messages.map(typeOf))).toEqual(new Set(TICKET_EVENT_TYPES));
    }

    const byType = (type: string, id: string) =>
      TicketStreamEvent.parse(admin.messages.find(isTicketEvent(id, type)));
    expect(byType('ticket.called', t1.id).counterId).toBe('counter-1');
    expect(byType('ticket.called', t1.id).ticket.status).toBe('called');
    expect(byType('ticket.recalled', t1.id).ticket.recalls).toBe(1);
    expect(byType('ticket.started', t1.id).ticket.status).toBe('serving');
    expect(byType('ticket.finished', t1.id).ticket.status).toBe('done');
    expect(byType('ticket.no_show', t2.id).ticket.status).toBe('no_show');
    const transferred = byType('ticket.transferred', t3.id);
    expect(transferred.fromServiceId).toBe('etat-civil');
    expect(transferred.note).toBe('needs a passport too');
    expect(transferred.ticket.serviceId).toBe('passeports');
    expect(transferred.ticket.number).toBe(t3.number);
    expect(transferred.ticket.status).toBe('waiting');
    expect(byType('ticket.cancelled', t3.id).ticket.status).toBe('cancelled');

    // The stream's seq is the event log's.
    const logged = hub.hub.ctx.db
      .prepare<[number], { seq: number; type: string }>(
        'SELECT seq, type FROM events WHERE seq > ? ORDER BY seq',
      )
      .all(helloSeq);
    expect(logged.map((e) => [e.seq, e.type])).toEqual(
      admin.messages.slice(1).map((m) => [(m as { seq: number }).seq, typeOf(m)]),
    );
  });

  it('events from before the connection are not replayed: the hello seq is where to resync from', async () => {
    const before = await api.issue('visas');
    const client = await connect(`?token=${api.display}`);
    const after = await api.issue('visas');
    await client.waitForMessage(isTicketEvent(after.id, 'ticket.issued'), 'the later ticket');
    expect(client.messages.some(isTicketEvent(before.id, 'ticket.issued'))).toBe(false);
    const hello = StreamHello.parse(client.messages[0]);
    const event = TicketStreamEvent.parse(client.messages[1]);
    expect(event.seq).toBe(hello.seq + 1);
  });

  it('a client that talks is ignored, not disconnected', async () => {
    const client = await connect(`?token=${api.display}`);
    client.socket.send('{"type":"ticket.issued"}');
    client.socket.send('not even json');
    const t = await api.issue('visas');
    await client.waitForMessage(
      isTicketEvent(t.id, 'ticket.issued'),
      'the ticket after the chatter',
    );
    expect(client.closed).toBe(false);
  });
});

describe('recall until no-show', () => {
  it('after maxRecalls recalls, the next recall yields ticket.no_show', async () => {
    await api.drain();
    await api.freeCounter('counter-3');
    const maxRecalls = (await api.get<{ maxRecalls: number }>(api.admin, '/api/v1/branch')).body
      .maxRecalls;
    expect(maxRecalls).toBe(3);
    const client = await connect(`?token=${api.display}`);
    const c3 = api.counter('counter-3');
    const ticket = await api.issue('visas');
    expect((await api.callNext('counter-3'))?.id).toBe(ticket.id);
    for (let i = 1; i <= maxRecalls; i++) {
      const recalled = await api.step(c3, ticket.id, 'recall');
      expect(recalled.status).toBe('called');
      expect(recalled.recalls).toBe(i);
    }
    const last = await api.step(c3, ticket.id, 'recall');
    expect(last.status).toBe('no_show');
    await client.waitForMessage(isTicketEvent(ticket.id, 'ticket.no_show'), 'ticket.no_show');
    const types = client.messages
      .filter((m) => (m as { ticket?: { id: string } }).ticket?.id === ticket.id)
      .map(typeOf);
    expect(types).toEqual([
      'ticket.issued',
      'ticket.called',
      ...Array<string>(maxRecalls).fill('ticket.recalled'),
      'ticket.no_show',
    ]);
    // The counter is free again, and the ticket cannot be recalled any more.
    expectError(
      await api.post(api.admin, `/api/v1/tickets/${ticket.id}/recall`),
      409,
      'illegal_transition',
    );
    expect(
      (await api.get<{ currentTicket: unknown }[]>(api.admin, '/api/v1/counters')).body.find(
        (c) => (c as { id?: string }).id === 'counter-3',
      )?.currentTicket,
    ).toBeNull();
  });

  it('with maxRecalls 0, the first recall yields ticket.no_show', async () => {
    expect((await api.patch(api.admin, '/api/v1/branch', { maxRecalls: 0 })).status).toBe(200);
    const client = await connect(`?token=${api.display}`);
    const ticket = await api.issue('visas');
    expect((await api.callNext('counter-3'))?.id).toBe(ticket.id);
    expect((await api.step(api.counter('counter-3'), ticket.id, 'recall')).status).toBe('no_show');
    await client.waitForMessage(isTicketEvent(ticket.id, 'ticket.no_show'), 'ticket.no_show');
    expect(client.messages.some(isTicketEvent(ticket.id, 'ticket.recalled'))).toBe(false);
    expect((await api.patch(api.admin, '/api/v1/branch', { maxRecalls: 3 })).status).toBe(200);
  });
});

describe('what a display may see', () => {
  it('a display never receives device.* events, but sees configuration changes and counter events', async () => {
    const display = await connect(`?token=${api.display}`);
    const admin = await connect(`?token=${api.admin}`);
    const created = await api.post<{ device: { id: string }; token: string }>(
      api.admin,
      '/api/v1/devices',
      {
        role: 'counter',
        counterId: 'counter-2',
        name: 'Secret counter device',
      },
    );
    expect(created.status).toBe(201);
    expect(
      (await api.post(api.admin, `/api/v1/devices/${created.body.device.id}/revoke`)).status,
    ).toBe(200);
    expect((await api.patch(api.admin, '/api/v1/services/visas', { position: 7 })).status).toBe(
      200,
    );
    await api.freeCounter('counter-2');
    expect(
      (await api.post(api.counter('counter-2'), '/api/v1/counters/counter-2/pause')).status,
    ).toBe(200);
    expect(
      (await api.post(api.counter('counter-2'), '/api/v1/counters/counter-2/resume')).status,
    ).toBe(200);
    const marker = await api.issue('passeports');
    for (const client of [display, admin]) {
      await client.waitForMessage(isTicketEvent(marker.id, 'ticket.issued'), 'the marker ticket');
      const types = client.messages.map(typeOf);
      expect(types.filter((t) => t.startsWith('device.'))).toEqual([]);
      for (const m of client.messages) StreamMessage.parse(m);
      const text = JSON.stringify(client.messages);
      expect(text).not.toContain(created.body.device.id);
      expect(text).not.toContain(created.body.token);
      expect(text).not.toContain('Secret counter device');
      expect(client.messages).toContainEqual(
        expect.objectContaining({ type: 'config.changed', cause: 'service.updated' }),
      );
      const paused = CounterStreamEvent.parse(
        client.messages.find((m) => typeOf(m) === 'counter.paused'),
      );
      expect(paused.counter).toMatchObject({ id: 'counter-2', status: 'paused' });
      const resumed = CounterStreamEvent.parse(
        client.messages.find((m) => typeOf(m) === 'counter.resumed'),
      );
      expect(resumed.counter).toMatchObject({ id: 'counter-2', status: 'open' });
      expect(resumed.seq).toBeGreaterThan(paused.seq);
    }
    // The device events did happen: they are in the log, just not on the stream.
    const deviceEvents = hub.hub.ctx.db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE type IN ('device.created', 'device.revoked')",
      )
      .get();
    expect(deviceEvents?.n).toBeGreaterThanOrEqual(2);
  });
});
