// End to end: a kiosk taps, the hub commits the ticket and answers, the printer (a real TCP
// ESC/POS emulator) receives the ticket, its text holds the number and the service, and the QR
// code read back by a real decoder (zbarimg) is the ticket's follow-up URL.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterDto, PrinterStatusDto, PrintInfoDto } from '../../core/api/schemas';
import { PrinterEmulator } from '../../hardware/index';
import { zbarDecode } from '../../hardware/testing/helpers';
import { REPO_ROOT } from '../../hub/run-hub';
import { Api } from '../support/api-kit';
import type { StreamClient } from '../support/stream-client';
import type { TestHub } from '../support/test-hub';
import {
  isJob,
  kioskDeviceId,
  kioskIssue,
  openStream,
  setKioskPrinter,
  startHardwareHub,
} from './support';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'hardware-hub');

let hub: TestHub;
let api: Api;
let emulator: PrinterEmulator;
let kioskId: string;
let kioskStream: StreamClient;

beforeAll(async () => {
  emulator = await PrinterEmulator.start({ port: 0 });
  hub = await startHardwareHub();
  api = new Api(hub);
  kioskId = await kioskDeviceId(api);
  await setKioskPrinter(api, kioskId, { url: emulator.url });
  kioskStream = await openStream(hub, api.kiosk);
});

afterAll(async () => {
  kioskStream?.socket.close();
  await hub?.dispose();
  await emulator?.close();
});

const holds = (lines: readonly string[], text: string) => lines.some((l) => l.includes(text));

describe('a kiosk ticket prints on the kiosk printer', () => {
  it('the emulator receives the number, the service and a QR code of the follow-up URL', async () => {
    const ticket = await kioskIssue(api);
    expect(ticket.print).toMatchObject({ jobId: `ticket-${ticket.id}-1` });
    expect(ticket.code).toMatch(/^GT1-\d{8}A\d{3,}-[0-9A-Z]{10}$/);

    const printed = await emulator.waitForTicket((t) => holds(t.lines, ticket.number), 10_000);
    expect(printed.complete).toBe(true);
    expect(holds(printed.lines, 'État civil')).toBe(true);
    expect(holds(printed.lines, 'Mairie de Démo')).toBe(true);
    const followUp = `${hub.url}/t/${ticket.id}`;
    expect(printed.qrCodes).toEqual([followUp]);

    mkdirSync(ARTIFACTS, { recursive: true });
    const png = path.join(ARTIFACTS, `kiosk-ticket-${ticket.number}.png`);
    writeFileSync(png, emulator.renderPng(printed));
    expect(await zbarDecode(png)).toEqual([followUp]);

    // The kiosk hears the job end, so it can stop saying "printing…".
    await kioskStream.waitForMessage(isJob(`ticket-${ticket.id}-1`, 'printed'), 'printed job');
  });

  it('the kiosk and the admin see the printer; other devices have none', async () => {
    const mine = await api.get<PrinterStatusDto | null>(api.kiosk, '/api/v1/me/printer');
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ state: 'ready', paperWidthMm: 80, printerType: 'epson' });
    const display = await api.get(api.display, '/api/v1/me/printer');
    expect(display.body).toBeNull();

    const all = await api.get<PrinterDto[]>(api.admin, '/api/v1/printers');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(1);
    expect(all.body[0]).toMatchObject({
      printerId: mine.body!.printerId,
      url: emulator.url,
      deviceIds: [kioskId],
      isDefault: false,
      state: 'ready',
    });
  });

  it('a reprint by the counter holding the ticket prints a second copy (job -2)', async () => {
    const ticket = await kioskIssue(api, 'passeports');
    await emulator.waitForTicket((t) => holds(t.lines, ticket.number), 10_000);
    // counter-1 serves passeports in the demo: call it there by hand, then reprint.
    await api.freeCounter('counter-1');
    const called = await api.post(api.admin, '/api/v1/counters/counter-1/call', {
      ticketId: ticket.id,
    });
    expect(called.status).toBe(200);
    const reprint = await api.post<PrintInfoDto>(
      api.counter('counter-1'),
      `/api/v1/tickets/${ticket.id}/reprint`,
    );
    expect(reprint.status, JSON.stringify(reprint.body)).toBe(202);
    expect(reprint.body.jobId).toBe(`ticket-${ticket.id}-2`);
    await kioskStream.waitForMessage(isJob(reprint.body.jobId, 'printed'), 'reprint printed');
    const copies = emulator.tickets.filter((t) => t.complete && holds(t.lines, ticket.number));
    expect(copies).toHaveLength(2);

    // A counter that does not hold it may not; an Idempotency-Key replay prints nothing more.
    const other = await api.post(api.counter('counter-2'), `/api/v1/tickets/${ticket.id}/reprint`);
    expect(other.status).toBe(403);
    const key = { 'idempotency-key': `reprint-${ticket.id}` };
    const first = await api.post<PrintInfoDto>(
      api.admin,
      `/api/v1/tickets/${ticket.id}/reprint`,
      undefined,
      key,
    );
    const again = await api.post<PrintInfoDto>(
      api.admin,
      `/api/v1/tickets/${ticket.id}/reprint`,
      undefined,
      key,
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.jobId).toBe(first.body.jobId);
    await kioskStream.waitForMessage(isJob(first.body.jobId, 'printed'), 'third copy');
    // A fourth copy would have been queued before the next ticket: print one and count.
    const next = await kioskIssue(api, 'passeports');
    await emulator.waitForTicket((t) => holds(t.lines, next.number), 10_000);
    expect(
      emulator.tickets.filter((t) => t.complete && holds(t.lines, ticket.number)),
    ).toHaveLength(3);
  });

  it('the admin prints a test ticket on a kiosk printer', async () => {
    const answer = await api.post<PrintInfoDto>(api.admin, '/api/v1/printers/test', {
      deviceId: kioskId,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body.jobId).toMatch(/^test-/);
    await emulator.waitForTicket((t) => holds(t.lines, 'TEST'), 10_000);
    const noPrinter = await api.post(api.admin, '/api/v1/printers/test', {});
    expect(noPrinter.status).toBe(409);
  });

  it('a kiosk without a printer gets print: null, and clearing the setting closes the printer', async () => {
    await setKioskPrinter(api, kioskId, null);
    const ticket = await kioskIssue(api);
    expect(ticket.print).toBeNull();
    expect((await api.get<PrinterDto[]>(api.admin, '/api/v1/printers')).body).toEqual([]);
    expect(hub.hub.printing.registry.running()).toHaveLength(0);
    await setKioskPrinter(api, kioskId, { url: emulator.url });
  });

  it('refuses bad printer settings', async () => {
    const put = (deviceId: string, body: unknown) =>
      api.request('PUT', `/api/v1/devices/${deviceId}/printer`, { token: api.admin, body });
    expect((await put(kioskId, { printer: { url: 'http://x' } })).status).toBe(400);
    expect((await put(kioskId, { printer: { url: emulator.url, paperWidthMm: 70 } })).status).toBe(
      400,
    );
    expect((await put(kioskId, { printer: { url: 'tcp://h:1', extra: 1 } })).status).toBe(400);
    expect((await put('no-such-device', { printer: null })).status).toBe(404);
    const me = await api.get<{ deviceId: string }>(api.display, '/api/v1/me');
    expect((await put(me.body.deviceId, { printer: { url: emulator.url } })).status).toBe(409);
  });
});
