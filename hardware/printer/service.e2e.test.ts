import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrinterEmulator } from '../sim/printer-emulator.js';
import { nextEvent, saveArtifact, zbarDecode } from '../testing/helpers.js';
import type { JobInfo } from './queue.js';
import { PrinterService, type ServiceStatus } from './service.js';
import { renderTicket, type PrintableTicket } from './ticket.js';

/**
 * End to end over real TCP on 127.0.0.1: PrinterService → emulator, then the emulator's picture
 * of the ticket through a real QR decoder.
 */

const ticket = (over: Partial<PrintableTicket> = {}): PrintableTicket => ({
  number: 'A042',
  serviceName: 'Passeports et cartes d’identité',
  branchName: 'Mairie de Saint-Denis',
  issuedAt: Date.UTC(2026, 10, 22, 9, 41),
  lang: 'fr',
  ahead: 3,
  estimatedWaitSec: 840,
  followUpUrl: 'https://guichet.example.org/t/9F3K2QZ7',
  ...over,
});

let emulator: PrinterEmulator;
let service: PrinterService | null = null;

beforeEach(async () => {
  emulator = await PrinterEmulator.start({ port: 0 });
});
afterEach(async () => {
  await service?.close();
  service = null;
  await emulator.close();
});

function start(paperWidthMm: 58 | 80 = 80): PrinterService {
  service = PrinterService.create({
    url: emulator.url,
    paperWidthMm,
    timeZone: 'Europe/Paris',
    queue: { idlePollIntervalMs: 0 },
  });
  return service;
}

describe('PrinterService → TCP emulator', () => {
  it('prints an 80 mm French ticket whose text and QR code read back', async () => {
    const printer = start(80);
    await printer.warmUp('ar');
    expect(emulator.tickets).toHaveLength(0); // warming up prints nothing
    const jobId = printer.print(ticket());
    const job = await printer.waitForJob(jobId, 10_000);
    expect(job).toMatchObject({ state: 'printed', attempts: 1, uncertain: false });

    expect(emulator.tickets).toHaveLength(1);
    const printed = emulator.tickets[0]!;
    expect(printed.lines).toContain('A042');
    expect(printed.lines).toContain('Passeports et cartes d’identité');
    expect(printed.lines).toContain('22 novembre 2026 à 10:41');
    expect(printed.undecodableChars).toBe(0);
    expect(printed.unknownCommands).toBe(0);
    expect(printed.qrCodes).toEqual(['https://guichet.example.org/t/9F3K2QZ7']);

    const png = await saveArtifact('ticket-80mm-fr.png', emulator.renderPng(printed));
    expect(await zbarDecode(png)).toEqual(['https://guichet.example.org/t/9F3K2QZ7']);
  });

  it('prints a 58 mm English ticket', async () => {
    await emulator.close();
    emulator = await PrinterEmulator.start({ port: 0, printableDots: 384 });
    const printer = start(58);
    const url = 'https://guichet.example.org/t/K7W2';
    const job = await printer.waitForJob(
      printer.print(
        ticket({ lang: 'en', serviceName: 'Passports', number: 'B7', followUpUrl: url }),
      ),
      10_000,
    );
    expect(job.state).toBe('printed');
    const printed = emulator.tickets[0]!;
    expect(printed.lines).toEqual(
      expect.arrayContaining(['B7', 'Passports', '3 people ahead of you']),
    );
    const png = await saveArtifact('ticket-58mm-en.png', emulator.renderPng(printed));
    expect(await zbarDecode(png)).toEqual([url]);
  });

  it('prints Arabic as raster images, never as bytes the code page garbles', async () => {
    const printer = start(80);
    const job = await printer.waitForJob(
      printer.print(
        ticket({ lang: 'ar', serviceName: 'جوازات السفر', branchName: 'بلدية سان دوني' }),
      ),
      10_000,
    );
    expect(job.state).toBe('printed');
    const printed = emulator.tickets[0]!;
    // Native text is only what the code page holds: the number and the rules.
    expect(printed.lines.filter((l) => !/^-+$/.test(l))).toEqual(['A042']);
    expect(printed.undecodableChars).toBe(0);
    expect(printed.lines.join('')).not.toMatch(/[\u0600-\u06ff\ufffd]/);
    // Logo + branch + label + service + date + ahead + wait + caption + footer.
    expect(printed.rasterCount).toBeGreaterThanOrEqual(9);
    const png = await saveArtifact('ticket-80mm-ar.png', emulator.renderPng(printed));
    expect(await zbarDecode(png)).toEqual(['https://guichet.example.org/t/9F3K2QZ7']);
  });
});

describe('faults: every job prints exactly once when the printer is back', () => {
  const fast = {
    connectTimeoutMs: 300,
    statusTimeoutMs: 200,
    writeTimeoutMs: 1000,
    ackTimeoutMs: 1000,
    pollIntervalMs: 20,
    backoffInitialMs: 20,
    backoffMaxMs: 100,
    idlePollIntervalMs: 0,
  };
  function startFast(): PrinterService {
    service = PrinterService.create({ url: emulator.url, paperWidthMm: 80, queue: fast });
    return service;
  }
  const statusIs = (state: string) => (s: ServiceStatus) => s.state === state;

  it('paper out: jobs wait without being sent, status says so, then print once', async () => {
    emulator.setFaults({ mode: 'paper-out' });
    const printer = startFast();
    const paperOut = nextEvent(printer, 'status', statusIs('paper_out'));
    const ids = ['A001', 'A002', 'A003'].map((number) => printer.print(ticket({ number })));
    await paperOut;
    await nextEvent<JobInfo>(printer, 'job', (j) => j.reason === 'waiting for printer: paper_out');
    expect(printer.status()).toMatchObject({ state: 'paper_out', pending: 3 });
    expect(emulator.tickets).toHaveLength(0);
    // Only status requests (12 bytes each) reached the printer.
    expect(emulator.device.bytesReceived % 12).toBe(0);

    const ready = nextEvent(printer, 'status', statusIs('ready'));
    emulator.setFaults({ mode: 'normal' });
    await ready;
    const jobs = await Promise.all(ids.map((id) => printer.waitForJob(id, 10_000)));
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
      ['printed', 1],
      ['printed', 1],
      ['printed', 1],
    ]);
    expect(emulator.tickets.map((t) => t.lines.find((l) => /^A00\d$/.test(l)))).toEqual([
      'A001',
      'A002',
      'A003',
    ]);
  });

  it('unplugged mid-job: the half ticket is reprinted once when the printer returns', async () => {
    const printer = startFast();
    // Warm up: printer known ready.
    await printer.waitForJob(printer.print(ticket({ number: 'A000' })), 10_000);
    // Cut the cable just after the number went through: logo and number are on the paper,
    // the QR code and the cut are not.
    const bytes = await renderTicket(ticket({ number: 'A001' }), { paperWidthMm: 80 });
    emulator.setFaults({ unplugAfterBytes: 12 + bytes.indexOf('A001') + 8 });
    const unplugged = nextEvent(emulator, 'unplugged');
    const unreachable = nextEvent(printer, 'status', statusIs('unreachable'));
    const jobId = printer.print(ticket({ number: 'A001' }));
    await unplugged;
    await unreachable;
    expect(printer.job(jobId)).toMatchObject({ state: 'queued', uncertain: true });

    await emulator.start(); // plugged back, same port
    const job = await printer.waitForJob(jobId, 10_000);
    expect(job).toMatchObject({ state: 'printed', attempts: 2, uncertain: true });
    expect(emulator.fragments).toHaveLength(1); // the half ticket on the paper
    expect(emulator.fragments[0]!.lines).toContain('A001');
    expect(emulator.fragments[0]!.qrCodes).toEqual([]);
    const complete = emulator.tickets.filter((t) => t.lines.includes('A001'));
    expect(complete).toHaveLength(1);
    expect(printer.status().state).toBe('ready');
  });

  it('black hole (accepts, never answers): nothing is sent until it answers again', async () => {
    emulator.setFaults({ mode: 'black-hole' });
    const printer = startFast();
    const silent = nextEvent(printer, 'status', statusIs('not_responding'));
    const jobId = printer.print(ticket({ number: 'C003' }));
    await silent;
    // Several timed-out status requests, each on a fresh connection, but no ticket bytes.
    await nextEvent(emulator, 'connection');
    expect(emulator.device.bytesReceived).toBeLessThan(500);
    expect(printer.job(jobId)).toMatchObject({ state: 'queued', attempts: 0 });

    emulator.setFaults({ mode: 'normal' });
    const job = await printer.waitForJob(jobId, 10_000);
    expect(job).toMatchObject({ state: 'printed', attempts: 1, uncertain: false });
    expect(emulator.tickets).toHaveLength(1);
  });

  it('printer switched off then on: queued jobs print once, in order', async () => {
    await emulator.stop();
    const printer = startFast();
    const unreachable = nextEvent(printer, 'status', statusIs('unreachable'));
    const ids = ['D001', 'D002'].map((number) => printer.print(ticket({ number })));
    await unreachable;
    const ready = nextEvent(printer, 'status', statusIs('ready'));
    await emulator.start();
    await ready;
    const jobs = await Promise.all(ids.map((id) => printer.waitForJob(id, 10_000)));
    expect(jobs.every((j) => j.state === 'printed' && j.attempts === 1)).toBe(true);
    expect(emulator.tickets.map((t) => t.lines.find((l) => l.startsWith('D')))).toEqual([
      'D001',
      'D002',
    ]);
  });

  it('a slow printer (answers within the timeouts) prints each job once', async () => {
    emulator.setFaults({ slowMs: 120 });
    service = PrinterService.create({
      url: emulator.url,
      queue: { ...fast, statusTimeoutMs: 1000, ackTimeoutMs: 2000 },
    });
    const ids = ['S001', 'S002'].map((number) => service!.print(ticket({ number })));
    const jobs = await Promise.all(ids.map((id) => service!.waitForJob(id, 10_000)));
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
      ['printed', 1],
      ['printed', 1],
    ]);
    expect(emulator.tickets).toHaveLength(2);
  });

  it('refuses an invalid ticket or language synchronously', () => {
    const printer = startFast();
    expect(() => printer.print(ticket({ number: '' }))).toThrow();
    expect(() => printer.print(ticket(), { lang: 'not a lang' })).toThrow();
    expect(() => printer.print(ticket(), { jobId: 'bad id' })).toThrow();
    expect(printer.pendingJobs()).toEqual([]);
  });

  it('a job the printer never takes fails after its timeout, without blocking the next', async () => {
    emulator.setFaults({ mode: 'offline' });
    service = PrinterService.create({ url: emulator.url, queue: { ...fast, jobTimeoutMs: 150 } });
    const jobId = service.print(ticket());
    const failed = await service.waitForJob(jobId, 5000);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/expired/);
    expect(failed.reason).toMatch(/offline/);
    expect(emulator.tickets).toHaveLength(0);
  });
});
