import { describe, expect, it } from 'vitest';
import type { PrintInfoDto } from '../../core/api/schemas';
import {
  isOnScreenFallback,
  printerNotice,
  printPhase,
  recordJob,
  recordPrinter,
  type JobSnapshot,
  type PrinterSnapshot,
} from './print-state';

const print: PrintInfoDto = {
  jobId: 'ticket-t1-1',
  printerId: 'prn-0123456789',
  state: 'queued',
  reason: null,
};
const ready: PrinterSnapshot = { state: 'ready', paperNearEnd: false };
const job = (state: JobSnapshot['state'], reason: string | null = null): JobSnapshot => ({
  state,
  reason,
});

describe('kiosk print state', () => {
  it('goes printing → printed from the answer and the stream', () => {
    expect(printPhase({ print, job: undefined, printer: ready, late: false })).toBe('printing');
    expect(printPhase({ print, job: job('printing'), printer: ready, late: false })).toBe(
      'printing',
    );
    expect(printPhase({ print, job: job('printed'), printer: ready, late: false })).toBe('printed');
    // Printed stays printed, even if the deadline passed or the paper ran out just after.
    expect(
      printPhase({
        print,
        job: job('printed'),
        printer: { state: 'paper_out', paperNearEnd: false },
        late: true,
      }),
    ).toBe('printed');
  });

  it('shows the ticket on screen when the job failed, there is no printer, or it is down', () => {
    expect(printPhase({ print, job: job('failed', 'cut'), printer: ready, late: false })).toBe(
      'failed',
    );
    expect(printPhase({ print: null, job: undefined, printer: undefined, late: false })).toBe(
      'none',
    );
    expect(printPhase({ print: undefined, job: undefined, printer: undefined, late: false })).toBe(
      'none',
    );
    for (const state of ['paper_out', 'offline', 'unreachable', 'not_responding'] as const) {
      expect(
        printPhase({
          print,
          job: job('queued'),
          printer: { state, paperNearEnd: false },
          late: false,
        }),
      ).toBe('unavailable');
    }
    expect(printPhase({ print, job: job('queued'), printer: ready, late: true })).toBe('slow');
    // A printer never polled yet gets its chance.
    expect(
      printPhase({
        print,
        job: undefined,
        printer: { state: 'unknown', paperNearEnd: false },
        late: false,
      }),
    ).toBe('printing');
    // The answer itself may already say printed (idempotent replay).
    expect(
      printPhase({
        print: { ...print, state: 'printed' },
        job: undefined,
        printer: undefined,
        late: false,
      }),
    ).toBe('printed');
    expect(
      ['failed', 'none', 'unavailable', 'slow'].every((p) => isOnScreenFallback(p as never)),
    ).toBe(true);
    expect(isOnScreenFallback('printed')).toBe(false);
    expect(isOnScreenFallback('printing')).toBe(false);
  });

  it('keeps a job that ended ended, and the job map small', () => {
    let jobs: ReadonlyMap<string, JobSnapshot> = new Map();
    jobs = recordJob(jobs, { jobId: 'j1', state: 'printing' });
    jobs = recordJob(jobs, { jobId: 'j1', state: 'printed' });
    const same = recordJob(jobs, { jobId: 'j1', state: 'printing' });
    expect(same).toBe(jobs);
    expect(jobs.get('j1')).toEqual({ state: 'printed', reason: null });
    // failed then printed (a retry that succeeded) is news.
    jobs = recordJob(jobs, { jobId: 'j2', state: 'failed', reason: 'timeout' });
    jobs = recordJob(jobs, { jobId: 'j2', state: 'printed' });
    expect(jobs.get('j2')?.state).toBe('printed');
    for (let i = 0; i < 200; i++) jobs = recordJob(jobs, { jobId: `x${i}`, state: 'queued' });
    expect(jobs.size).toBeLessThanOrEqual(50);
    expect(jobs.has('x199')).toBe(true);
  });

  it('says discreetly when the kiosk printer is in trouble', () => {
    let printers: ReadonlyMap<string, PrinterSnapshot> = new Map();
    printers = recordPrinter(printers, { printerId: 'p', state: 'ready', paperNearEnd: false });
    expect(printerNotice(printers.get('p'))).toBeNull();
    printers = recordPrinter(printers, { printerId: 'p', state: 'ready', paperNearEnd: true });
    expect(printerNotice(printers.get('p'))).toBe('paper_low');
    printers = recordPrinter(printers, { printerId: 'p', state: 'paper_out', paperNearEnd: true });
    expect(printerNotice(printers.get('p'))).toBe('down');
    expect(printerNotice(null)).toBeNull();
  });
});
