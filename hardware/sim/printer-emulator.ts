import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  EscPosDevice,
  PRINTER_MODES,
  type DecodedTicket,
  type PrinterFaults,
} from './escpos-device.js';
import { paintTicket } from './ticket-painter.js';

/**
 * A network ESC/POS printer on a TCP port, for development and fault tests: it answers status
 * requests according to its mode, decodes what it receives into text and a picture, and can be
 * unplugged (stop) and plugged back (start) on the same port.
 */

export const printerEmulatorOptionsSchema = z.object({
  /** 0 picks a free port (tests); the CLI defaults to 9100. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Loopback by default: the emulator is not a service to expose on a network. */
  host: z.string().min(1).max(253).default('127.0.0.1'),
  /** 384 dots = 58 mm paper, 576 dots = 80 mm paper. */
  printableDots: z.union([z.literal(384), z.literal(576)]).default(576),
  /** When set, each ticket is saved there as ticket-<seq>.png and .txt. */
  outDir: z.string().min(1).optional(),
  mode: z.enum(PRINTER_MODES).default('normal'),
  slowMs: z.number().int().min(0).max(60_000).default(0),
  paperNearEnd: z.boolean().default(false),
});
export type PrinterEmulatorOptions = z.input<typeof printerEmulatorOptionsSchema>;

interface EmulatorEvents {
  ticket: [DecodedTicket];
  fragment: [DecodedTicket];
  connection: [];
  unplugged: [];
  error: [Error];
}

export class PrinterEmulator extends EventEmitter<EmulatorEvents> {
  readonly device: EscPosDevice;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private boundPort: number;
  private readonly options: z.output<typeof printerEmulatorOptionsSchema>;
  private readonly pendingSaves = new Set<Promise<void>>();
  /** Connections accepted since creation (to check reconnect behaviour). */
  connectionCount = 0;

  private constructor(options: z.output<typeof printerEmulatorOptionsSchema>) {
    super();
    this.options = options;
    this.boundPort = options.port;
    this.device = new EscPosDevice({
      mode: options.mode,
      slowMs: options.slowMs,
      paperNearEnd: options.paperNearEnd,
    });
    this.device.on('ticket', (ticket) => {
      if (this.options.outDir)
        this.track(this.saveTicket(ticket, this.options.outDir).then(() => undefined));
      this.emit('ticket', ticket);
    });
    this.device.on('fragment', (ticket) => this.emit('fragment', ticket));
  }

  /** Validates options, listens, and resolves once the port accepts connections. */
  static async start(input: PrinterEmulatorOptions = {}): Promise<PrinterEmulator> {
    const emulator = new PrinterEmulator(printerEmulatorOptionsSchema.parse(input));
    await emulator.start();
    return emulator;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `tcp://${this.options.host}:${this.boundPort}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  get tickets(): readonly DecodedTicket[] {
    return this.device.tickets;
  }

  get fragments(): readonly DecodedTicket[] {
    return this.device.fragments;
  }

  get printableDots(): number {
    return this.options.printableDots;
  }

  /** (Re)starts listening on the same port: the printer is plugged back in. */
  start(): Promise<void> {
    if (this.server) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen({ port: this.boundPort, host: this.options.host, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.reportError(error));
        const address = server.address();
        if (address && typeof address === 'object') this.boundPort = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  /** Unplugs the printer: drops every connection and stops listening (port refuses). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops and waits for tickets still being written to outDir. */
  async close(): Promise<void> {
    await this.stop();
    await Promise.allSettled([...this.pendingSaves]);
  }

  setFaults(change: Partial<PrinterFaults>): void {
    this.device.setFaults(change);
  }

  /** Resolves with the next complete ticket matching `predicate` (or one already received). */
  waitForTicket(
    predicate: (t: DecodedTicket) => boolean = () => true,
    timeoutMs = 5000,
    { includeExisting = true } = {},
  ): Promise<DecodedTicket> {
    const existing = includeExisting ? this.tickets.find(predicate) : undefined;
    if (existing) return Promise.resolve(existing);
    return new Promise<DecodedTicket>((resolve, reject) => {
      const onTicket = (t: DecodedTicket): void => {
        if (!predicate(t)) return;
        clearTimeout(timer);
        this.off('ticket', onTicket);
        resolve(t);
      };
      const timer = setTimeout(() => {
        this.off('ticket', onTicket);
        reject(new Error(`emulator: no matching ticket within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('ticket', onTicket);
    });
  }

  /** Resolves once `count` complete tickets were received in total. */
  async waitForTicketCount(count: number, timeoutMs = 5000): Promise<readonly DecodedTicket[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.tickets.length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`emulator: ${this.tickets.length}/${count} tickets after ${timeoutMs} ms`);
      await this.waitForTicket(() => true, left, { includeExisting: false });
    }
    return this.tickets;
  }

  /** The ticket as a PNG picture. */
  renderPng(ticket: DecodedTicket): Buffer {
    return paintTicket(ticket, { printableDots: this.options.printableDots });
  }

  /** Writes ticket-<seq>.png and ticket-<seq>.txt (decoded lines, QR data) into `dir`. */
  async saveTicket(
    ticket: DecodedTicket,
    dir: string,
    name = `ticket-${ticket.seq}`,
  ): Promise<{ png: string; txt: string }> {
    await fs.mkdir(dir, { recursive: true });
    const png = path.join(dir, `${name}.png`);
    const txt = path.join(dir, `${name}.txt`);
    await fs.writeFile(png, this.renderPng(ticket));
    const text = [
      ...ticket.lines,
      ...ticket.qrCodes.map((q) => `[QR] ${q}`),
      `[raster images] ${ticket.rasterCount}`,
    ];
    await fs.writeFile(txt, `${text.join('\n')}\n`);
    return { png, txt };
  }

  private track(promise: Promise<void>): void {
    const guarded = promise.catch((error: unknown) => {
      this.reportError(error instanceof Error ? error : new Error(String(error)));
    });
    this.pendingSaves.add(guarded);
    void guarded.finally(() => this.pendingSaves.delete(guarded));
  }

  /** 'error' without a listener would throw from inside a callback: only emit when heard. */
  private reportError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private accept(socket: net.Socket): void {
    this.connectionCount++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const session = this.device.openSession({
      send: (data) => {
        if (!socket.destroyed) socket.write(data);
      },
      unplug: () => {
        this.emit('unplugged');
        void this.stop();
      },
    });
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('error', () => {
      // A client vanishing is normal for a printer; 'close' follows.
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      session.end();
    });
    this.emit('connection');
  }
}
