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

  // Last in this file: it uses up this address's allowance for the minute.
  it('limits one address to 600 requests a minute, with 429 and Retry-After, other routes untouched', async () => {
    const issued = await call<{ id: string }>(hub.url, 'POST', '/api/v1/tickets', {
      token: hub.tokens.kiosk,
      body: { serviceId: 'visas' },
    });
    const route = `/api/v1/public/tickets/${issued.body.id}`;
    // Earlier tests in this file used a few of the 600 already: poll until refused.
    let answered = 0;
    let refused: Awaited<ReturnType<typeof call>> | null = null;
    while (refused === null && answered <= 600) {
      const answer = await call(hub.url, 'GET', route);
      if (answer.status === 429) refused = answer;
      else {
        expect(answer.status).toBe(200);
        answered += 1;
      }
    }
    expect(answered).toBeGreaterThan(590);
    expect(answered).toBeLessThanOrEqual(600);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The limit is the public route's alone: devices and health go on.
    expect((await call(hub.url, 'GET', '/api/v1/health')).status).toBe(200);
    const own = await call(hub.url, 'GET', `/api/v1/tickets/${issued.body.id}`, {
      token: hub.tokens.kiosk,
    });
    expect(own.status).toBe(200);
  });
});
