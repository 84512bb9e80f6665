// A serial scanner on the hub machine, through real pseudo-terminals (socat): a valid appointment
// code checks in and the kiosk's stream shows the ticket; forged, truncated and random-byte input
// is refused with a reason, and the hub keeps working.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAppointmentDto, ScannerDto, ScannerResultEvent } from '../../core/api/schemas';
import { runSimScanner, type SimScannerHandle } from '../../hardware/index';
import { Api } from '../support/api-kit';
import type { StreamClient } from '../support/stream-client';
import type { TestHub } from '../support/test-hub';
import { kioskDeviceId, kioskIssue, openStream, startHardwareHub } from './support';

let hub: TestHub;
let api: Api;
let scanner: SimScannerHandle;
let kioskStream: StreamClient;
let displayStream: StreamClient;
let seen = 0;

beforeAll(async () => {
  scanner = await runSimScanner({}, { log: () => undefined });
  hub = await startHardwareHub({ scanner: scanner.scannerUrl });
  api = new Api(hub);
  kioskStream = await openStream(hub, api.kiosk);
  displayStream = await openStream(hub, api.display);
});

afterAll(async () => {
  kioskStream?.socket.close();
  displayStream?.socket.close();
  await hub?.dispose();
  await scanner?.stop();
});

/** The next scanner.result on the kiosk's stream after the ones already seen. */
async function nextResult(): Promise<ScannerResultEvent> {
  const results = () =>
    kioskStream.messages.filter(
      (m): m is ScannerResultEvent => (m as { type?: string }).type === 'scanner.result',
    );
  await kioskStream.waitForMessage(() => results().length > seen, 'scanner.result', 5000);
  return results()[seen++]!;
}

async function appointment(): Promise<CreatedAppointmentDto> {
  const created = await api.post<CreatedAppointmentDto>(api.admin, '/api/v1/appointments', {
    serviceId: 'visas',
    at: new Date().toISOString(),
    lang: 'en',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

describe('serial scanner → kiosk', () => {
  it('the scanner is open and belongs to the only kiosk', async () => {
    const status = await api.get<ScannerDto>(api.admin, '/api/v1/scanner');
    expect(status.body).toMatchObject({
      state: 'open',
      source: 'flag',
      kioskDeviceId: await kioskDeviceId(api),
    });
  });

  it('a valid appointment code checks in: the kiosk sees the ticket, flagged appointment', async () => {
    const { code, appointment: booked } = await appointment();
    await scanner.scan(code);
    const result = await nextResult();
    expect(result).toMatchObject({ ok: true, kind: 'appointment' });
    expect(result.ticket).toMatchObject({ serviceId: 'visas', source: 'appointment', lang: 'en' });
    expect(result.print).toBeNull(); // this kiosk has no printer: the screen shows the ticket
    const listed = await api.get<{ id: string; status: string; ticketId: string }[]>(
      api.admin,
      '/api/v1/appointments',
    );
    expect(listed.body.find((a) => a.id === booked.id)).toMatchObject({
      status: 'checked_in',
      ticketId: result.ticket!.id,
    });
    // Only the kiosk hears its scans (the display hears the ticket being issued, as always).
    expect(
      displayStream.messages.some((m) => (m as { type?: string }).type === 'scanner.result'),
    ).toBe(false);

    await scanner.scan(code);
    const again = await nextResult();
    expect(again).toMatchObject({ ok: false, reason: 'already_checked_in' });
    expect(again.ticket?.id).toBe(result.ticket!.id);
  });

  it('forged, truncated and random-byte input is refused with a reason; the hub keeps working', async () => {
    const { code } = await appointment();
    const last = code.at(-1) === 'A' ? 'B' : 'A';
    await scanner.scan(code.slice(0, -1) + last);
    expect(await nextResult()).toMatchObject({ ok: false, reason: 'bad_signature' });

    await scanner.scan(code.slice(0, 12));
    expect(await nextResult()).toMatchObject({ ok: false, reason: 'malformed' });

    // Binary noise (without CR/LF, which would end it early and split it into several scans).
    const noiseBytes = randomBytes(48).map((b) => (b === 0x0d || b === 0x0a ? 0x00 : b));
    await scanner.scanner.send(Buffer.concat([noiseBytes, Buffer.from('\r')]));
    const noise = await nextResult();
    expect(noise.ok).toBe(false);
    expect(noise.message.length).toBeGreaterThan(0);

    await scanner.scan('X'.repeat(300));
    const long = await nextResult();
    expect(long, JSON.stringify(long)).toMatchObject({ ok: false, reason: 'too_long' });

    await scanner.scan('https://example.org/not-a-ticket');
    expect((await nextResult()).ok).toBe(false);

    // Still working: the untouched code checks in, and kiosks still issue tickets.
    await scanner.scan(code);
    expect(await nextResult()).toMatchObject({ ok: true, kind: 'appointment' });
    await kioskIssue(api);
  });

  it("a ticket's signed code or its follow-up URL shows where the ticket stands", async () => {
    const ticket = await kioskIssue(api, 'passeports');
    await scanner.scan(ticket.code!);
    const byCode = await nextResult();
    expect(byCode).toMatchObject({ ok: true, kind: 'ticket' });
    expect(byCode.ticket).toMatchObject({ id: ticket.id, status: 'waiting' });
    await scanner.scan(`${hub.url}/t/${ticket.id}`);
    expect((await nextResult()).ticket?.id).toBe(ticket.id);
  });
});
