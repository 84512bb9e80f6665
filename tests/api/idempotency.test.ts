// Idempotency-Key: a kiosk or counter that retries after a timeout gets the first answer again and
// changes nothing; the key belongs to the device that used it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDto, TicketWithPositionDto } from '../../core/api/schemas';
import { Api, countRows, expectError, fingerprint } from '../support/api-kit';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
let api: Api;
let secondKiosk: string;
let keyCounter = 0;
const newKey = () => `key-${++keyCounter}-${Date.now()}`;
const key = (k: string) => ({ 'idempotency-key': k });

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
  const created = await api.post<{ token: string }>(api.admin, '/api/v1/devices', {
    role: 'kiosk',
  });
  expect(created.status).toBe(201);
  secondKiosk = created.body.token;
});

afterAll(async () => {
  await hub?.dispose();
});

describe('issuing a ticket with an Idempotency-Key', () => {
  it('a repeat returns the same answer and creates one row and one event', async () => {
    const k = newKey();
    const tickets = countRows(api, 'tickets');
    const events = countRows(api, 'events');
    const first = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'passeports' },
      key(k),
    );
    const again = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'passeports' },
      key(k),
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(countRows(api, 'tickets')).toBe(tickets + 1);
    expect(countRows(api, 'events')).toBe(events + 1);
    expect(countRows(api, 'idempotency_keys', `key = '${k}'`)).toBe(1);
  });

  it('ten concurrent repeats still make one ticket, and all get its id and number', async () => {
    const k = newKey();
    const tickets = countRows(api, 'tickets');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.post<TicketWithPositionDto>(
          api.kiosk,
          '/api/v1/tickets',
          { serviceId: 'visas' },
          key(k),
        ),
      ),
    );
    for (const a of answers) expect(a.status).toBe(201);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.number)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(countRows(api, 'tickets')).toBe(tickets + 1);
  });

  it('a repeat after the ticket moved on still returns the first answer and changes nothing', async () => {
    const k = newKey();
    const first = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'titres-sejour' },
      key(k),
    );
    expect(first.status).toBe(201);
    await api.step(api.admin, first.body.id, 'cancel');
    const before = await fingerprint(api);
    const again = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'titres-sejour' },
      key(k),
    );
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await fingerprint(api)).toEqual(before);
    expect((await api.ticket(first.body.id)).status).toBe('cancelled');
  });

  it('the same request written with its fields in another order is the same request', async () => {
    const k = newKey();
    const first = await api.request<TicketWithPositionDto>('POST', '/api/v1/tickets', {
      token: api.kiosk,
      rawBody: '{"serviceId":"passeports","lang":"en"}',
      headers: key(k),
    });
    const again = await api.request<TicketWithPositionDto>('POST', '/api/v1/tickets', {
      token: api.kiosk,
      rawBody: '{"lang":"en","serviceId":"passeports"}',
      headers: key(k),
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('the same key with a different body → 422 idempotency_key_reused, nothing written', async () => {
    const k = newKey();
    expect(
      (await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'passeports' }, key(k))).status,
    ).toBe(201);
    const before = await fingerprint(api);
    expectError(
      await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'visas' }, key(k)),
      422,
      'idempotency_key_reused',
    );
    expectError(
      await api.post(
        api.kiosk,
        '/api/v1/tickets',
        { serviceId: 'passeports', priority: true },
        key(k),
      ),
      422,
      'idempotency_key_reused',
    );
    expect(await fingerprint(api)).toEqual(before);
  });

  it('the same key on another route → 422 idempotency_key_reused, nothing written', async () => {
    const k = newKey();
    expect(
      (await api.post(api.admin, '/api/v1/tickets', { serviceId: 'passeports' }, key(k))).status,
    ).toBe(201);
    const before = await fingerprint(api);
    expectError(
      await api.post(api.admin, '/api/v1/counters/counter-3/pause', undefined, key(k)),
      422,
      'idempotency_key_reused',
    );
    expect(await fingerprint(api)).toEqual(before);
  });

  it('the key is per device: two kiosks using the same key get two tickets, each replays its own', async () => {
    const k = newKey();
    const a1 = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'etat-civil' },
      key(k),
    );
    const b1 = await api.post<TicketWithPositionDto>(
      secondKiosk,
      '/api/v1/tickets',
      { serviceId: 'etat-civil' },
      key(k),
    );
    expect(a1.status).toBe(201);
    expect(b1.status).toBe(201);
    expect(b1.body.id).not.toBe(a1.body.id);
    expect(b1.body.number).not.toBe(a1.body.number);
    const a2 = await api.post<TicketWithPositionDto>(
      api.kiosk,
      '/api/v1/tickets',
      { serviceId: 'etat-civil' },
      key(k),
    );
    const b2 = await api.post<TicketWithPositionDto>(
      secondKiosk,
      '/api/v1/tickets',
      { serviceId: 'etat-civil' },
      key(k),
    );
    expect(a2.body.id).toBe(a1.body.id);
    expect(b2.body.id).toBe(b1.body.id);
    // A different body is judged against the device's own use of the key only.
    expectError(
      await api.post(secondKiosk, '/api/v1/tickets', { serviceId: 'visas' }, key(k)),
      422,
      'idempotency_key_reused',
    );
  });

  it('keys of 1 and of 128 printable characters are accepted', async () => {
    for (const k of ['!', '~'.repeat(128)]) {
      const first = await api.post<TicketWithPositionDto>(
        secondKiosk,
        '/api/v1/tickets',
        { serviceId: 'visas' },
        key(k),
      );
      const again = await api.post<TicketWithPositionDto>(
        secondKiosk,
        '/api/v1/tickets',
        { serviceId: 'visas' },
        key(k),
      );
      expect(first.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
    }
  });
});

describe('call-next and ticket steps with an Idempotency-Key', () => {
  beforeAll(async () => {
    await api.drain();
    await api.freeCounter('counter-1');
  });

  it('a retried call-next returns the same ticket and does not call a second one', async () => {
    const t1 = await api.issue('etat-civil');
    const t2 = await api.issue('etat-civil');
    const k = newKey();
    const token = api.counter('counter-1');
    const first = await api.post<{ ticket: TicketDto }>(
      token,
      '/api/v1/counters/counter-1/call-next',
      undefined,
      key(k),
    );
    expect(first.status).toBe(200);
    expect(first.body.ticket.id).toBe(t1.id);
    const calledEvents = countRows(api, 'events', "type = 'ticket.called'");
    const again = await api.post<{ ticket: TicketDto }>(
      token,
      '/api/v1/counters/counter-1/call-next',
      undefined,
      key(k),
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(countRows(api, 'events', "type = 'ticket.called'")).toBe(calledEvents);
    expect((await api.ticket(t2.id)).status).toBe('waiting');
    // Without the key the retry would be a new command, refused since the counter is busy.
    expectError(await api.post(token, '/api/v1/counters/counter-1/call-next'), 409, 'counter_busy');
    // After finishing, the same key still replays the first call rather than calling t2.
    await api.step(token, t1.id, 'finish');
    const late = await api.post<{ ticket: TicketDto }>(
      token,
      '/api/v1/counters/counter-1/call-next',
      undefined,
      key(k),
    );
    expect(late.body.ticket.id).toBe(t1.id);
    expect((await api.ticket(t2.id)).status).toBe('waiting');
    await api.drain();
  });

  it('a 204 (no one waiting) is replayed as a 204, even once someone waits', async () => {
    await api.drain();
    const k = newKey();
    const token = api.counter('counter-1');
    const first = await api.post(token, '/api/v1/counters/counter-1/call-next', undefined, key(k));
    expect(first.status).toBe(204);
    const waiting = await api.issue('etat-civil');
    const again = await api.post(token, '/api/v1/counters/counter-1/call-next', undefined, key(k));
    expect(again.status).toBe(204);
    expect((await api.ticket(waiting.id)).status).toBe('waiting');
    await api.drain();
  });

  it('a command refused with 409 stores nothing: the same key works once the state allows it', async () => {
    const token = api.counter('counter-1');
    const ticket = await api.issue('etat-civil');
    expect((await api.post(token, '/api/v1/counters/counter-1/pause')).status).toBe(200);
    const k = newKey();
    const keys = countRows(api, 'idempotency_keys');
    expectError(
      await api.post(token, '/api/v1/counters/counter-1/call-next', undefined, key(k)),
      409,
      'counter_paused',
    );
    expect(countRows(api, 'idempotency_keys')).toBe(keys);
    expect((await api.post(token, '/api/v1/counters/counter-1/resume')).status).toBe(200);
    const retried = await api.post<{ ticket: TicketDto }>(
      token,
      '/api/v1/counters/counter-1/call-next',
      undefined,
      key(k),
    );
    expect(retried.status).toBe(200);
    expect(retried.body.ticket.id).toBe(ticket.id);

    // Likewise for a step: finishing a waiting ticket fails, then works once it is called.
    const other = await api.issue('passeports');
    const k2 = newKey();
    expectError(
      await api.post(api.admin, `/api/v1/tickets/${other.id}/finish`, undefined, key(k2)),
      409,
      'illegal_transition',
    );
    await api.post(api.admin, `/api/v1/tickets/${ticket.id}/finish`);
    expect(
      (await api.post(api.admin, '/api/v1/counters/counter-1/call', { ticketId: other.id })).status,
    ).toBe(200);
    const finished = await api.post<TicketDto>(
      api.admin,
      `/api/v1/tickets/${other.id}/finish`,
      undefined,
      key(k2),
    );
    expect(finished.status).toBe(200);
    expect(finished.body.status).toBe('done');
  });

  it('a 404 with a key stores nothing either', async () => {
    const k = newKey();
    const keys = countRows(api, 'idempotency_keys');
    expectError(
      await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'no-such-service' }, key(k)),
      404,
      'service_not_found',
    );
    expect(countRows(api, 'idempotency_keys')).toBe(keys);
  });

  it('a revoked device cannot replay its keys (401)', async () => {
    const created = await api.post<{ device: { id: string }; token: string }>(
      api.admin,
      '/api/v1/devices',
      { role: 'kiosk' },
    );
    const k = newKey();
    expect(
      (await api.post(created.body.token, '/api/v1/tickets', { serviceId: 'visas' }, key(k)))
        .status,
    ).toBe(201);
    expect(
      (await api.post(api.admin, `/api/v1/devices/${created.body.device.id}/revoke`)).status,
    ).toBe(200);
    expectError(
      await api.post(created.body.token, '/api/v1/tickets', { serviceId: 'visas' }, key(k)),
      401,
      'unauthorized',
    );
  });
});

describe('secrets and the idempotency ledger', () => {
  it('a device created with an Idempotency-Key leaves no usable token or pairing code in the database', async () => {
    const k = newKey();
    const created = await api.post<{ token: string; pairingCode: string }>(
      api.admin,
      '/api/v1/devices',
      { role: 'display', name: 'Hall TV' },
      key(k),
    );
    expect(created.status).toBe(201);
    // The schema promises (hub/db/migrations/002) that only hashes of secrets are kept, so a
    // stolen database holds nothing that authenticates.
    const db = hub.hub.ctx.db;
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    const leaks: string[] = [];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[]) {
        const text = JSON.stringify(row);
        if (text.includes(created.body.token)) leaks.push(`${name} holds the token`);
        if (text.includes(created.body.pairingCode)) leaks.push(`${name} holds the pairing code`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
