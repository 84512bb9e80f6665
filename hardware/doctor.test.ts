import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDoctorReport, runDoctorChecks } from './doctor.js';
import { PrinterEmulator } from './sim/printer-emulator.js';

let emulator: PrinterEmulator | null = null;
afterEach(async () => {
  await emulator?.close();
  emulator = null;
  SerialPortMock.binding.reset();
});

const listPorts = async () => [
  { path: '/dev/ttyUSB0', manufacturer: 'Prolific', vendorId: '067b', productId: '2303' },
];

describe('hardware doctor', () => {
  it('lists ports, reads printer status, prints a test ticket and opens the scanner', async () => {
    emulator = await PrinterEmulator.start();
    SerialPortMock.binding.createPort('/dev/ttyACM0');
    const report = await runDoctorChecks(
      { printerUrl: emulator.url, scannerUrl: 'serial:/dev/ttyACM0?baud=9600', timeoutMs: 2000 },
      { listPorts, serialPortFactory: (o) => new SerialPortMock({ ...o, autoOpen: false }) },
    );
    expect(report.ok).toBe(true);
    expect(report.ports.list).toEqual([
      {
        path: '/dev/ttyUSB0',
        manufacturer: 'Prolific',
        vendorId: '067b',
        productId: '2303',
        serialNumber: null,
      },
    ]);
    expect(report.printer).toMatchObject({
      ok: true,
      state: 'ready',
      testPrint: { state: 'printed' },
    });
    expect(report.scanner).toEqual({ url: 'serial:/dev/ttyACM0?baud=9600', ok: true, error: null });
    expect(emulator.tickets[0]!.lines).toContain('T001');
    const text = formatDoctorReport(report);
    expect(text).toContain(`OK   printer ${emulator.url}: ready`);
    expect(text).toContain('/dev/ttyUSB0  (Prolific, 067b:2303)');
    expect(text).toContain('All checks passed.');
  });

  it('reports a printer out of paper without printing, and bad or dead devices', async () => {
    emulator = await PrinterEmulator.start({ mode: 'paper-out' });
    const paperOut = await runDoctorChecks(
      { printerUrl: emulator.url, timeoutMs: 1000 },
      { listPorts },
    );
    expect(paperOut.ok).toBe(false);
    expect(paperOut.printer).toMatchObject({
      reachable: true,
      state: 'paper_out',
      testPrint: null,
    });
    expect(formatDoctorReport(paperOut)).toContain('paperOut=true');

    const port = emulator.port;
    await emulator.stop();
    const dead = await runDoctorChecks(
      { printerUrl: `tcp://127.0.0.1:${port}`, scannerUrl: 'serial:/dev/ttyNOPE', timeoutMs: 500 },
      {
        listPorts: () => Promise.reject(new Error('no udev')),
        serialPortFactory: (o) => new SerialPortMock({ ...o, autoOpen: false }),
      },
    );
    expect(dead.ok).toBe(false);
    expect(dead.ports).toEqual({ ok: false, list: [], error: 'no udev' });
    expect(dead.printer).toMatchObject({ reachable: false, state: 'unreachable' });
    expect(dead.scanner).toMatchObject({ ok: false });

    const invalid = await runDoctorChecks({ printerUrl: 'lp0' }, { listPorts });
    expect(invalid.printer?.error).toMatch(/Invalid printer URL/);
  });
});
