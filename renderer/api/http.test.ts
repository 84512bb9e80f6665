import { describe, expect, it } from 'vitest';
import { MeDto } from '../../core/api/schemas';
import { createHubClient } from './client';
import { ApiError } from './errors';
import { createHttp } from './http';

const me = { deviceId: 'd1', name: 'Kiosk', role: 'kiosk', counterId: null };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('http client', () => {
  it('parses answers with the shared schemas', async () => {
    const http = createHttp({ fetch: async () => json(200, me) });
    await expect(http.send({ method: 'GET', path: '/api/v1/me', schema: MeDto })).resolves.toEqual(
      me,
    );
  });

  it('maps the error envelope to a typed ApiError and reports 401', async () => {
    let unauthorized = 0;
    const http = createHttp({
      fetch: async () => json(401, { error: { code: 'unauthorized', message: 'no token' } }),
      onUnauthorized: () => unauthorized++,
    });
    const error = await http.send({ method: 'GET', path: '/x', schema: MeDto }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'no token' });
    expect(unauthorized).toBe(1);
  });

  it('rejects answers that break the contract', async () => {
    const http = createHttp({ fetch: async () => json(200, { role: 'wizard' }) });
    await expect(http.send({ method: 'GET', path: '/x', schema: MeDto })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('retries a lost POST with the same Idempotency-Key, never a 409', async () => {
    const keys: (string | null)[] = [];
    let calls = 0;
    const hub = createHubClient({
      wait: async () => undefined,
      fetch: async (_url, init) => {
        keys.push(new Headers(init?.headers).get('Idempotency-Key'));
        calls++;
        if (calls === 1) throw new TypeError('Failed to fetch');
        if (calls === 2) return json(503, { error: { code: 'unavailable', message: 'busy' } });
        return json(409, { error: { code: 'service_closed', message: 'closed' } });
      },
    });
    await expect(hub.issueTicket({ serviceId: 'svc-a' }, 'key-1')).rejects.toMatchObject({
      status: 409,
      code: 'service_closed',
    });
    expect(keys).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('refuses a POST without an Idempotency-Key', async () => {
    const http = createHttp({ fetch: async () => json(200, me) });
    await expect(
      http.send({ method: 'POST', path: '/api/v1/tickets', schema: MeDto }),
    ).rejects.toThrow(/Idempotency-Key/);
  });

  it('answers null for call-next when nobody waits (204)', async () => {
    const hub = createHubClient({ fetch: async () => new Response(null, { status: 204 }) });
    await expect(hub.callNext('c1', 'k')).resolves.toBeNull();
  });
});
