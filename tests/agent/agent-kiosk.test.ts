// Every HTTP route the kiosk screen uses, through a kiosk agent beside a real hub: online the
// hub's answers relayed (Idempotency-Key kept), offline the agent's remembered reads and its own
// tickets, a clear 503 for what only the hub can do, pairing with the agent's kiosk token, and
// every bad input refused with a 4xx.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type {
  CreatedAppointmentDto,
  ErrorBody,
  IssuedTicketDto,
  MeDto,
  QueueDto,
  TicketWithPositionDto,
} from '../../core/api/schemas';
import { startAgent } from '../../hub/agent/run-agent';
import { eventually } from '../hardware/support';
import {
  call,
  freshDir,
  sceneForEachTest,
  startKioskAgent,
  stopAgent,
  type Scene,
} from './agent-kiosk-support';

let scene: Scene;
sceneForEachTest((s) => (scene = s));

/** The reads the kiosk screen makes (renderer/api/client.ts, useLobby, KioskScreen). */
const READS = [
  '/api/v1/me',
  '/api/v1/branch',
  '/api/v1/services',
  '/api/v1/counters',
  '/api/v1/queue',
] as const;

const asKiosk = (baseUrl: string, method: string, route: string, options = {}) =>
  call(baseUrl, method, route, { token: scene.hub.tokens.kiosk, ...options });

async function newAppointment(serviceId = 'passeports'): Promise<CreatedAppointmentDto> {
  const created = await call<CreatedAppointmentDto>(scene.hub.url, 'POST', '/api/v1/appointments', {
    token: scene.hub.tokens.admin,
    body: { serviceId, at: new Date().toISOString(), lang: 'fr' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

describe('the kiosk screen through an agent, hub online', () => {
  it('reads are the hub’s answers, relayed as they are', async () => {
    const agent = await startKioskAgent(scene);
    await agent.sync.syncNow();
    for (const route of [...READS, '/api/v1/me/printer']) {
      const [atAgent, atHub] = [
        await asKiosk(agent.url, 'GET', route),
        await asKiosk(scene.hub.url, 'GET', route),
      ];
      expect(atAgent.status, route).toBe(200);
      expect(atAgent.body, route).toEqual(atHub.body);
      expect(atAgent.headers.get('x-guichet-offline'), route).toBeNull();
    }
    const me = await asKiosk(agent.url, 'GET', '/api/v1/me');
    expect((me.body as MeDto).role).toBe('kiosk');
  });

  it('tickets, ticket codes and check-in are forwarded with their Idempotency-Key', async () => {
    const agent = await startKioskAgent(scene);
    await agent.sync.syncNow();
    const key = { 'idempotency-key': 'tap-1' };
    const first = await asKiosk(agent.url, 'POST', '/api/v1/tickets', {
      body: { serviceId: 'etat-civil', lang: 'en' },
      headers: key,
    });
    expect(first.status).toBe(201);
    const ticket = first.body as IssuedTicketDto;
    // No printer here, and none on the hub: the hub's answer says so, and it names the QR's URL.
    expect(ticket.print).toBeNull();
    expect(ticket.followUpUrl).toBe(`${scene.relay.url}/t/${ticket.id}`);
    const again = await asKiosk(agent.url, 'POST', '/api/v1/tickets', {
      body: { serviceId: 'etat-civil', lang: 'en' },
      headers: key,
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((again.body as IssuedTicketDto).id).toBe(ticket.id);

    const byId = await asKiosk(agent.url, 'GET', `/api/v1/tickets/${ticket.id}`);
    expect((byId.body as TicketWithPositionDto).number).toBe(ticket.number);
    const byCode = await asKiosk(agent.url, 'GET', `/api/v1/tickets/by-code/${ticket.code}`);
    expect(byCode.status).toBe(200);
    expect((byCode.body as TicketWithPositionDto).id).toBe(ticket.id);
    const unknownCode = await asKiosk(agent.url, 'GET', '/api/v1/tickets/by-code/GT1-NOPE');
    expect(unknownCode.status).toBe(422);
    expect((unknownCode.body as ErrorBody).error.code).toBe('invalid_code');

    const appointment = await newAppointment();
    const checkIn = (k: string) =>
      asKiosk(agent.url, 'POST', '/api/v1/appointments/check-in', {
        body: { code: appointment.code },
        headers: { 'idempotency-key': k },
      });
    const checkedIn = await checkIn('scan-1');
    expect(checkedIn.status, JSON.stringify(checkedIn.body)).toBe(201);
    const fromAppointment = checkedIn.body as IssuedTicketDto;
    expect(fromAppointment.serviceId).toBe('passeports');
    expect((await checkIn('scan-1')).headers.get('idempotent-replayed')).toBe('true');
    // A second check-in is refused with the first one's ticket, relayed whole.
    const twice = await checkIn('scan-2');
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      error: { code: 'already_checked_in' },
      ticket: { id: fromAppointment.id },
    });

    const queue = await asKiosk(scene.hub.url, 'GET', '/api/v1/queue');
    expect((queue.body as QueueDto).waiting.map((t) => t.id).sort()).toEqual(
      [ticket.id, fromAppointment.id].sort(),
    );
  });

  it('pairs the kiosk screen with the agent’s own kiosk token, and only with it', async () => {
    const agent = await startKioskAgent(scene);
    const paired = await call<MeDto>(agent.url, 'POST', '/api/v1/pair', {
      body: { token: scene.hub.tokens.kiosk },
    });
    expect(paired.status).toBe(200);
    expect(paired.body.role).toBe('kiosk');
    const cookie = paired.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^guichet_token=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = { cookie: cookie.split(';')[0] ?? '' };
    const me = await call<MeDto>(agent.url, 'GET', '/api/v1/me', { headers: session });
    expect(me.status).toBe(200);
    expect(me.body.deviceId).toBe(paired.body.deviceId);

    // Another device's token (even a valid one on the hub) is not this kiosk's.
    const display = await call<ErrorBody>(agent.url, 'POST', '/api/v1/pair', {
      body: { token: scene.hub.tokens.display },
    });
    expect(display.status).toBe(401);
    expect(display.body.error.code).toBe('pairing_failed');
    expect(display.headers.get('set-cookie')).toBeNull();
    // Pairing codes belong to the hub; the agent says what to do instead.
    const code = await call<ErrorBody>(agent.url, 'POST', '/api/v1/pair', {
      body: { code: 'ABCD2345' },
    });
    expect(code.status).toBe(422);
    expect(code.body.error.message).toMatch(/token/);

    const unpaired = await call(agent.url, 'POST', '/api/v1/unpair', {
      headers: { ...session, 'idempotency-key': 'u-1' },
    });
    expect(unpaired.status).toBe(204);
    expect(unpaired.headers.get('set-cookie')).toMatch(/^guichet_token=;/);
  });
});

describe('the kiosk screen through an agent, hub unreachable', () => {
  it('answers the reads it remembers, issues tickets, and says what needs the hub', async () => {
    const agent = await startKioskAgent(scene);
    await agent.sync.syncNow();
    const seen = new Map<string, unknown>();
    for (const route of READS) seen.set(route, (await asKiosk(agent.url, 'GET', route)).body);
    const appointment = await newAppointment();
    const online = await asKiosk(agent.url, 'POST', '/api/v1/tickets', {
      body: { serviceId: 'etat-civil' },
    });
    const onlineTicket = online.body as IssuedTicketDto;

    scene.relay.cut();
    for (const route of READS) {
      const answer = await asKiosk(agent.url, 'GET', route);
      expect(answer.status, route).toBe(200);
      expect(answer.headers.get('x-guichet-offline'), route).toBe('true');
      expect(answer.body, route).toEqual(seen.get(route));
    }
    const printer = await asKiosk(agent.url, 'GET', '/api/v1/me/printer');
    expect(printer.status).toBe(200);
    expect(printer.body).toBeNull();

    const offline = await asKiosk(agent.url, 'POST', '/api/v1/tickets', {
      body: { serviceId: 'etat-civil' },
      headers: { 'idempotency-key': 'offline-1' },
    });
    expect(offline.status).toBe(201);
    expect(offline.headers.get('x-guichet-offline')).toBe('true');
    const offlineTicket = offline.body as IssuedTicketDto;
    // Its QR code leads to the hub's follow-up page, where the ticket will be once pushed.
    expect(offlineTicket.followUpUrl).toBe(`${scene.relay.url}/t/${offlineTicket.id}`);
    expect(offlineTicket.print).toBeNull();
    const own = await asKiosk(agent.url, 'GET', `/api/v1/tickets/${offlineTicket.id}`);
    expect((own.body as TicketWithPositionDto).number).toBe(offlineTicket.number);

    const checkIn = await asKiosk(agent.url, 'POST', '/api/v1/appointments/check-in', {
      body: { code: appointment.code },
      headers: { 'idempotency-key': 'scan-offline' },
    });
    expect(checkIn.status).toBe(503);
    expect((checkIn.body as ErrorBody).error.code).toBe('hub_unreachable');
    expect((checkIn.body as ErrorBody).error.message).toMatch(/take a ticket/);
    const byCode = await asKiosk(agent.url, 'GET', `/api/v1/tickets/by-code/${onlineTicket.code}`);
    expect(byCode.status).toBe(503);
    expect((byCode.body as ErrorBody).error.code).toBe('hub_unreachable');
    // Pairing still works with the agent's token: the kiosk it names is remembered.
    const paired = await call<MeDto>(agent.url, 'POST', '/api/v1/pair', {
      body: { token: scene.hub.tokens.kiosk },
    });
    expect(paired.status).toBe(200);
    expect(paired.body).toEqual(seen.get('/api/v1/me'));

    // A kiosk PC restarted during the outage shows the same screen: what it knew is on disk.
    const dataDir = scene.dirs[0] ?? '';
    await stopAgent(scene, agent);
    const restarted = await startKioskAgent(scene, { dataDir });
    for (const route of READS) {
      const answer = await asKiosk(restarted.url, 'GET', route);
      expect(answer.status, route).toBe(200);
      expect(answer.body, route).toEqual(seen.get(route));
    }

    // Healed: the appointment checks in, and the offline ticket is in the hub's queue.
    scene.relay.heal();
    await restarted.sync.syncNow();
    const later = await asKiosk(restarted.url, 'POST', '/api/v1/appointments/check-in', {
      body: { code: appointment.code },
      headers: { 'idempotency-key': 'scan-online' },
    });
    expect(later.status).toBe(201);
    const queue = (await asKiosk(scene.hub.url, 'GET', '/api/v1/queue')).body as QueueDto;
    expect(queue.waiting.map((t) => t.id)).toContain(offlineTicket.id);
  });

  it('learns the branch and its kiosk by itself, so a kiosk opened during an outage works', async () => {
    const agent = await startKioskAgent(scene);
    await agent.sync.syncNow();
    // Nobody asked through this agent: it read them when the hub's stream greeted it.
    await eventually(
      async () => [agent.meta.branch(), agent.meta.me()],
      ([branch, me]) => branch !== null && me !== null,
      'branch and kiosk remembered',
    );
    scene.relay.cut();
    const branch = await asKiosk(agent.url, 'GET', '/api/v1/branch');
    expect(branch.status).toBe(200);
    expect(branch.body).toMatchObject({ name: 'Mairie de Démo' });
    const paired = await call(agent.url, 'POST', '/api/v1/pair', {
      body: { token: scene.hub.tokens.kiosk },
    });
    expect(paired.status).toBe(200);
  });

  it('an agent that never reached its hub says so instead of inventing a branch', async () => {
    scene.relay.cut();
    const agent = await startKioskAgent(scene);
    for (const route of READS) {
      const answer = await asKiosk(agent.url, 'GET', route);
      expect(answer.status, route).toBe(503);
      expect((answer.body as ErrorBody).error.code, route).toBe('hub_unreachable');
    }
    const pair = await call(agent.url, 'POST', '/api/v1/pair', {
      body: { token: scene.hub.tokens.kiosk },
    });
    expect(pair.status).toBe(503);
    expect(pair.headers.get('set-cookie')).toBeNull();
  });
});

describe('bad input', () => {
  it('is refused with a 4xx before anything reaches the hub', async () => {
    const agent = await startKioskAgent(scene);
    const refused = async (method: string, route: string, options = {}, status = 400) => {
      const answer = await asKiosk(agent.url, method, route, options);
      expect(answer.status, `${method} ${route} ${JSON.stringify(options)}`).toBe(status);
      expect((answer.body as ErrorBody).error.code).toEqual(expect.any(String));
    };
    for (const body of [{}, { serviceId: 'etat-civil', extra: 1 }, { serviceId: 42 }])
      await refused('POST', '/api/v1/tickets', { body });
    for (const body of [{}, { code: '' }, { code: 'x'.repeat(65) }, { code: 'A', extra: 1 }])
      await refused('POST', '/api/v1/appointments/check-in', { body });
    await refused('POST', '/api/v1/appointments/check-in', {
      body: { code: 'GA1-X' },
      headers: { 'idempotency-key': 'x'.repeat(200) },
    });
    await refused('POST', '/api/v1/tickets', {
      body: { serviceId: 'etat-civil' },
      headers: { 'idempotency-key': 'has space' },
    });
    await refused('GET', '/api/v1/tickets/by-code/not%20a%20code');
    await refused('GET', '/api/v1/tickets/bad%20id');
    await refused('GET', '/api/v1/queue?since=3');
    await refused('POST', '/api/v1/pair', { body: { token: '' } });
    await refused('POST', '/api/v1/pair', { rawBody: '{"token":' });
    // Without the kiosk token, nothing but health and pairing.
    for (const route of [...READS, '/api/v1/me/printer', '/api/v1/tickets/x'])
      expect((await call(agent.url, 'GET', route)).status, route).toBe(401);
    expect(
      (await call(agent.url, 'GET', '/api/v1/me', { token: scene.hub.tokens.display })).status,
    ).toBe(401);
    expect((await call(agent.url, 'POST', '/api/v1/unpair')).status).toBe(401);
    expect((await call(agent.url, 'GET', '/api/v1/health')).status).toBe(200);
    const queue = (await asKiosk(scene.hub.url, 'GET', '/api/v1/queue')).body as QueueDto;
    expect(queue.waiting).toEqual([]);
  });

  it('a hub answer that is not the API’s shape becomes a 502, never reaches the kiosk', async () => {
    // A "hub" of another version: every route answers 200 with something else.
    const odd = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ unexpected: true }));
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const port = (odd.address() as AddressInfo).port;
    const dataDir = freshDir(scene);
    const agent = await startAgent({
      dataDir,
      hubUrl: `http://127.0.0.1:${port}`,
      token: scene.hub.tokens.kiosk,
      port: 0,
      screensDir: `${dataDir}/no-screens`,
      intervalMs: 3_600_000,
      retryDelay: () => 3_600_000,
      streamRetryDelay: () => 3_600_000,
    });
    try {
      for (const route of READS) {
        const answer = await asKiosk(agent.url, 'GET', route);
        expect(answer.status, route).toBe(502);
        expect((answer.body as ErrorBody).error.code).toBe('bad_hub_answer');
      }
      const issued = await asKiosk(agent.url, 'POST', '/api/v1/tickets', {
        body: { serviceId: 'etat-civil' },
      });
      expect(issued.status).toBe(502);
    } finally {
      await agent.stop();
      await new Promise<void>((resolve) => odd.close(() => resolve()));
    }
  });
});
