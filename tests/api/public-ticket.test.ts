// The visitor's follow-up route: readable without a token, by ticket id only, with nothing personal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicTicketDto } from '../../core/api/schemas';
import { call, startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.dispose());

describe('GET /api/v1/public/tickets/:id', () => {
  it('answers without a token with the place in the queue, then the counter once called', async () => {
    const first = await call<{ id: string }>(hub.url, 'POST', '/api/v1/tickets', {
      token: hub.tokens.kiosk,
      body: { serviceId: 'visas', lang: 'ar' },
    });
    const second = await call<{ id: string; followUpUrl: string }>(
      hub.url,
      'POST',
      '/api/v1/tickets',
      {
        token: hub.tokens.kiosk,
        body: { serviceId: 'visas' },
      },
    );
    expect(second.body.followUpUrl).toMatch(new RegExp(`/t/${second.body.id}$`));

    const waiting = await call(hub.url, 'GET', `/api/v1/public/tickets/${second.body.id}`);
    expect(waiting.status).toBe(200);
    expect(PublicTicketDto.parse(waiting.body)).toMatchObject({
      number: 'D002',
      status: 'waiting',
      ahead: 1,
      branchName: 'Mairie de Démo',
      counterName: null,
    });

    await call(hub.url, 'POST', '/api/v1/counters/counter-3/call-next', {
      token: hub.tokens.counters['counter-3'],
    });
    const called = await call<{ status: string; counterName: string; lang: string }>(
      hub.url,
      'GET',
      `/api/v1/public/tickets/${first.body.id}`,
    );
    expect(called.body).toMatchObject({ status: 'called', counterName: '3', lang: 'ar' });
  });

  it('answers 404 for an unknown id and 400 for a malformed one, in the error shape', async () => {
    const unknown = await call(
      hub.url,
      'GET',
      '/api/v1/public/tickets/01a201ca-bcd8-7cd7-816d-0a2d0d2271f4',
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'ticket_not_found' } } });
    const malformed = await call(hub.url, 'GET', "/api/v1/public/tickets/'%20OR%201=1");
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('still keeps every other ticket route behind a token', async () => {
    const issued = await call<{ id: string }>(hub.url, 'POST', '/api/v1/tickets', {
      token: hub.tokens.kiosk,
      body: { serviceId: 'visas' },
    });
    expect((await call(hub.url, 'GET', `/api/v1/tickets/${issued.body.id}`)).status).toBe(401);
  });
});
