import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryStatus } from '../printer/status.js';
import { TcpTransport } from '../printer/transports/tcp.js';
import { PrinterTimeoutError } from '../printer/errors.js';
import { waitUntil } from '../testing/helpers.js';
import { PrinterEmulator } from './printer-emulator.js';

let emulator: PrinterEmulator | null = null;
let transport: TcpTransport | null = null;
afterEach(async () => {
  await transport?.close();
  await emulator?.close();
  emulator = null;
});

async function connect(e: PrinterEmulator): Promise<TcpTransport> {
  transport = new TcpTransport('127.0.0.1', e.port);
  await transport.open(1000);
  return transport;
}

const simpleTicket = Buffer.concat([
  Buffer.from([0x1b, 0x40, 0x1b, 0x74, 16]),
  Buffer.from('Caf\xe9 A1\n', 'latin1'),
  Buffer.from([0x1d, 0x56, 0x00]),
]);

describe('printer emulator', () => {
  it('answers status according to its mode, changed at runtime', async () => {
    emulator = await PrinterEmulator.start({ mode: 'paper-out' });
    const t = await connect(emulator);
    expect(await queryStatus(t, 500)).toMatchObject({ paperOut: true });
    emulator.setFaults({ mode: 'cover-open' });
    expect(await queryStatus(t, 500)).toMatchObject({ coverOpen: true, paperOut: false });
    emulator.setFaults({ mode: 'offline', paperNearEnd: true });
    expect(await queryStatus(t, 500)).toMatchObject({ online: false, paperNearEnd: true });
    emulator.setFaults({ mode: 'normal', paperNearEnd: false });
    expect(await queryStatus(t, 500)).toEqual({
      online: true,
      coverOpen: false,
      paperNearEnd: false,
      paperOut: false,
      error: false,
    });
  });

  it('slow mode delays answers; black-hole never answers', async () => {
    emulator = await PrinterEmulator.start({ slowMs: 150 });
    const t = await connect(emulator);
    const started = Date.now();
    await queryStatus(t, 1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.setFaults({ slowMs: 0, mode: 'black-hole' });
    await expect(queryStatus(t, 100)).rejects.toBeInstanceOf(PrinterTimeoutError);
  });

  it('decodes a ticket, holds it while offline, and saves PNG and text', async () => {
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guichet-emu-'));
    emulator = await PrinterEmulator.start({ mode: 'offline', outDir });
    const t = await connect(emulator);
    await t.write(simpleTicket, 1000);
    await waitUntil(() => emulator!.device.bytesReceived >= simpleTicket.length);
    expect(emulator.tickets).toHaveLength(0); // offline: held, not printed
    emulator.setFaults({ mode: 'normal' });
    const ticket = await emulator.waitForTicket();
    expect(ticket.lines).toEqual(['Café A1']);
    await emulator.close();
    const files = await fs.readdir(outDir);
    expect(files.sort()).toEqual(['ticket-1.png', 'ticket-1.txt']);
    expect(await fs.readFile(path.join(outDir, 'ticket-1.txt'), 'utf8')).toContain('Café A1');
    await fs.rm(outDir, { recursive: true, force: true });
  });

  it('stops (unplugged: connections refused) and starts again on the same port', async () => {
    emulator = await PrinterEmulator.start();
    const port = emulator.port;
    await emulator.stop();
    await expect(new TcpTransport('127.0.0.1', port).open(500)).rejects.toThrow(/ECONNREFUSED/);
    await emulator.start();
    expect(emulator.port).toBe(port);
    const t = await connect(emulator);
    await t.write(simpleTicket, 1000);
    await emulator.waitForTicketCount(1);
  });
});
