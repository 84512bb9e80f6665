// Appointments and codes over the API (check-in, lookups, refusals), and who may call each new
// hardware route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlreadyCheckedInBody,
  AppointmentDto,
  CreatedAppointmentDto,
  IssuedTicketDto,
  TicketWithPositionDto,
} from '../../core/api/schemas';
import { Api, expectError } from '../support/api-kit';
import type { TestHub } from '../support/test-hub';
import { kioskDeviceId, kioskIssue, startHardwareHub } from './support';

let hub: TestHub;
let api: Api;

beforeAll(async () => {
  hub = await startHardwareHub();
  api = new Api(hub);
});

afterAll(async () => {
  await hub?.dispose();
});

async function book(at = new Date().toISOString()): Promise<CreatedAppointmentDto> {
  const created = await api.post<CreatedAppointmentDto>(api.admin, '/api/v1/appointments', {
    serviceId: 'titres-sejour',
    at,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

const checkIn = (code: string, token = api.kiosk) =>
  api.post<IssuedTicketDto>(token, '/api/v1/appointments/check-in', { code });

describe('appointments', () => {
  it('creating one returns its signed code, a QR text and an SVG, and never the secret', async () => {
    const created = await book();
    expect(created.code).toMatch(/^GA1-[0-9A-Z]{10}-[0-9A-Z]{10}$/);
    expect(created.qrText).toBe(created.code);
    expect(created.qrSvg).toMatch(/^<svg [^>]*>.*<\/svg>$/);
    const secret = hub.hub.ctx.db
      .prepare("SELECT value FROM meta WHERE key = 'code_secret'")
      .pluck()
      .get() as string;
    expect(JSON.stringify(created)).not.toContain(secret);
    const day = await api.get<AppointmentDto[]>(api.admin, '/api/v1/appointments');
    expect(day.body.map((a) => a.id)).toContain(created.appointment.id);
  });

  it('check-in issues a ticket in its service, source appointment; a second one is 409 with it', async () => {
    const { code } = await book();
    const first = await checkIn(code.toLowerCase()); // typed codes are upper-cased
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ serviceId: 'titres-sejour', source: 'appointment' });
    expect(first.body.print).toBeNull();

    const second = await api.post<AlreadyCheckedInBody>(
      api.admin,
      '/api/v1/appointments/check-in',
      {
        code,
      },
    );
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_checked_in');
    expect(second.body.ticket.id).toBe(first.body.id);
  });

  it('refuses forged, mistyped and wrong-kind codes with 422 invalid_code and a clear message', async () => {
    const { code } = await book();
    const forged = code.slice(0, -2) + (code.endsWith('00') ? '11' : '00');
    const answer = await checkIn(forged);
    expectError(answer, 422, 'invalid_code');
    expect((answer.body as unknown as { error: { message: string } }).error.message).toMatch(
      /mistyped or forged/,
    );
    expectError(await checkIn(code.slice(0, 10)), 422, 'invalid_code');
    expectError(await checkIn('GA1-ÉÉ'), 400, 'invalid_request');
    expectError(await checkIn('A'.repeat(65)), 400, 'invalid_request');
    const ticket = await kioskIssue(api);
    expectError(await checkIn(ticket.code!), 422, 'invalid_code');
  });

  it('an appointment of another day cannot be checked in today; an unknown one is 404', async () => {
    const tomorrow = await book(new Date(Date.now() + 2 * 86_400_000).toISOString());
    expectError(await checkIn(tomorrow.code), 409, 'appointment_not_today');
    hub.hub.ctx.db.prepare('DELETE FROM appointments WHERE id = ?').run(tomorrow.appointment.id);
    expectError(await checkIn(tomorrow.code), 404, 'appointment_not_found');
  });

  it('a ticket is found by its signed code; bad codes are refused', async () => {
    const ticket = await kioskIssue(api);
    const found = await api.get<TicketWithPositionDto>(
      api.display,
      `/api/v1/tickets/by-code/${ticket.code!}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(ticket.id);
    const bad = ticket.code!.slice(0, -1) + (ticket.code!.endsWith('0') ? '1' : '0');
    expectError(await api.get(api.display, `/api/v1/tickets/by-code/${bad}`), 422, 'invalid_code');
    expectError(await api.get(api.display, '/api/v1/tickets/by-code/%00%01'), 400);
  });
});

describe('roles of the hardware routes', () => {
  type Who = 'none' | 'kiosk' | 'display' | 'counter' | 'admin';
  const cases: {
    method: string;
    path: () => Promise<string>;
    body?: () => Promise<unknown>;
    allowed: Who[];
  }[] = [
    { method: 'GET', path: async () => '/api/v1/printers', allowed: ['admin'] },
    {
      method: 'GET',
      path: async () => '/api/v1/me/printer',
      allowed: ['kiosk', 'display', 'counter', 'admin'],
    },
    {
      method: 'PUT',
      path: async () => `/api/v1/devices/${await kioskDeviceId(api)}/printer`,
      body: async () => ({ printer: null }),
      allowed: ['admin'],
    },
    {
      method: 'POST',
      path: async () => `/api/v1/tickets/${(await kioskIssue(api)).id}/reprint`,
      allowed: ['counter', 'admin'], // counter: 403 unless it holds the ticket (tested elsewhere)
    },
    { method: 'POST', path: async () => '/api/v1/printers/test', allowed: ['admin'] },
    {
      method: 'POST',
      path: async () => '/api/v1/appointments',
      body: async () => ({ serviceId: 'visas', at: new Date().toISOString() }),
      allowed: ['admin'],
    },
    { method: 'GET', path: async () => '/api/v1/appointments', allowed: ['admin'] },
    {
      method: 'POST',
      path: async () => '/api/v1/appointments/check-in',
      body: async () => ({ code: (await book()).code }),
      allowed: ['kiosk', 'admin'],
    },
    {
      method: 'GET',
      path: async () => `/api/v1/tickets/by-code/${(await kioskIssue(api)).code!}`,
      allowed: ['kiosk', 'display', 'counter', 'admin'],
    },
    { method: 'GET', path: async () => '/api/v1/scanner', allowed: ['admin'] },
    {
      method: 'PUT',
      path: async () => '/api/v1/scanner',
      body: async () => ({ url: null, kioskDeviceId: null }),
      allowed: ['admin'],
    },
  ];
  const tokenOf = (who: Who): string | undefined =>
    who === 'none'
      ? undefined
      : who === 'counter'
        ? api.counter('counter-1')
        : { kiosk: api.kiosk, display: api.display, admin: api.admin }[who];

  it.each(cases)('$method $allowed', async ({ method, path, body, allowed }) => {
    for (const who of ['none', 'kiosk', 'display', 'counter', 'admin'] as const) {
      const token = tokenOf(who);
      const answer = await api.request(method, await path(), {
        ...(token ? { token } : {}),
        ...(body ? { body: await body() } : {}),
      });
      if (who === 'none') expectError(answer, 401, 'unauthorized');
      else if (!allowed.includes(who)) expectError(answer, 403, 'forbidden');
      else if (!(who === 'counter' && method === 'POST'))
        expect([401, 403], `${who}: ${JSON.stringify(answer.body)}`).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    }
  });
});
