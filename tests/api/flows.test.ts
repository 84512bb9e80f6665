// The domain through the API: transfers, the priority cap, paused and busy counters, closed
// services, capacity, pairing, and the OpenAPI document.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BranchDto,
  CallNextResponse,
  MeDto,
  TicketWithPositionDto,
  type TicketDto,
} from '../../core/api/schemas';
import { Api, expectError } from '../support/api-kit';
import { startTestHub, type TestHub } from '../support/test-hub';

let hub: TestHub;
let api: Api;

/** The hub stamps arrivals in milliseconds: waiting for the next one makes arrival order certain. */
async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  const deadline = start + 1_000;
  while (Date.now() === start) {
    if (Date.now() > deadline) throw new Error('the clock did not move');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function issueInOrder(
  serviceId: string,
  n: number,
  priority = false,
): Promise<TicketWithPositionDto[]> {
  const tickets: TicketWithPositionDto[] = [];
  for (let i = 0; i < n; i++) {
    await nextMillisecond();
    tickets.push(await api.issue(serviceId, { priority }));
  }
  return tickets;
}

/** counter-1 calls a lone normal ticket: whatever came before, its priority streak is 0 again. */
async function resetPriorityStreak(): Promise<void> {
  await api.drain();
  const [lone] = await issueInOrder('etat-civil', 1);
  expect((await api.callNext('counter-1'))?.id).toBe(lone!.id);
  await api.step(api.counter('counter-1'), lone!.id, 'finish');
}

async function settings(patch: Record<string, unknown>): Promise<void> {
  const answer = await api.patch(api.admin, '/api/v1/branch', patch);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

beforeAll(async () => {
  hub = await startTestHub();
  api = new Api(hub);
});

afterAll(async () => {
  await hub?.dispose();
});

beforeEach(async () => {
  await api.drain();
  for (const c of ['counter-1', 'counter-2', 'counter-3', 'counter-4']) await api.freeCounter(c);
});

describe('calling', () => {
  it('call-next answers {ticket} called with a callReason, and 204 when no one waits', async () => {
    const [t] = await issueInOrder('etat-civil', 1);
    const answer = await api.post(api.counter('counter-1'), '/api/v1/counters/counter-1/call-next');
    expect(answer.status).toBe(200);
    const { ticket } = CallNextResponse.parse(answer.body);
    expect(ticket.id).toBe(t!.id);
    expect(ticket.status).toBe('called');
    expect(ticket.counterId).toBe('counter-1');
    expect(ticket.callReason).toMatchObject({
      rule: 'weighted',
      serviceId: 'etat-civil',
      weight: 3,
    });
    await api.step(api.counter('counter-1'), ticket.id, 'finish');
    const empty = await api.post(api.counter('counter-1'), '/api/v1/counters/counter-1/call-next');
    expect(empty.status).toBe(204);
    expect(empty.body).toBeUndefined();
  });

  it('a manual call takes any waiting ticket, out of turn, with rule manual', async () => {
    const [first, second] = await issueInOrder('visas', 2);
    const answer = await api.post(api.counter('counter-1'), '/api/v1/counters/counter-1/call', {
      ticketId: second!.id,
    });
    expect(answer.status).toBe(200);
    const { ticket } = CallNextResponse.parse(answer.body);
    expect(ticket.id).toBe(second!.id);
    expect(ticket.callReason?.rule).toBe('manual');
    // visas is outside counter-1's profile: no weight to report.
    expect(ticket.callReason?.weight).toBeUndefined();
    expect((await api.ticket(first!.id)).ahead).toBe(0);
  });
});

describe('transfer', () => {
  it('keeps the number and the place: ahead of later arrivals in the target service, behind earlier ones', async () => {
    const [earlier] = await issueInOrder('passeports', 1);
    const [moved] = await issueInOrder('etat-civil', 1);
    const later = await issueInOrder('passeports', 2);
    const c1 = api.counter('counter-1');
    expect(
      (await api.post(c1, '/api/v1/counters/counter-1/call', { ticketId: moved!.id })).status,
    ).toBe(200);
    const transferred = await api.step(c1, moved!.id, 'transfer', { serviceId: 'passeports' });
    expect(transferred).toMatchObject({
      id: moved!.id,
      number: moved!.number,
      serviceId: 'passeports',
      issuedServiceId: 'etat-civil',
      status: 'waiting',
      counterId: null,
      callReason: null,
      transfers: 1,
      queuedAt: moved!.queuedAt,
    });
    expect(transferred.number).toMatch(/^A\d{3}$/);
    const position = TicketWithPositionDto.parse(
      (await api.get(api.kiosk, `/api/v1/tickets/${moved!.id}`)).body,
    );
    expect(position.ahead).toBe(1);
    for (const t of later) expect((await api.ticket(t.id)).ahead).toBeGreaterThan(position.ahead);
    const queue = await api.get<{ waiting: TicketDto[] }>(api.display, '/api/v1/queue');
    const passeports = queue.body.waiting
      .filter((t) => t.serviceId === 'passeports')
      .map((t) => t.id);
    expect(passeports).toEqual([earlier!.id, moved!.id, ...later.map((t) => t.id)]);
    // counter-2 (passeports) calls them in that order.
    const calls: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await api.callNext('counter-2');
      expect(t).not.toBeNull();
      calls.push(t!.number);
      await api.step(api.counter('counter-2'), t!.id, 'finish');
    }
    expect(calls).toEqual([earlier!.number, moved!.number, ...later.map((t) => t.number)]);
  });

  it('the counter that transferred a ticket is free to call the next one', async () => {
    const [a, b] = await issueInOrder('etat-civil', 2);
    expect((await api.callNext('counter-1'))?.id).toBe(a!.id);
    await api.step(api.counter('counter-1'), a!.id, 'transfer', { serviceId: 'visas' });
    expect((await api.callNext('counter-1'))?.id).toBe(b!.id);
  });
});

describe('priority', () => {
  it('with priorityCap 2, three priority tickets and normal ones waiting are called P, P, N, P', async () => {
    const branch = BranchDto.parse((await api.get(api.admin, '/api/v1/branch')).body);
    expect(branch.priorityCap).toBe(2);
    await resetPriorityStreak();
    const normals = await issueInOrder('etat-civil', 2);
    const priorities = await issueInOrder('etat-civil', 3, true);
    for (const p of priorities) expect(p.priority).toBe(true);
    const calls: TicketDto[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await api.callNext('counter-1');
      expect(t).not.toBeNull();
      calls.push(t!);
      await api.step(api.counter('counter-1'), t!.id, 'finish');
    }
    expect(calls.map((t) => (t.priority ? 'P' : 'N'))).toEqual(['P', 'P', 'N', 'P', 'N']);
    expect(calls.map((t) => t.id)).toEqual([
      priorities[0]!.id,
      priorities[1]!.id,
      normals[0]!.id,
      priorities[2]!.id,
      normals[1]!.id,
    ]);
    expect(calls.map((t) => t.callReason?.rule)).toEqual([
      'priority',
      'priority',
      'priority_cap',
      'priority',
      'weighted',
    ]);
  });

  // core/call-next.ts (nextPriorityStreak): "Manual calls follow the same rule, so a counter that
  // hand-picks priority tickets still has to serve a normal one once the cap is reached."
  it('priority tickets called by hand count towards the cap: the next call-next is the normal one', async () => {
    await resetPriorityStreak();
    const [normal] = await issueInOrder('etat-civil', 1);
    const priorities = await issueInOrder('etat-civil', 3, true);
    const c1 = api.counter('counter-1');
    for (const p of priorities.slice(0, 2)) {
      expect(
        (await api.post(c1, '/api/v1/counters/counter-1/call', { ticketId: p.id })).status,
      ).toBe(200);
      await api.step(c1, p.id, 'finish');
    }
    const next = await api.callNext('counter-1');
    expect(next?.id).toBe(normal!.id);
    expect(next?.callReason?.rule).toBe('priority_cap');
  });

  it('a normal ticket called by hand resets the priority streak', async () => {
    await resetPriorityStreak();
    const normals = await issueInOrder('etat-civil', 2);
    const priorities = await issueInOrder('etat-civil', 3, true);
    const c1 = api.counter('counter-1');
    for (const p of priorities.slice(0, 2)) {
      expect((await api.callNext('counter-1'))?.id).toBe(p.id);
      await api.step(c1, p.id, 'finish');
    }
    expect(
      (await api.post(c1, '/api/v1/counters/counter-1/call', { ticketId: normals[0]!.id })).status,
    ).toBe(200);
    await api.step(c1, normals[0]!.id, 'finish');
    const next = await api.callNext('counter-1');
    expect(next?.id).toBe(priorities[2]!.id);
    expect(next?.callReason?.rule).toBe('priority');
  });

  it('a priority ticket is ahead of every normal one in its service', async () => {
    await issueInOrder('visas', 3);
    const [p] = await issueInOrder('visas', 1, true);
    expect(p!.ahead).toBe(0);
  });

  it('priority disabled → 409 priority_disabled; normal tickets still issue', async () => {
    await settings({ priorityEnabled: false });
    try {
      expectError(
        await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'etat-civil', priority: true }),
        409,
        'priority_disabled',
      );
      expect(
        (await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'etat-civil', priority: false }))
          .status,
      ).toBe(201);
    } finally {
      await settings({ priorityEnabled: true });
    }
    expect(
      (await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'etat-civil', priority: true }))
        .status,
    ).toBe(201);
  });
});

describe('counters that cannot call', () => {
  it('a paused counter cannot call (409 counter_paused) until resumed', async () => {
    const [t] = await issueInOrder('etat-civil', 1);
    const c1 = api.counter('counter-1');
    const paused = await api.post<{ status: string }>(c1, '/api/v1/counters/counter-1/pause');
    expect(paused.body.status).toBe('paused');
    expectError(await api.post(c1, '/api/v1/counters/counter-1/call-next'), 409, 'counter_paused');
    expectError(
      await api.post(c1, '/api/v1/counters/counter-1/call', { ticketId: t!.id }),
      409,
      'counter_paused',
    );
    expect((await api.ticket(t!.id)).status).toBe('waiting');
    expect((await api.post(c1, '/api/v1/counters/counter-1/resume')).status).toBe(200);
    expect((await api.callNext('counter-1'))?.id).toBe(t!.id);
  });

  it('a counter holding a ticket cannot call another (409 counter_busy)', async () => {
    const [a, b] = await issueInOrder('etat-civil', 2);
    const c1 = api.counter('counter-1');
    expect((await api.callNext('counter-1'))?.id).toBe(a!.id);
    expectError(await api.post(c1, '/api/v1/counters/counter-1/call-next'), 409, 'counter_busy');
    expectError(
      await api.post(c1, '/api/v1/counters/counter-1/call', { ticketId: b!.id }),
      409,
      'counter_busy',
    );
    await api.step(c1, a!.id, 'start');
    expectError(await api.post(c1, '/api/v1/counters/counter-1/call-next'), 409, 'counter_busy');
    expect((await api.ticket(b!.id)).status).toBe('waiting');
    await api.step(c1, a!.id, 'finish');
    expect((await api.callNext('counter-1'))?.id).toBe(b!.id);
  });
});

describe('services and capacity', () => {
  it('a closed service → 409 service_closed; it is still listed, and its waiting tickets still served', async () => {
    const [waiting] = await issueInOrder('titres-sejour', 1);
    const closed = await api.patch<{ open: boolean }>(api.admin, '/api/v1/services/titres-sejour', {
      open: false,
    });
    expect(closed.body.open).toBe(false);
    try {
      expectError(
        await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'titres-sejour' }),
        409,
        'service_closed',
      );
      const services = await api.get<{ id: string; open: boolean; waiting: number }[]>(
        api.kiosk,
        '/api/v1/services',
      );
      expect(services.body.find((s) => s.id === 'titres-sejour')).toMatchObject({
        open: false,
        waiting: 1,
      });
      expect((await api.callNext('counter-3'))?.id).toBe(waiting!.id);
    } finally {
      await api.patch(api.admin, '/api/v1/services/titres-sejour', { open: true });
    }
    expect(
      (await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'titres-sejour' })).status,
    ).toBe(201);
  });

  it('capacity 2: the third ticket → 409 branch_full, and a finished visit makes room', async () => {
    await settings({ capacity: 2 });
    try {
      const [first] = await issueInOrder('etat-civil', 1);
      await issueInOrder('passeports', 1);
      expectError(
        await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'visas' }),
        409,
        'branch_full',
      );
      expect(BranchDto.parse((await api.get(api.admin, '/api/v1/branch')).body).occupancy).toBe(2);
      // Being called still counts (the visitor is in the building)…
      expect((await api.callNext('counter-1'))?.id).toBe(first!.id);
      expectError(
        await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'visas' }),
        409,
        'branch_full',
      );
      // …leaving does not.
      await api.step(api.counter('counter-1'), first!.id, 'finish');
      expect((await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'visas' })).status).toBe(
        201,
      );
      expectError(
        await api.post(api.kiosk, '/api/v1/tickets', { serviceId: 'visas' }),
        409,
        'branch_full',
      );
    } finally {
      await settings({ capacity: 200 });
    }
  });
});

describe('pairing', () => {
  async function newDevice(body: Record<string, unknown>) {
    const created = await api.post<{ device: { id: string }; token: string; pairingCode: string }>(
      api.admin,
      '/api/v1/devices',
      body,
    );
    expect(created.status).toBe(201);
    expect(created.body.pairingCode).toMatch(/^[A-Z2-9]{8}$/);
    return created.body;
  }

  it('a pairing code sets an HttpOnly, SameSite=Strict cookie that authenticates; the code is single-use', async () => {
    const created = await newDevice({ role: 'display', name: 'Lobby TV' });
    const paired = await api.post(undefined, '/api/v1/pair', { code: created.pairingCode });
    expect(paired.status).toBe(200);
    expect(MeDto.parse(paired.body)).toEqual({
      deviceId: created.device.id,
      name: 'Lobby TV',
      role: 'display',
      counterId: null,
    });
    const cookies = paired.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]!;
    expect(cookie).toMatch(/^guichet_token=[^;]+;/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    const pair = cookie.split(';')[0]!;
    expect(pair).not.toBe(`guichet_token=${created.token}`);

    const me = await api.get(undefined, '/api/v1/me', { cookie: pair });
    expect(me.status).toBe(200);
    expect(MeDto.parse(me.body).deviceId).toBe(created.device.id);
    expect((await api.get(undefined, '/api/v1/queue', { cookie: pair })).status).toBe(200);
    expectError(
      await api.request('PATCH', '/api/v1/branch', {
        body: { name: 'x' },
        headers: { cookie: pair },
      }),
      403,
      'forbidden',
    );

    expectError(
      await api.post(undefined, '/api/v1/pair', { code: created.pairingCode }),
      401,
      'pairing_failed',
    );
  });

  it('a code is accepted as people type it (lower case, with a dash)', async () => {
    const created = await newDevice({ role: 'counter', counterId: 'counter-2' });
    const typed =
      `${created.pairingCode.slice(0, 4)}-${created.pairingCode.slice(4)}`.toLowerCase();
    const paired = await api.post(undefined, '/api/v1/pair', { code: typed });
    expect(paired.status).toBe(200);
    expect(MeDto.parse(paired.body)).toMatchObject({ role: 'counter', counterId: 'counter-2' });
  });

  it('pairing with a token sets the same cookie; unpair clears it; revoking ends the cookie', async () => {
    const created = await newDevice({ role: 'kiosk' });
    const paired = await api.post(undefined, '/api/v1/pair', { token: created.token });
    expect(paired.status).toBe(200);
    const pair = paired.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(pair).toBe(`guichet_token=${created.token}`);
    expect(
      (
        await api.request('POST', '/api/v1/tickets', {
          body: { serviceId: 'visas' },
          headers: { cookie: pair },
        })
      ).status,
    ).toBe(201);

    const unpaired = await api.request('POST', '/api/v1/unpair', { headers: { cookie: pair } });
    expect(unpaired.status).toBe(204);
    const cleared = unpaired.headers.getSetCookie()[0] ?? '';
    expect(cleared).toMatch(/^guichet_token=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);

    await api.post(api.admin, `/api/v1/devices/${created.device.id}/revoke`);
    expectError(await api.get(undefined, '/api/v1/me', { cookie: pair }), 401, 'unauthorized');
  });

  it('a code of a revoked device cannot pair', async () => {
    const created = await newDevice({ role: 'display' });
    await api.post(api.admin, `/api/v1/devices/${created.device.id}/revoke`);
    expectError(
      await api.post(undefined, '/api/v1/pair', { code: created.pairingCode }),
      401,
      'pairing_failed',
    );
  });
});

describe('OpenAPI', () => {
  it('/api/v1/openapi.json lists every REST route of docs/api.md with its method', async () => {
    const doc = await api.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      api.admin,
      '/api/v1/openapi.json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const routes = [
      'get /api/v1/health',
      'post /api/v1/pair',
      'post /api/v1/unpair',
      'get /api/v1/me',
      'get /api/v1/branch',
      'patch /api/v1/branch',
      'get /api/v1/services',
      'post /api/v1/services',
      'patch /api/v1/services/{id}',
      'get /api/v1/counters',
      'post /api/v1/counters',
      'patch /api/v1/counters/{id}',
      'post /api/v1/counters/{id}/pause',
      'post /api/v1/counters/{id}/resume',
      'post /api/v1/counters/{id}/call-next',
      'post /api/v1/counters/{id}/call',
      'post /api/v1/tickets',
      'get /api/v1/tickets/{id}',
      'post /api/v1/tickets/{id}/recall',
      'post /api/v1/tickets/{id}/start',
      'post /api/v1/tickets/{id}/finish',
      'post /api/v1/tickets/{id}/no-show',
      'post /api/v1/tickets/{id}/cancel',
      'post /api/v1/tickets/{id}/transfer',
      'get /api/v1/queue',
      'get /api/v1/devices',
      'post /api/v1/devices',
      'post /api/v1/devices/{id}/revoke',
      'get /api/v1/stats/today',
    ];
    const listed = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(listed.filter((r) => routes.includes(r)).sort()).toEqual([...routes].sort());
    // The issue route documents its body and its 201 answer.
    const issue = doc.body.paths['/api/v1/tickets']?.post as {
      requestBody?: unknown;
      responses?: Record<string, unknown>;
    };
    expect(issue.requestBody).toBeDefined();
    expect(Object.keys(issue.responses ?? {})).toEqual(expect.arrayContaining(['201', '409']));
  });
});

describe('statistics', () => {
  it("today's figures count what was served and missed", async () => {
    const before = (await api.get<{ servedToday: number }>(api.admin, '/api/v1/stats/today')).body
      .servedToday;
    const [a, b] = await issueInOrder('visas', 2);
    const c3 = api.counter('counter-3');
    expect((await api.callNext('counter-3'))?.id).toBe(a!.id);
    await api.step(c3, a!.id, 'finish');
    expect((await api.callNext('counter-3'))?.id).toBe(b!.id);
    await api.step(c3, b!.id, 'no-show');
    const stats = await api.get<{
      servedToday: number;
      services: { serviceId: string; noShows: number; served: number }[];
      counters: { counterId: string; served: number }[];
    }>(api.admin, '/api/v1/stats/today');
    expect(stats.status).toBe(200);
    expect(stats.body.servedToday).toBe(before + 1);
    expect(
      stats.body.services.find((s) => s.serviceId === 'visas')?.noShows,
    ).toBeGreaterThanOrEqual(1);
    expect(
      stats.body.counters.find((c) => c.counterId === 'counter-3')?.served,
    ).toBeGreaterThanOrEqual(1);
  });
});
