// `guichet agent --printer`: the agent prints every ticket its kiosk is given on the TCP ESC/POS
// emulator — the hub's (forwarded) and its own (offline) — exactly once, after the answer; the
// answer's `print` is the agent's job; job and printer messages reach the kiosk's stream in the
// hub's shapes; a printer that is out of paper, unplugged or absent never holds or fails a ticket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AnyStreamMessage,
  type IssuedTicketDto,
  type PrinterStatusDto,
  type PrintJobEvent,
  type PrinterStatusEvent,
} from '../../core/api/schemas';
import { PrinterEmulator } from '../../hardware/index';
import type { DecodedTicket } from '../../hardware/sim/escpos-device';
import type { RunningAgent } from '../../hub/agent/run-agent';
import { eventually, FAST_QUEUE } from '../hardware/support';
import type { StreamClient } from '../support/stream-client';
import {
  after,
  call,
  linkIs,
  openKioskStream,
  sceneForEachTest,
  startKioskAgent,
  stopAgent,
  type Scene,
} from './agent-kiosk-support';

let emulator: PrinterEmulator;
beforeEach(async () => {
  emulator = await PrinterEmulator.start({ port: 0 });
});
afterEach(async () => {
  await emulator.close();
});
let scene: Scene;
// After the emulator's hooks: after-each hooks run in reverse, so the agents stop before it closes.
sceneForEachTest((s) => (scene = s));

/** An agent printing on `url`, online, having read the branch as its kiosk screen does first. */
async function printingAgent(url = emulator.url): Promise<RunningAgent> {
  const agent = await startKioskAgent(scene, {
    printer: { url, paperWidthMm: 80 },
    printerQueue: FAST_QUEUE,
  });
  await agent.sync.syncNow();
  const branch = await call(agent.url, 'GET', '/api/v1/branch', { token: scene.hub.tokens.kiosk });
  expect(branch.status).toBe(200);
  return agent;
}

const tap = async (agent: RunningAgent, key?: string, serviceId = 'etat-civil') => {
  const answer = await call<IssuedTicketDto>(agent.url, 'POST', '/api/v1/tickets', {
    token: scene.hub.tokens.kiosk,
    body: { serviceId },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer;
};

const holds = (number: string) => (t: DecodedTicket) => t.lines.some((l) => l.includes(number));
const copiesOf = (number: string) => emulator.tickets.filter((t) => t.complete && holds(number)(t));

function live(message: unknown): AnyStreamMessage | null {
  const parsed = AnyStreamMessage.safeParse(message);
  return parsed.success ? parsed.data : null;
}
const jobIs = (jobId: string, state: PrintJobEvent['state']) => (m: unknown) => {
  const message = live(m);
  return message?.type === 'print.job' && message.jobId === jobId && message.state === state;
};
const printerIs = (state: PrinterStatusEvent['state']) => (m: unknown) => {
  const message = live(m);
  return message?.type === 'printer.status' && message.state === state;
};

/** Waits for the ticket on paper, and proves no second copy follows by printing one more. */
async function printedOnce(agent: RunningAgent, number: string): Promise<DecodedTicket> {
  const paper = await emulator.waitForTicket(holds(number), 10_000);
  // The queue is first in, first out: a second copy would have come out before the next ticket.
  scene.relay.heal();
  const next = await tap(agent, undefined, 'visas');
  await emulator.waitForTicket(holds(next.body.number), 10_000);
  expect(copiesOf(number)).toHaveLength(1);
  return paper;
}

describe('an agent with a printer', () => {
  it('prints a ticket the hub issued, once, and tells the kiosk how it went', async () => {
    const agent = await printingAgent();
    await linkIs(agent, 'online');
    const kiosk = await openKioskStream(scene, agent.url);

    const first = await tap(agent, 'tap-online');
    const ticket = first.body;
    const jobId = `ticket-${ticket.id}-1`;
    // The agent's job, not the hub's (the hub has no printer for this kiosk: it said null).
    expect(ticket.print).toEqual({
      jobId,
      printerId: agent.printing?.printerId,
      state: 'queued',
      reason: null,
    });
    const paper = await emulator.waitForTicket(holds(ticket.number), 10_000);
    expect(paper.complete).toBe(true);
    expect(paper.lines.some((l) => l.includes('État civil'))).toBe(true);
    expect(paper.lines.some((l) => l.includes('Mairie de Démo'))).toBe(true);
    expect(paper.qrCodes).toEqual([ticket.followUpUrl]);
    await kiosk.waitForMessage(jobIs(jobId, 'printed'), 'printed job');

    // The same tap again (a kiosk retry): the same ticket, its job's state now, no second copy.
    const again = await tap(agent, 'tap-online');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.print).toMatchObject({ jobId, state: 'printed' });
    await printedOnce(agent, ticket.number);

    const light = await call<PrinterStatusDto>(agent.url, 'GET', '/api/v1/me/printer', {
      token: scene.hub.tokens.kiosk,
    });
    expect(light.body).toMatchObject({
      printerId: agent.printing?.printerId,
      state: 'ready',
      paperWidthMm: 80,
      printerType: 'epson',
    });
  });

  it('prints a checked-in appointment’s ticket, once', async () => {
    const agent = await printingAgent();
    const created = await call<{ code: string }>(scene.hub.url, 'POST', '/api/v1/appointments', {
      token: scene.hub.tokens.admin,
      body: { serviceId: 'passeports', at: new Date().toISOString(), lang: 'fr' },
    });
    expect(created.status).toBe(201);
    const checkIn = () =>
      call<IssuedTicketDto>(agent.url, 'POST', '/api/v1/appointments/check-in', {
        token: scene.hub.tokens.kiosk,
        body: { code: created.body.code },
        headers: { 'idempotency-key': 'scan-1' },
      });
    const first = await checkIn();
    expect(first.status).toBe(201);
    expect(first.body.print).toMatchObject({
      jobId: `ticket-${first.body.id}-1`,
      printerId: agent.printing?.printerId,
    });
    await emulator.waitForTicket(holds(first.body.number), 10_000);
    expect((await checkIn()).headers.get('idempotent-replayed')).toBe('true');
    await printedOnce(agent, first.body.number);
  });

  it('prints its offline tickets too, once, with the QR code of the hub’s follow-up page', async () => {
    const agent = await printingAgent();
    await linkIs(agent, 'online');
    // One online ticket teaches the agent the hub's follow-up base.
    const online = await tap(agent);
    await emulator.waitForTicket(holds(online.body.number), 10_000);
    const kiosk = await openKioskStream(scene, agent.url);

    scene.relay.cut();
    await linkIs(agent, 'offline');
    const offline = await tap(agent, 'tap-offline');
    expect(offline.headers.get('x-guichet-offline')).toBe('true');
    const ticket = offline.body;
    const jobId = `ticket-${ticket.id}-1`;
    expect(ticket.print).toMatchObject({ jobId, state: 'queued' });
    const paper = await emulator.waitForTicket(holds(ticket.number), 10_000);
    expect(paper.qrCodes).toEqual([`${scene.relay.url}/t/${ticket.id}`]);
    expect(paper.lines.some((l) => l.includes('État civil'))).toBe(true);
    await kiosk.waitForMessage(jobIs(jobId, 'printed'), 'offline ticket printed');
    // Replayed offline: the same ticket and job, nothing printed again.
    const again = await tap(agent, 'tap-offline');
    expect(again.body.id).toBe(ticket.id);
    expect(again.body.print).toMatchObject({ jobId, state: 'printed' });
    // Replayed after the kiosk PC restarted (the answer is in the agent's database): no reprint.
    const dataDir = scene.dirs[0] ?? '';
    await stopAgent(scene, agent);
    // Offline still: the branch it prints is the one it remembered on disk.
    const restarted = await startKioskAgent(scene, {
      dataDir,
      printer: { url: emulator.url, paperWidthMm: 80 },
      printerQueue: FAST_QUEUE,
    });
    const replayed = await tap(restarted, 'tap-offline');
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.print?.jobId).toBe(jobId);
    await printedOnce(restarted, ticket.number);
  });

  it('answers before the printer prints: out of paper, the ticket waits for paper, not the visitor', async () => {
    const agent = await printingAgent();
    const kiosk = await openKioskStream(scene, agent.url);
    emulator.setFaults({ mode: 'paper-out' });
    await kiosk.waitForMessage(printerIs('paper_out'), 'paper out on the kiosk stream');
    const printedBefore = emulator.tickets.length;

    const online = await tap(agent);
    scene.relay.cut();
    const offline = await tap(agent);
    expect(offline.headers.get('x-guichet-offline')).toBe('true');
    for (const answer of [online, offline]) expect(answer.body.print?.state).toBe('queued');
    expect(emulator.tickets.length).toBe(printedBefore);
    const light = await call<PrinterStatusDto>(agent.url, 'GET', '/api/v1/me/printer', {
      token: scene.hub.tokens.kiosk,
    });
    expect(light.body.state).toBe('paper_out');

    const mark = kiosk.messages.length;
    emulator.setFaults({ mode: 'normal' });
    await kiosk.waitForMessage(after(kiosk, mark, printerIs('ready')), 'paper back');
    for (const answer of [online, offline]) {
      await emulator.waitForTicket(holds(answer.body.number), 10_000);
      await kiosk.waitForMessage(
        jobIs(`ticket-${answer.body.id}-1`, 'printed'),
        `${answer.body.number} printed`,
      );
    }
  });

  it('a dead printer never fails a ticket, online or offline', async () => {
    // A port nobody listens on: the emulator, unplugged for good.
    const deadUrl = emulator.url;
    await emulator.stop();
    const agent = await printingAgent(deadUrl);
    const kiosk = await openKioskStream(scene, agent.url);
    // As the kiosk does after each hello: its printer light, until the first poll has answered.
    const light = () =>
      call<PrinterStatusDto>(agent.url, 'GET', '/api/v1/me/printer', {
        token: scene.hub.tokens.kiosk,
      }).then((answer) => answer.body.state);
    await eventually(light, (state) => state === 'unreachable', 'printer unreachable');

    const online = await tap(agent);
    scene.relay.cut();
    await linkIs(agent, 'offline');
    const offline = await tap(agent);
    for (const answer of [online, offline]) {
      expect(answer.body.print).toMatchObject({ state: 'queued' });
      expect(answer.body.number).toMatch(/^A\d{3}$/);
    }
    expect(await light()).toBe('unreachable');
    // Plugged back in, the kiosk hears it and the waiting tickets come out, each once.
    const mark = kiosk.messages.length;
    await emulator.start();
    await kiosk.waitForMessage(after(kiosk, mark, printerIs('ready')), 'printer back');
    for (const answer of [online, offline])
      await emulator.waitForTicket(holds(answer.body.number), 10_000);
    await printedOnce(agent, offline.body.number);
  });

  it('the kiosk hears its own printer, not the hub’s', async () => {
    // The hub also has a printer set for this kiosk (a second emulator): the hub leaves the
    // agent's tickets to the agent, and the kiosk's stream speaks of the agent's printer only.
    const hubPrinter = await PrinterEmulator.start({ port: 0 });
    try {
      const me = await call<{ deviceId: string }>(scene.hub.url, 'GET', '/api/v1/me', {
        token: scene.hub.tokens.kiosk,
      });
      const set = await call(scene.hub.url, 'PUT', `/api/v1/devices/${me.body.deviceId}/printer`, {
        token: scene.hub.tokens.admin,
        body: { printer: { url: hubPrinter.url } },
      });
      expect(set.status).toBe(200);
      const agent = await printingAgent();
      await linkIs(agent, 'online');
      const kiosk = await openKioskStream(scene, agent.url);
      const hubKiosk = await openKioskStream(scene, scene.hub.url);

      const ticket = (await tap(agent)).body;
      await kiosk.waitForMessage(jobIs(`ticket-${ticket.id}-1`, 'printed'), 'the agent printed');
      expect(ticket.print?.printerId).toBe(agent.printing?.printerId);
      // A ticket issued at the hub itself prints there: once its job is heard, a job for the
      // agent's ticket (issued first) would have been heard before it.
      const direct = await call<IssuedTicketDto>(scene.hub.url, 'POST', '/api/v1/tickets', {
        token: scene.hub.tokens.kiosk,
        body: { serviceId: 'visas' },
      });
      await hubKiosk.waitForMessage(
        jobIs(`ticket-${direct.body.id}-1`, 'printed'),
        'the hub printed its own ticket',
      );
      const agentJobAtHub = hubKiosk.messages.filter((m) => {
        const message = live(m);
        return message?.type === 'print.job' && message.jobId === `ticket-${ticket.id}-1`;
      });
      expect(agentJobAtHub).toHaveLength(0);
      expect(hubPrinter.tickets.filter(holds(ticket.number))).toHaveLength(0);
      const printerIds = (stream: StreamClient) =>
        new Set(
          stream.messages.flatMap((m) => {
            const message = live(m);
            return message?.type === 'print.job' || message?.type === 'printer.status'
              ? [message.printerId]
              : [];
          }),
        );
      expect(printerIds(kiosk)).toEqual(new Set([agent.printing?.printerId]));
      expect(printerIds(hubKiosk).has(agent.printing?.printerId ?? '')).toBe(false);
    } finally {
      await hubPrinter.close();
    }
  });
});
