// Whatever a client sends, the hub answers 4xx with {"error":{"code","message"}}, never 5xx, and
// writes nothing: each case compares a fingerprint of the whole database (and the admin's view of
// the queue and services) before and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectError, fingerprint } from '../support/api-kit';
import { startTestHub, type TestHub } from '../support/test-hub';

const SQL = "'; DROP TABLE tickets;--";
const SQL_IN_PATH = encodeURIComponent(SQL);

type Who = 'admin' | 'kiosk' | 'counter-1' | 'none';

interface BadCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string | (() => string);
  body?: unknown | (() => unknown);
  raw?: string;
  headers?: Record<string, string>;
  as?: Who;
  status: number;
  code?: string;
}

let hub: TestHub;
let api: Api;
/** A waiting ticket (etat-civil), a done one, and one counter-4 holds. */
const fx = { waiting: '', done: '', held: '', adminDeviceId: '' };
const resolve = <T>(v: T | (() => T)): T => (typeof v === 'function' ? (v as () => T)() : v);

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
  fx.waiting = (await api.issue('etat-civil')).id;
  const done = await api.issue('passeports');
  await api.post(api.counter('counter-2'), '/api/v1/counters/counter-2/call', {
    ticketId: done.id,
  });
  await api.step(api.counter('counter-2'), done.id, 'finish');
  fx.done = done.id;
  const held = await api.issue('visas');
  const called = await api.post(api.counter('counter-4'), '/api/v1/counters/counter-4/call', {
    ticketId: held.id,
  });
  expect(called.status).toBe(200);
  fx.held = held.id;
  fx.adminDeviceId = (await api.get<{ deviceId: string }>(api.admin, '/api/v1/me')).body.deviceId;
});

afterAll(async () => {
  await hub?.dispose();
});

async function send(c: BadCase) {
  const who = c.as ?? 'admin';
  const token =
    who === 'none'
      ? undefined
      : who === 'counter-1'
        ? api.counter('counter-1')
        : who === 'kiosk'
          ? api.kiosk
          : api.admin;
  return api.request(c.method, resolve(c.path), {
    ...(token ? { token } : {}),
    ...(c.raw !== undefined
      ? { rawBody: c.raw }
      : c.body !== undefined
        ? { body: resolve(c.body) }
        : {}),
    ...(c.headers ? { headers: c.headers } : {}),
  });
}

function runCases(cases: BadCase[]) {
  it.each(cases)('$name → $status $code', async (c) => {
    const before = await fingerprint(api);
    const answer = await send(c);
    expectError(answer, c.status, c.code);
    expect(await fingerprint(api)).toEqual(before);
  });
}

const ticket = (id: () => string, step: string) => () => `/api/v1/tickets/${id()}/${step}`;

describe('wrong types', () => {
  runCases([
    {
      name: 'serviceId as a number',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 123 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'serviceId as an array',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: ['etat-civil'] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'serviceId null',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: null },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'priority as a string',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', priority: 'yes' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'lang as a number',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', lang: 5 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'body is a JSON array',
      method: 'POST',
      path: '/api/v1/tickets',
      raw: '[{"serviceId":"etat-civil"}]',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'body is JSON null',
      method: 'POST',
      path: '/api/v1/tickets',
      raw: 'null',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'capacity as a string',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { capacity: '2' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'capacity not an integer',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { capacity: 1.5 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'capacity 0',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { capacity: 0 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'priorityCap 0',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { priorityCap: 0 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'priorityCap 1e309 (Infinity)',
      method: 'PATCH',
      path: '/api/v1/branch',
      raw: '{"priorityCap":1e309}',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'maxRecalls negative',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { maxRecalls: -1 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'priorityEnabled as a string',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { priorityEnabled: 'false' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'no language',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { languages: [] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'template without {number}',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { announcementTemplates: { fr: 'Suivant' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'blank branch name',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { name: '   ' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'profile weight 0',
      method: 'POST',
      path: '/api/v1/counters',
      body: { name: 'X', profile: [{ serviceId: 'etat-civil', weight: 0 }] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'profile weight as a string',
      method: 'POST',
      path: '/api/v1/counters',
      body: { name: 'X', profile: [{ serviceId: 'etat-civil', weight: '3' }] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service open as a string',
      method: 'PATCH',
      path: '/api/v1/services/etat-civil',
      body: { open: 'no' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service position negative',
      method: 'PATCH',
      path: '/api/v1/services/etat-civil',
      body: { position: -1 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'two-letter prefix',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'AB', name: { fr: 'x' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'lower-case prefix',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'e', name: { fr: 'x' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service name with no language',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'E', name: {} },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service name keyed by a bad language code',
      method: 'PATCH',
      path: '/api/v1/services/etat-civil',
      body: { name: { EN: 'x' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'unknown role',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'root' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'ticketId as a number',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: { ticketId: 42 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'transfer note over 500 chars',
      method: 'POST',
      path: ticket(() => fx.held, 'transfer'),
      body: { serviceId: 'passeports', note: 'x'.repeat(501) },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'id over 64 chars',
      method: 'GET',
      path: `/api/v1/tickets/${'a'.repeat(65)}`,
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'id with a non-ASCII letter',
      method: 'GET',
      path: '/api/v1/tickets/%C3%A9',
      status: 400,
      code: 'invalid_request',
    },
  ]);
});

describe('missing fields', () => {
  runCases([
    {
      name: 'issue with {}',
      method: 'POST',
      path: '/api/v1/tickets',
      body: {},
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'issue with no body at all',
      method: 'POST',
      path: '/api/v1/tickets',
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service without name',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'E' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service without prefix',
      method: 'POST',
      path: '/api/v1/services',
      body: { name: { fr: 'x' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'counter without profile',
      method: 'POST',
      path: '/api/v1/counters',
      body: { name: 'X' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'counter without name',
      method: 'POST',
      path: '/api/v1/counters',
      body: { profile: [] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'manual call without ticketId',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: {},
      as: 'counter-1',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'transfer without serviceId',
      method: 'POST',
      path: ticket(() => fx.held, 'transfer'),
      body: {},
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'device without role',
      method: 'POST',
      path: '/api/v1/devices',
      body: { name: 'TV' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'pair with {}',
      method: 'POST',
      path: '/api/v1/pair',
      body: {},
      as: 'none',
      status: 400,
      code: 'invalid_request',
    },
  ]);
});

describe('extra fields', () => {
  runCases([
    {
      name: 'issue with an unknown field',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', foo: 1 },
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'issue choosing its own source',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', source: 'appointment' },
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'issue choosing its own number',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', number: 'A001' },
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'branch id',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { id: 'other' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'branch timeZone',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { timeZone: 'UTC' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'branch occupancy',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { occupancy: 0 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service with its own id',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'E', name: { fr: 'x' }, id: 'mine' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'service waiting count',
      method: 'PATCH',
      path: '/api/v1/services/etat-civil',
      body: { waiting: 0 },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'counter status',
      method: 'PATCH',
      path: '/api/v1/counters/counter-1',
      body: { status: 'closed' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'manual call with priority',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: () => ({ ticketId: fx.waiting, priority: true }),
      as: 'counter-1',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'transfer naming a counter',
      method: 'POST',
      path: ticket(() => fx.held, 'transfer'),
      body: { serviceId: 'passeports', counterId: 'counter-2' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'device with its own token',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'admin', token: 'mine' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'pair with both code and token',
      method: 'POST',
      path: '/api/v1/pair',
      body: { code: 'ABCDEFGH', token: 'x' },
      as: 'none',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'queue with a query parameter',
      method: 'GET',
      path: '/api/v1/queue?status=waiting',
      status: 400,
      code: 'invalid_request',
    },
  ]);
});

describe('bodies too large', () => {
  runCases([
    {
      name: '5 MB ticket body',
      method: 'POST',
      path: '/api/v1/tickets',
      raw: JSON.stringify({ serviceId: 'etat-civil', pad: 'x'.repeat(5 * 1024 * 1024) }),
      as: 'kiosk',
      status: 413,
      code: 'body_too_large',
    },
    {
      name: '5 MB branch patch',
      method: 'PATCH',
      path: '/api/v1/branch',
      raw: JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024) }),
      status: 413,
      code: 'body_too_large',
    },
    {
      name: 'just over 64 KiB',
      method: 'POST',
      path: '/api/v1/devices',
      raw: JSON.stringify({ role: 'display', name: 'x'.repeat(65 * 1024) }),
      status: 413,
      code: 'body_too_large',
    },
  ]);
});

describe('unknown ids', () => {
  runCases([
    {
      name: 'read an unknown ticket',
      method: 'GET',
      path: '/api/v1/tickets/no-such-ticket',
      as: 'kiosk',
      status: 404,
      code: 'ticket_not_found',
    },
    {
      name: 'finish an unknown ticket',
      method: 'POST',
      path: '/api/v1/tickets/no-such-ticket/finish',
      status: 404,
      code: 'ticket_not_found',
    },
    {
      name: 'transfer an unknown ticket',
      method: 'POST',
      path: '/api/v1/tickets/no-such-ticket/transfer',
      body: { serviceId: 'visas' },
      status: 404,
      code: 'ticket_not_found',
    },
    {
      name: 'call an unknown ticket by hand',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: { ticketId: 'no-such-ticket' },
      as: 'counter-1',
      status: 404,
      code: 'ticket_not_found',
    },
    {
      name: 'issue for an unknown service',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'no-such-service' },
      as: 'kiosk',
      status: 404,
      code: 'service_not_found',
    },
    {
      name: 'patch an unknown service',
      method: 'PATCH',
      path: '/api/v1/services/no-such-service',
      body: { open: false },
      status: 404,
      code: 'service_not_found',
    },
    {
      name: 'transfer to an unknown service',
      method: 'POST',
      path: ticket(() => fx.held, 'transfer'),
      body: { serviceId: 'no-such-service' },
      status: 404,
      code: 'service_not_found',
    },
    {
      name: 'call-next at an unknown counter',
      method: 'POST',
      path: '/api/v1/counters/no-such-counter/call-next',
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'manual call at an unknown counter',
      method: 'POST',
      path: '/api/v1/counters/no-such-counter/call',
      body: () => ({ ticketId: fx.waiting }),
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'pause an unknown counter',
      method: 'POST',
      path: '/api/v1/counters/no-such-counter/pause',
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'resume an unknown counter',
      method: 'POST',
      path: '/api/v1/counters/no-such-counter/resume',
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'patch an unknown counter',
      method: 'PATCH',
      path: '/api/v1/counters/no-such-counter',
      body: { name: 'X' },
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'counter device for an unknown counter',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'counter', counterId: 'no-such-counter' },
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'revoke an unknown device',
      method: 'POST',
      path: '/api/v1/devices/no-such-device/revoke',
      status: 404,
      code: 'device_not_found',
    },
    {
      name: 'profile naming an unknown service',
      method: 'POST',
      path: '/api/v1/counters',
      body: { name: 'X', profile: [{ serviceId: 'no-such-service', weight: 1 }] },
      status: 422,
      code: 'invalid_profile',
    },
    {
      name: 'an unknown route',
      method: 'GET',
      path: '/api/v1/nothing-here',
      status: 404,
      code: 'route_not_found',
    },
    {
      name: 'an unknown method',
      method: 'PUT',
      path: '/api/v1/branch',
      body: { name: 'x' },
      status: 404,
      code: 'route_not_found',
    },
    {
      name: 'DELETE a ticket (no such route)',
      method: 'DELETE',
      path: () => `/api/v1/tickets/${fx.waiting}`,
      status: 404,
      code: 'route_not_found',
    },
  ]);
});

describe('SQL-looking strings as ids and names', () => {
  runCases([
    {
      name: 'read a ticket whose id is SQL',
      method: 'GET',
      path: `/api/v1/tickets/${SQL_IN_PATH}`,
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'finish a ticket whose id is SQL',
      method: 'POST',
      path: `/api/v1/tickets/${SQL_IN_PATH}/finish`,
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'call-next at a counter whose id is SQL',
      method: 'POST',
      path: `/api/v1/counters/${SQL_IN_PATH}/call-next`,
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'patch a service whose id is SQL',
      method: 'PATCH',
      path: `/api/v1/services/${SQL_IN_PATH}`,
      body: { open: false },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'revoke a device whose id is SQL',
      method: 'POST',
      path: `/api/v1/devices/${SQL_IN_PATH}/revoke`,
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'issue for a service whose id is SQL',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: SQL },
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'call a ticket whose id is SQL',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: { ticketId: SQL },
      as: 'counter-1',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'transfer to a service whose id is SQL',
      method: 'POST',
      path: ticket(() => fx.held, 'transfer'),
      body: { serviceId: SQL },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'profile naming an SQL service',
      method: 'POST',
      path: '/api/v1/counters',
      body: { name: SQL, profile: [{ serviceId: "x' OR '1'='1", weight: 1 }] },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'counter device for an SQL counter id',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'counter', counterId: SQL },
      status: 404,
      code: 'counter_not_found',
    },
    {
      name: 'pair with an SQL code',
      method: 'POST',
      path: '/api/v1/pair',
      body: { code: "' OR '1'='1" },
      as: 'none',
      status: 401,
      code: 'pairing_failed',
    },
    {
      name: 'pair with an SQL token',
      method: 'POST',
      path: '/api/v1/pair',
      body: { token: "' OR 1=1;--" },
      as: 'none',
      status: 401,
      code: 'pairing_failed',
    },
    {
      name: 'an SQL bearer token',
      method: 'GET',
      path: '/api/v1/queue',
      as: 'none',
      headers: { authorization: "Bearer '--OR--1=1" },
      status: 401,
      code: 'unauthorized',
    },
    {
      name: 'an SQL prefix',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: "'", name: { fr: SQL } },
      status: 400,
      code: 'invalid_request',
    },
  ]);

  it('SQL in a name is stored as plain text: the tables stay whole', async () => {
    const created = await api.post<{ id: string; name: Record<string, string> }>(
      api.admin,
      '/api/v1/services',
      {
        prefix: 'S',
        name: { fr: SQL },
        open: true,
      },
    );
    expect(created.status).toBe(201);
    const renamed = await api.patch<{ name: string }>(api.admin, '/api/v1/branch', { name: SQL });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(SQL);
    const services = await api.get<{ id: string; name: Record<string, string> }[]>(
      api.kiosk,
      '/api/v1/services',
    );
    expect(services.body.find((s) => s.id === created.body.id)?.name).toEqual({ fr: SQL });
    const ticket = await api.issue(created.body.id, { token: api.kiosk });
    expect(ticket.number).toBe('S001');
    // The table is still there and holds every ticket issued so far.
    expect((await api.get(api.admin, `/api/v1/tickets/${fx.waiting}`)).status).toBe(200);
    const count = hub.hub.ctx.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM tickets')
      .get();
    expect(count?.n).toBe(4);
  });
});

describe('broken JSON and wrong content types', () => {
  const issue = (raw: string, headers?: Record<string, string>): BadCase => ({
    name: `body ${JSON.stringify(raw.slice(0, 30))}${headers ? ` as ${headers['content-type']}` : ''}`,
    method: 'POST',
    path: '/api/v1/tickets',
    raw,
    as: 'kiosk',
    ...(headers ? { headers } : {}),
    status: 400,
    code: 'invalid_json',
  });
  runCases([
    issue('{bad'),
    issue('{"serviceId": "etat-civil"'),
    issue('{"serviceId":"etat-civil",}'),
    issue("{'serviceId':'etat-civil'}"),
    issue('{"serviceId":"etat-civil"}garbage'),
    issue(''),
    issue('{"__proto__":{"admin":true},"serviceId":"etat-civil"}'),
    issue('{"constructor":{"prototype":{"admin":true}},"serviceId":"etat-civil"}'),
    {
      ...issue('['.repeat(30_000) + ']'.repeat(30_000)),
      name: 'deeply nested arrays',
      code: 'invalid_request',
    },
    {
      ...issue('{"serviceId":"etat-civil"}', { 'content-type': 'text/plain' }),
      code: 'invalid_request',
    },
    {
      ...issue('serviceId=etat-civil', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      ...issue('<serviceId>etat-civil</serviceId>', { 'content-type': 'application/xml' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      ...issue('--b\r\n\r\nx\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' }),
      status: 415,
      code: 'unsupported_media_type',
    },
  ]);
});

describe('illegal transitions and refused commands', () => {
  runCases([
    {
      name: 'finish a waiting ticket',
      method: 'POST',
      path: ticket(() => fx.waiting, 'finish'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'start a waiting ticket',
      method: 'POST',
      path: ticket(() => fx.waiting, 'start'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'recall a waiting ticket',
      method: 'POST',
      path: ticket(() => fx.waiting, 'recall'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'no-show a waiting ticket',
      method: 'POST',
      path: ticket(() => fx.waiting, 'no-show'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'transfer a ticket to its own service',
      method: 'POST',
      path: ticket(() => fx.waiting, 'transfer'),
      body: { serviceId: 'etat-civil' },
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'call a finished ticket',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: () => ({ ticketId: fx.done }),
      as: 'counter-1',
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'call a ticket another counter holds',
      method: 'POST',
      path: '/api/v1/counters/counter-1/call',
      body: () => ({ ticketId: fx.held }),
      as: 'counter-1',
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'finish a finished ticket',
      method: 'POST',
      path: ticket(() => fx.done, 'finish'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'cancel a finished ticket',
      method: 'POST',
      path: ticket(() => fx.done, 'cancel'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'recall a finished ticket',
      method: 'POST',
      path: ticket(() => fx.done, 'recall'),
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'transfer a finished ticket',
      method: 'POST',
      path: ticket(() => fx.done, 'transfer'),
      body: { serviceId: 'visas' },
      status: 409,
      code: 'illegal_transition',
    },
    {
      name: 'call-next at a busy counter',
      method: 'POST',
      path: '/api/v1/counters/counter-4/call-next',
      status: 409,
      code: 'counter_busy',
    },
    {
      name: 'a language the branch does not offer',
      method: 'POST',
      path: '/api/v1/tickets',
      body: { serviceId: 'etat-civil', lang: 'de' },
      as: 'kiosk',
      status: 422,
      code: 'unsupported_language',
    },
    {
      name: 'default language outside the languages',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { defaultLang: 'de' },
      status: 422,
      code: 'invalid_settings',
    },
    {
      name: 'languages dropping the default one',
      method: 'PATCH',
      path: '/api/v1/branch',
      body: { languages: ['en', 'ar'] },
      status: 422,
      code: 'invalid_settings',
    },
    {
      name: 'a new service with a taken prefix',
      method: 'POST',
      path: '/api/v1/services',
      body: { prefix: 'A', name: { fr: 'x' } },
      status: 409,
      code: 'prefix_taken',
    },
    {
      name: 'a service renamed to a taken prefix',
      method: 'PATCH',
      path: '/api/v1/services/etat-civil',
      body: { prefix: 'B' },
      status: 409,
      code: 'prefix_taken',
    },
    {
      name: 'a profile naming a service twice',
      method: 'PATCH',
      path: '/api/v1/counters/counter-1',
      body: {
        profile: [
          { serviceId: 'visas', weight: 1 },
          { serviceId: 'visas', weight: 2 },
        ],
      },
      status: 422,
      code: 'invalid_profile',
    },
    {
      name: 'a kiosk device with a counter',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'kiosk', counterId: 'counter-1' },
      status: 422,
      code: 'invalid_device',
    },
    {
      name: 'a counter device without a counter',
      method: 'POST',
      path: '/api/v1/devices',
      body: { role: 'counter' },
      status: 422,
      code: 'invalid_device',
    },
    {
      name: 'the admin revoking itself',
      method: 'POST',
      path: () => `/api/v1/devices/${fx.adminDeviceId}/revoke`,
      status: 409,
      code: 'cannot_revoke_self',
    },
  ]);
});

describe('bad Idempotency-Key', () => {
  const withKey = (name: string, key: string): BadCase => ({
    name: `Idempotency-Key ${name}`,
    method: 'POST',
    path: '/api/v1/tickets',
    body: { serviceId: 'etat-civil' },
    as: 'kiosk',
    headers: { 'idempotency-key': key },
    status: 400,
    code: 'invalid_idempotency_key',
  });
  runCases([
    withKey('empty', ''),
    withKey('of 129 characters', 'k'.repeat(129)),
    withKey('with a space', 'my key'),
    withKey('with a tab', 'my\tkey'),
    withKey('with a Latin-1 letter', 'cl\u00e9'),
    {
      ...withKey('on call-next', 'a b'),
      path: '/api/v1/counters/counter-1/call-next',
      body: undefined,
      as: 'counter-1',
    },
  ]);
});

describe('malformed URLs', () => {
  runCases([
    {
      name: 'a bad percent-encoding in an id',
      method: 'GET',
      path: '/api/v1/tickets/%FF',
      as: 'kiosk',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'a truncated percent-encoding',
      method: 'POST',
      path: '/api/v1/tickets/%E0%A4/finish',
      status: 400,
      code: 'invalid_request',
    },
  ]);
});
