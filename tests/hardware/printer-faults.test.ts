// Printer faults seen through the hub: paper out, unplugged mid-job, a black hole (accepts, never
// answers), a slow printer, an absent one, and the printer coming back. Every ticket is issued
// (201, answered at once), the status shows in GET /api/v1/printers and on the stream, and each
// queued job prints exactly once when the printer is back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrinterDto, PrinterStatusEvent } from '../../core/api/schemas';
import { PrinterEmulator } from '../../hardware/index';
import { nowMs } from '../../bench/stats';
import { Api } from '../support/api-kit';
import type { StreamClient } from '../support/stream-client';
import type { TestHub } from '../support/test-hub';
import {
  eventually,
  isJob,
  kioskDeviceId,
  kioskIssue,
  openStream,
  parsed,
  setKioskPrinter,
  startHardwareHub,
} from './support';

let hub: TestHub;
let api: Api;
let emulator: PrinterEmulator;
let kioskId: string;
let kioskStream: StreamClient;
let adminStream: StreamClient;

/** The hub's answer to a tap must not wait for the printer. */
const ANSWER_BOUND_MS = 1000;

beforeAll(async () => {
  emulator = await PrinterEmulator.start({ port: 0 });
  hub = await startHardwareHub();
  api = new Api(hub);
  kioskId = await kioskDeviceId(api);
  await setKioskPrinter(api, kioskId, { url: emulator.url });
  kioskStream = await openStream(hub, api.kiosk);
  adminStream = await openStream(hub, api.admin);
});

afterAll(async () => {
  kioskStream?.socket.close();
  adminStream?.socket.close();
  await hub?.dispose();
  await emulator?.close();
});

beforeEach(async () => {
  emulator.setFaults({ mode: 'normal', slowMs: 0, unplugAfterBytes: null });
  await emulator.start();
  await printerState('ready');
});

const complete = (number: string) =>
  emulator.tickets.filter((t) => t.complete && t.lines.some((l) => l.includes(number)));

async function timedIssue() {
  const t0 = nowMs();
  const ticket = await kioskIssue(api);
  const ms = nowMs() - t0;
  expect(ms, 'the answer waited for the printer').toBeLessThan(ANSWER_BOUND_MS);
  expect(ticket.print?.jobId).toBe(`ticket-${ticket.id}-1`);
  return ticket;
}

function printerState(state: PrinterDto['state'], timeoutMs = 5000) {
  return eventually(
    () => api.get<PrinterDto[]>(api.admin, '/api/v1/printers'),
    (a) => a.body[0]?.state === state,
    `GET /api/v1/printers state ${state}`,
    timeoutMs,
  );
}

const streamed = (state: PrinterStatusEvent['state']) => (m: unknown) =>
  (m as { type?: string; state?: string }).type === 'printer.status' &&
  (m as { state?: string }).state === state;

/** Proves no late duplicate: the queue is FIFO, so a duplicate would print before this one. */
async function noLateDuplicate(number: string): Promise<void> {
  const marker = await timedIssue();
  await kioskStream.waitForMessage(isJob(marker.print!.jobId, 'printed'), 'marker printed', 10_000);
  expect(complete(number)).toHaveLength(1);
}

describe('faults through the hub', () => {
  it('paper out: the ticket is issued, the status shows, and it prints once when paper is back', async () => {
    emulator.setFaults({ mode: 'paper-out' });
    hub.hub.printing.registry.running()[0]!.service.refreshStatus();
    await printerState('paper_out');
    await adminStream.waitForMessage(streamed('paper_out'), 'printer.status paper_out');
    // Kiosks hear it too (the kiosk screen shows "printer out of paper" to staff).
    await kioskStream.waitForMessage(streamed('paper_out'), 'kiosk printer.status');

    const ticket = await timedIssue();
    const pending = await api.get<PrinterDto[]>(api.admin, '/api/v1/printers');
    expect(pending.body[0]!.pendingJobs.map((j) => j.id)).toContain(ticket.print!.jobId);
    expect(complete(ticket.number)).toHaveLength(0);

    emulator.setFaults({ mode: 'normal' });
    await kioskStream.waitForMessage(isJob(ticket.print!.jobId, 'printed'), 'printed', 10_000);
    await noLateDuplicate(ticket.number);
  });

  it('unplugged mid-job: the ticket is issued, and one complete copy prints when it is back', async () => {
    emulator.setFaults({ unplugAfterBytes: 300 });
    const ticket = await timedIssue();
    await printerState('unreachable');
    expect(emulator.listening).toBe(false);
    expect(complete(ticket.number)).toHaveLength(0);

    await emulator.start();
    await kioskStream.waitForMessage(isJob(ticket.print!.jobId, 'printed'), 'reprinted', 10_000);
    const job = parsed(kioskStream).find(
      (m) => m.type === 'print.job' && m.jobId === ticket.print!.jobId && m.state === 'printed',
    );
    expect(job && job.type === 'print.job' && job.attempts).toBe(2);
    await noLateDuplicate(ticket.number);
  });

  it('a black hole (accepts, never answers): issued at once, not_responding, prints once after', async () => {
    emulator.setFaults({ mode: 'black-hole' });
    hub.hub.printing.registry.running()[0]!.service.refreshStatus();
    await printerState('not_responding');
    const ticket = await timedIssue();
    expect(ticket.print!.state).toBe('queued');
    await adminStream.waitForMessage(streamed('not_responding'), 'printer.status not_responding');

    emulator.setFaults({ mode: 'normal' });
    await kioskStream.waitForMessage(isJob(ticket.print!.jobId, 'printed'), 'printed', 10_000);
    await noLateDuplicate(ticket.number);
  });

  it('a slow printer does not slow the answer: it arrives before the ticket is printed', async () => {
    // Slower than a healthy printer, within the status timeout (a slower one is a black hole).
    emulator.setFaults({ slowMs: 200 });
    const ticket = await timedIssue();
    expect(complete(ticket.number)).toHaveLength(0);
    await kioskStream.waitForMessage(isJob(ticket.print!.jobId, 'printed'), 'slow print', 10_000);
    expect(complete(ticket.number)).toHaveLength(1);
  });

  it('several tickets queued while the printer is off each print exactly once, in order', async () => {
    await emulator.stop();
    await printerState('unreachable');
    const tickets = [await timedIssue(), await timedIssue(), await timedIssue()];
    await emulator.start();
    for (const t of tickets)
      await kioskStream.waitForMessage(isJob(t.print!.jobId, 'printed'), t.number, 10_000);
    for (const t of tickets) expect(complete(t.number)).toHaveLength(1);
    const order = emulator.tickets
      .filter((p) => tickets.some((t) => p.lines.some((l) => l.includes(t.number))))
      .map((p) => tickets.findIndex((t) => p.lines.some((l) => l.includes(t.number))));
    expect(order).toEqual([0, 1, 2]);
  });

  it('an absent printer (nothing listens): issued, unreachable, and the kiosk is told', async () => {
    const absent = await PrinterEmulator.start({ port: 0 });
    const url = absent.url;
    await absent.close(); // the port now refuses
    await setKioskPrinter(api, kioskId, { url });
    try {
      const ticket = await timedIssue();
      await eventually(
        () => api.get<PrinterDto[]>(api.admin, '/api/v1/printers'),
        (a) => a.body.some((p) => p.url === url && p.state === 'unreachable'),
        'absent printer unreachable',
      );
      const mine = await api.get<{ state: string; pending: number }>(
        api.kiosk,
        '/api/v1/me/printer',
      );
      expect(mine.body).toMatchObject({ state: 'unreachable', pending: 1 });
      expect(ticket.print!.state).toBe('queued');
    } finally {
      // Changing the setting closes that printer: its queued job fails with "closed", on screen.
      await setKioskPrinter(api, kioskId, { url: emulator.url });
    }
    await kioskStream.waitForMessage(
      (m) =>
        (m as { type?: string; state?: string; reason?: string }).type === 'print.job' &&
        (m as { state?: string }).state === 'failed',
      'failed job on the kiosk stream',
    );
  });
});
