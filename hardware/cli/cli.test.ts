import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterService } from '../printer/service.js';
import { ScannerReader, type ScanCode } from '../scanner/scanner-reader.js';
import { nextEvent, waitUntil } from '../testing/helpers.js';
import { runDoctor, runSimPrinter, runSimScanner, simPrinterOptionsSchema } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('CLI entry points', () => {
  it('sim printer: validates flags, prints tickets to its folder, stops', async () => {
    expect(simPrinterOptionsSchema.safeParse({ paperOut: true, offline: true }).success).toBe(
      false,
    );
    expect(simPrinterOptionsSchema.safeParse({ port: 'abc' }).success).toBe(false);
    expect(simPrinterOptionsSchema.parse({ port: '9101', slowMs: '20' })).toMatchObject({
      port: 9101,
      slowMs: 20,
    });

    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guichet-sim-'));
    const log: string[] = [];
    const sim = await runSimPrinter({ port: 0, outDir }, (l) => log.push(l));
    stops.push(() => fs.rm(outDir, { recursive: true, force: true }));
    stops.push(() => sim.stop());
    const service = PrinterService.create({ url: sim.url, queue: { idlePollIntervalMs: 0 } });
    stops.push(() => service.close());
    const job = await service.waitForJob(
      service.print({
        number: 'Z9',
        serviceName: 'Demo',
        branchName: 'Demo branch',
        issuedAt: Date.now(),
        lang: 'en',
        ahead: 1,
        estimatedWaitSec: 60,
        followUpUrl: 'http://localhost/t/1',
      }),
      10_000,
    );
    expect(job.state).toBe('printed');
    await waitUntil(() => log.some((l) => l.startsWith('ticket #1: Z9')));
    await sim.stop();
    expect((await fs.readdir(outDir)).sort()).toEqual(['ticket-1.png', 'ticket-1.txt']);
    expect(log[0]).toMatch(
      /^ESC\/POS printer emulator on tcp:\/\/127\.0\.0\.1:\d+ \(mode normal\)/,
    );
  });

  it('sim scanner: types codes into a pty the reader opens', async () => {
    const log: string[] = [];
    const sim = await runSimScanner(
      { codes: ['HELLO-1'], intervalMs: 50 },
      { log: (l) => log.push(l) },
    );
    stops.push(() => sim.stop());
    const reader = await ScannerReader.open({ path: sim.readerPath });
    stops.push(() => reader.close());
    const code = await nextEvent<ScanCode>(reader, 'code');
    expect(code.text).toBe('HELLO-1');
    expect(log[0]).toBe(`virtual scanner ready: guichet hub --scanner ${sim.scannerUrl}`);
  });

  it('doctor: returns a report and text, and can be stopped', async () => {
    const handle = runDoctor(
      { printerUrl: 'mock:absent', testPrint: false, timeoutMs: 200 },
      { listPorts: async () => [] },
    );
    const { report, text } = await handle.result;
    expect(report.printer).toMatchObject({ ok: false, state: 'unreachable' });
    expect(text).toContain('FAIL printer mock:absent');
    await handle.stop();
    expect(() => runDoctor({ timeoutMs: 5 })).toThrow();
  });
});
