import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../testing/helpers.js';
import {
  PrinterDisconnectedError,
  PrinterStatusUnsupportedError,
  PrinterTimeoutError,
} from '../errors.js';
import { queryStatus, STATUS_QUERY } from '../status.js';
import { FileTransport } from './file.js';
import { MockPrinter, MockTransport } from './mock.js';
import { SerialTransport } from './serial.js';
import { TcpTransport } from './tcp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A bare TCP server on a free loopback port that hands each socket to `onSocket`. */
async function server(
  onSocket: (s: net.Socket) => void,
): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const srv = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onSocket(s);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  );
  return { port: (srv.address() as net.AddressInfo).port, sockets };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('TcpTransport', () => {
  it('writes, reads answers, and times out reads that get none', async () => {
    const received: Buffer[] = [];
    const { port } = await server((s) =>
      s.on('data', (d) => {
        received.push(d);
        if (d.equals(STATUS_QUERY)) s.write(Buffer.from([0x12, 0x12, 0x12, 0x12]));
      }),
    );
    const t = new TcpTransport('127.0.0.1', port);
    cleanups.push(() => t.close());
    await t.open(1000);
    expect(await queryStatus(t, 1000)).toMatchObject({ online: true, paperOut: false });
    await expect(t.read(1, 50)).rejects.toBeInstanceOf(PrinterTimeoutError);
    expect(t.isOpen).toBe(true);
  });

  it('refused connections and lost connections are PrinterDisconnectedError', async () => {
    const refused = new TcpTransport('127.0.0.1', await freePort());
    await expect(refused.open(1000)).rejects.toBeInstanceOf(PrinterDisconnectedError);

    const { port, sockets } = await server(() => undefined);
    const t = new TcpTransport('127.0.0.1', port);
    cleanups.push(() => t.close());
    await t.open(1000);
    const pending = t.read(4, 5000);
    await waitUntil(() => sockets.length === 1);
    sockets[0]!.destroy();
    await expect(pending).rejects.toBeInstanceOf(PrinterDisconnectedError);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Buffer.from('x'), 100)).rejects.toBeInstanceOf(PrinterDisconnectedError);
  });

  it('a write the printer never reads times out and drops the link', async () => {
    const { port } = await server((s) => s.pause()); // accepts, never reads
    const t = new TcpTransport('127.0.0.1', port);
    cleanups.push(() => t.close());
    await t.open(1000);
    // Large enough to fill both socket buffers.
    await expect(t.write(Buffer.alloc(64 * 1024 * 1024), 200)).rejects.toBeInstanceOf(
      PrinterTimeoutError,
    );
    expect(t.isOpen).toBe(false);
  });
});

describe('SerialTransport over binding-mock', () => {
  // The binding instance SerialPortMock really uses (serialport may bundle its own copy).
  const MockBinding = SerialPortMock.binding;
  afterEach(() => MockBinding.reset());

  it('writes to the port and reads what the device answers', async () => {
    MockBinding.createPort('/dev/ttyPRN0', { echo: false, record: true });
    let port: SerialPortMock | null = null;
    const t = new SerialTransport('/dev/ttyPRN0', 19200, (o) => {
      port = new SerialPortMock({ ...o, autoOpen: false });
      return port;
    });
    cleanups.push(() => t.close());
    await t.open(1000);
    expect(t.isOpen).toBe(true);
    await t.write(Buffer.from('hello'), 1000);
    expect(port!.port!.recording.toString()).toBe('hello');
    const reading = t.read(2, 1000);
    port!.port!.emitData(Buffer.from([0x12, 0x16]));
    expect([...(await reading)]).toEqual([0x12, 0x16]);
    await expect(t.read(1, 30)).rejects.toBeInstanceOf(PrinterTimeoutError);
  });

  it('a missing device is PrinterDisconnectedError', async () => {
    const t = new SerialTransport(
      '/dev/ttyNOPE',
      9600,
      (o) => new SerialPortMock({ ...o, autoOpen: false }),
    );
    await expect(t.open(1000)).rejects.toBeInstanceOf(PrinterDisconnectedError);
  });
});

describe('FileTransport', () => {
  it('appends bytes to the device file and cannot read status', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guichet-lp-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'lp0');
    const t = new FileTransport(file);
    await t.open(1000);
    await t.write(Buffer.from('AB'), 1000);
    await t.write(Buffer.from('C'), 1000);
    await t.close();
    expect(await fs.readFile(file, 'latin1')).toBe('ABC');
    expect(t.canRead).toBe(false);
    await expect(t.read()).rejects.toBeInstanceOf(PrinterStatusUnsupportedError);
  });

  it('a missing device is PrinterDisconnectedError', async () => {
    const t = new FileTransport('/nonexistent-dir/lp0');
    await expect(t.open(1000)).rejects.toBeInstanceOf(PrinterDisconnectedError);
  });
});

describe('MockTransport', () => {
  afterEach(() => MockPrinter.reset());

  it('talks to a named mock printer and sees it unplugged', async () => {
    const printer = MockPrinter.create('desk', { mode: 'paper-out' });
    const t = new MockTransport('desk');
    await t.open(100);
    // Epson reports paper-out as offline too.
    expect(await queryStatus(t, 100)).toMatchObject({ paperOut: true, online: false });
    const pending = t.read(1, 1000);
    printer.unplug();
    await expect(pending).rejects.toBeInstanceOf(PrinterDisconnectedError);
    await expect(new MockTransport('desk').open(100)).rejects.toThrow(/unplugged/);
    await expect(new MockTransport('nobody').open(100)).rejects.toThrow(/no such mock printer/);
  });
});
