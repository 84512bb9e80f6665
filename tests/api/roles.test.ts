// Who may call what: every route of docs/api.md against every kind of caller, on a real hub.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDto } from '../../core/api/schemas';
import { Api, expectError, fingerprint } from '../support/api-kit';
import { StreamClient, streamUrl } from '../support/stream-client';
import { startTestHub, type TestHub } from '../support/test-hub';

type Caller = 'none' | 'unknown' | 'revoked' | 'kiosk' | 'display' | 'counter-1' | 'admin';
const CALLERS: readonly Caller[] = [
  'none',
  'unknown',
  'revoked',
  'kiosk',
  'display',
  'counter-1',
  'admin',
];
const ROLE_CALLERS = ['kiosk', 'display', 'counter-1', 'admin'] as const;

/** Who the docs let in: none = public; any/read = every device; the rest as named. */
type Access = 'public' | 'any' | 'read' | 'admin' | 'kiosk+admin' | 'own-counter' | 'holder';

const ALLOWED: Record<Access, readonly Caller[]> = {
  public: CALLERS,
  any: ROLE_CALLERS,
  read: ROLE_CALLERS,
  admin: ['admin'],
  'kiosk+admin': ['kiosk', 'admin'],
  'own-counter': ['counter-1', 'admin'],
  holder: ['counter-1', 'admin'],
};

interface Target {
  path: string;
  body?: unknown;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH';
  route: string;
  access: Access;
  /** Builds a fresh target for one cell, so a cell never depends on what an earlier one did. */
  target: () => Promise<Target>;
}

let hub: TestHub;
let api: Api;
let tokenOf: Record<Caller, string | undefined>;
let readableTicketId: string;
let prefixes: string[];

/** A ticket that counter-1 holds right now (called by hand by the admin for counter-1). */
async function ticketHeldByCounter1(): Promise<string> {
  await api.freeCounter('counter-1');
  const ticket = await api.issue('etat-civil');
  const called = await api.post<{ ticket: TicketDto }>(
    api.admin,
    '/api/v1/counters/counter-1/call',
    {
      ticketId: ticket.id,
    },
  );
  expect(called.status).toBe(200);
  return ticket.id;
}

async function freshDevice(): Promise<string> {
  const created = await api.post<{ device: { id: string } }>(api.admin, '/api/v1/devices', {
    role: 'display',
  });
  expect(created.status).toBe(201);
  return created.body.device.id;
}

const fixed = (path: string, body?: unknown) => () =>
  Promise.resolve(body === undefined ? { path } : { path, body });

const ROUTES: RouteCase[] = [
  { method: 'GET', route: '/api/v1/health', access: 'public', target: fixed('/api/v1/health') },
  {
    method: 'POST',
    route: '/api/v1/pair',
    access: 'public',
    target: () => Promise.resolve({ path: '/api/v1/pair', body: { token: api.display } }),
  },
  { method: 'POST', route: '/api/v1/unpair', access: 'any', target: fixed('/api/v1/unpair') },
  { method: 'GET', route: '/api/v1/me', access: 'any', target: fixed('/api/v1/me') },
  { method: 'GET', route: '/api/v1/branch', access: 'read', target: fixed('/api/v1/branch') },
  {
    method: 'PATCH',
    route: '/api/v1/branch',
    access: 'admin',
    target: fixed('/api/v1/branch', { name: 'Mairie de Démo' }),
  },
  { method: 'GET', route: '/api/v1/services', access: 'read', target: fixed('/api/v1/services') },
  {
    method: 'POST',
    route: '/api/v1/services',
    access: 'admin',
    target: () => {
      const prefix = prefixes.shift() ?? 'Z';
      return Promise.resolve({
        path: '/api/v1/services',
        body: { prefix, name: { fr: `Service ${prefix}` } },
      });
    },
  },
  {
    method: 'PATCH',
    route: '/api/v1/services/:id',
    access: 'admin',
    target: fixed('/api/v1/services/visas', { position: 3 }),
  },
  { method: 'GET', route: '/api/v1/counters', access: 'read', target: fixed('/api/v1/counters') },
  {
    method: 'POST',
    route: '/api/v1/counters',
    access: 'admin',
    target: fixed('/api/v1/counters', {
      name: 'Extra',
      profile: [{ serviceId: 'visas', weight: 1 }],
    }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/counters/:id',
    access: 'admin',
    target: fixed('/api/v1/counters/counter-3', { name: '3' }),
  },
  {
    method: 'POST',
    route: '/api/v1/counters/:id/pause',
    access: 'own-counter',
    target: async () => {
      await api.freeCounter('counter-1');
      return { path: '/api/v1/counters/counter-1/pause' };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/counters/:id/resume',
    access: 'own-counter',
    target: fixed('/api/v1/counters/counter-1/resume'),
  },
  {
    method: 'POST',
    route: '/api/v1/counters/:id/call-next',
    access: 'own-counter',
    target: async () => {
      await api.freeCounter('counter-1');
      await api.issue('etat-civil');
      return { path: '/api/v1/counters/counter-1/call-next' };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/counters/:id/call',
    access: 'own-counter',
    target: async () => {
      await api.freeCounter('counter-1');
      const ticket = await api.issue('etat-civil');
      return { path: '/api/v1/counters/counter-1/call', body: { ticketId: ticket.id } };
    },
  },
  {
    method: 'POST',
    route: '/api/v1/tickets',
    access: 'kiosk+admin',
    target: fixed('/api/v1/tickets', { serviceId: 'visas' }),
  },
  {
    method: 'GET',
    route: '/api/v1/tickets/:id',
    access: 'read',
    target: () => Promise.resolve({ path: `/api/v1/tickets/${readableTicketId}` }),
  },
  ...['recall', 'start', 'finish', 'no-show', 'cancel'].map((step): RouteCase => ({
    method: 'POST',
    route: `/api/v1/tickets/:id/${step}`,
    access: 'holder',
    target: async () => ({ path: `/api/v1/tickets/${await ticketHeldByCounter1()}/${step}` }),
  })),
  {
    method: 'POST',
    route: '/api/v1/tickets/:id/transfer',
    access: 'holder',
    target: async () => ({
      path: `/api/v1/tickets/${await ticketHeldByCounter1()}/transfer`,
      body: { serviceId: 'passeports', note: 'roles matrix' },
    }),
  },
  { method: 'GET', route: '/api/v1/queue', access: 'read', target: fixed('/api/v1/queue') },
  { method: 'GET', route: '/api/v1/devices', access: 'admin', target: fixed('/api/v1/devices') },
  {
    method: 'POST',
    route: '/api/v1/devices',
    access: 'admin',
    target: fixed('/api/v1/devices', { role: 'display', name: 'Hall TV' }),
  },
  {
    method: 'POST',
    route: '/api/v1/devices/:id/revoke',
    access: 'admin',
    target: async () => ({ path: `/api/v1/devices/${await freshDevice()}/revoke` }),
  },
  {
    method: 'GET',
    route: '/api/v1/stats/today',
    access: 'admin',
    target: fixed('/api/v1/stats/today'),
  },
];

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
  // Plenty of room: the matrix issues many tickets and must never meet branch_full.
  expect((await api.patch(api.admin, '/api/v1/branch', { capacity: null })).status).toBe(200);
  const revoked = await api.post<{ device: { id: string }; token: string }>(
    api.admin,
    '/api/v1/devices',
    {
      role: 'kiosk',
      name: 'Stolen kiosk',
    },
  );
  expect(revoked.status).toBe(201);
  expect(
    (await api.post(api.admin, `/api/v1/devices/${revoked.body.device.id}/revoke`)).status,
  ).toBe(200);
  tokenOf = {
    none: undefined,
    unknown: `gch_${randomBytes(32).toString('base64url')}`,
    revoked: revoked.body.token,
    kiosk: api.kiosk,
    display: api.display,
    'counter-1': api.counter('counter-1'),
    admin: api.admin,
  };
  readableTicketId = (await api.issue('passeports')).id;
  prefixes = ['E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'];
});

afterAll(async () => {
  await hub?.dispose();
});

describe('every route × every caller', () => {
  const cells = ROUTES.flatMap((route) => CALLERS.map((caller) => ({ ...route, caller })));

  it('covers every route in docs/api.md', () => {
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.route}`)).size).toBe(ROUTES.length);
    expect(ROUTES.length).toBe(29);
  });

  it.each(cells)('$method $route as $caller', async ({ method, target, access, caller }) => {
    const { path, body } = await target();
    const token = tokenOf[caller];
    const answer = await api.request(method, path, {
      ...(token ? { token } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    if (ALLOWED[access].includes(caller)) {
      expect(
        [401, 403],
        `${caller} should be let in: ${JSON.stringify(answer.body)}`,
      ).not.toContain(answer.status);
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
    } else if (token === undefined || caller === 'unknown' || caller === 'revoked') {
      expectError(answer, 401, 'unauthorized');
    } else {
      expectError(answer, 403, 'forbidden');
    }
  });
});

describe('the WebSocket stream × every caller', () => {
  const allowed: readonly Caller[] = ['kiosk', 'display', 'counter-1', 'admin'];
  it.each(CALLERS)('GET /api/v1/stream as %s', async (caller) => {
    const token = tokenOf[caller];
    const attempt = await StreamClient.attempt(
      streamUrl(hub),
      token ? { authorization: `Bearer ${token}` } : {},
    );
    if (allowed.includes(caller)) {
      expect(attempt.status).toBe(101);
    } else {
      expect(attempt.status).toBe(401);
      expectError(
        { status: 401, body: JSON.parse(attempt.body), headers: new Headers() },
        401,
        'unauthorized',
      );
    }
  });
});

describe('a counter acts only for its own counter and the tickets it holds', () => {
  it('counter-1 may not call next, call, pause or resume for counter-2 (403, nothing written)', async () => {
    await api.freeCounter('counter-2');
    const waiting = await api.issue('passeports');
    const before = await fingerprint(api);
    const token = api.counter('counter-1');
    expectError(await api.post(token, '/api/v1/counters/counter-2/call-next'), 403, 'forbidden');
    expectError(
      await api.post(token, '/api/v1/counters/counter-2/call', { ticketId: waiting.id }),
      403,
      'forbidden',
    );
    expectError(await api.post(token, '/api/v1/counters/counter-2/pause'), 403, 'forbidden');
    expectError(await api.post(token, '/api/v1/counters/counter-2/resume'), 403, 'forbidden');
    expect(await fingerprint(api)).toEqual(before);
    // …while counter-2's own device may.
    const own = await api.post<{ ticket: TicketDto }>(
      api.counter('counter-2'),
      '/api/v1/counters/counter-2/call',
      { ticketId: waiting.id },
    );
    expect(own.status).toBe(200);
    expect(own.body.ticket.counterId).toBe('counter-2');
  });

  it('counter-1 may not touch a ticket counter-2 holds, nor a waiting one (403, nothing written)', async () => {
    await api.freeCounter('counter-2');
    const ticket = await api.issue('passeports');
    expect(
      (
        await api.post(api.counter('counter-2'), '/api/v1/counters/counter-2/call', {
          ticketId: ticket.id,
        })
      ).status,
    ).toBe(200);
    const waiting = await api.issue('etat-civil');
    const before = await fingerprint(api);
    const token = api.counter('counter-1');
    for (const id of [ticket.id, waiting.id]) {
      for (const step of ['recall', 'start', 'finish', 'no-show', 'cancel']) {
        expectError(await api.post(token, `/api/v1/tickets/${id}/${step}`), 403, 'forbidden');
      }
      expectError(
        await api.post(token, `/api/v1/tickets/${id}/transfer`, { serviceId: 'visas' }),
        403,
        'forbidden',
      );
    }
    expect(await fingerprint(api)).toEqual(before);
    // The holder may.
    const finished = await api.step(api.counter('counter-2'), ticket.id, 'finish');
    expect(finished.status).toBe('done');
  });

  it('once counter-1 transferred its ticket away, it no longer holds it (403, nothing written)', async () => {
    const id = await ticketHeldByCounter1();
    const token = api.counter('counter-1');
    const moved = await api.step(token, id, 'transfer', { serviceId: 'visas' });
    expect(moved.counterId).toBeNull();
    const before = await fingerprint(api);
    expectError(await api.post(token, `/api/v1/tickets/${id}/cancel`), 403, 'forbidden');
    expectError(
      await api.post(token, `/api/v1/tickets/${id}/transfer`, { serviceId: 'etat-civil' }),
      403,
      'forbidden',
    );
    expect(await fingerprint(api)).toEqual(before);
  });
});

describe('where a token may come from', () => {
  it('?token= authenticates the stream only: REST routes ignore it (401)', async () => {
    expectError(await api.get(undefined, `/api/v1/queue?token=${api.admin}`), 401, 'unauthorized');
    expectError(await api.get(undefined, `/api/v1/me?token=${api.admin}`), 401, 'unauthorized');
  });

  it('a malformed Authorization header is a 401, not a fall-back to the cookie', async () => {
    expectError(
      await api.request('GET', '/api/v1/me', {
        headers: { authorization: `Basic ${api.admin}`, cookie: `guichet_token=${api.admin}` },
      }),
      401,
      'unauthorized',
    );
  });

  it('a revoked token cannot be exchanged for a pairing cookie', async () => {
    expectError(
      await api.post(undefined, '/api/v1/pair', { token: tokenOf.revoked }),
      401,
      'pairing_failed',
    );
  });

  it('revoking a device ends its access on the next request', async () => {
    const created = await api.post<{ device: { id: string }; token: string }>(
      api.admin,
      '/api/v1/devices',
      {
        role: 'counter',
        counterId: 'counter-3',
      },
    );
    expect(created.status).toBe(201);
    expect((await api.get(created.body.token, '/api/v1/me')).status).toBe(200);
    expect(
      (await api.post(api.admin, `/api/v1/devices/${created.body.device.id}/revoke`)).status,
    ).toBe(200);
    expectError(await api.get(created.body.token, '/api/v1/me'), 401, 'unauthorized');
    expectError(
      await api.post(created.body.token, '/api/v1/counters/counter-3/call-next'),
      401,
      'unauthorized',
    );
  });
});
