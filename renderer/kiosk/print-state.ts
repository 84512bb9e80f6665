// What the kiosk says about printing a visitor's ticket, as pure functions: from the issue
// answer's `print`, the stream's `print.job` messages, the printers' `printer.status` and a
// deadline. The ticket is always on screen; this only decides the sentence above it and whether
// the on-screen ticket is the visitor's ticket (fallback) or a copy of the paper one.
import type { JobSnapshot } from '../shared/print-jobs';
import type {
  PrintInfoDto,
  PrintJobEvent,
  PrinterStatusDto,
  PrinterStatusEvent,
} from '../../core/api/schemas';

export type PrintJobState = PrintJobEvent['state'];
export type PrinterState = PrinterStatusDto['state'];

/**
 * printing: wait a moment; printed: take it below; the rest all mean "your ticket is on screen":
 * failed (the job failed), none (this kiosk has no printer), unavailable (its printer is out of
 * paper, offline…: the job waits for it, the visitor should not), slow (no paper after the
 * deadline).
 */
export type PrintPhase = 'printing' | 'printed' | 'failed' | 'none' | 'unavailable' | 'slow';

export type { JobSnapshot } from '../shared/print-jobs';
export { recordJob } from '../shared/print-jobs';

export interface PrinterSnapshot {
  state: PrinterState;
  paperNearEnd: boolean;
}

/** How long a visitor waits for paper before being told the ticket on screen is theirs. */
export const PRINT_DEADLINE_MS = 10_000;

/** Printer states in which a ticket can come out now (unknown: not polled yet, give it a chance). */
const WORKING: ReadonlySet<PrinterState> = new Set(['ready', 'unknown']);

export function printerWorks(printer: PrinterSnapshot | undefined): boolean {
  return printer === undefined || WORKING.has(printer.state);
}

export function printPhase(input: {
  print: PrintInfoDto | null | undefined;
  /** The latest `print.job` heard for this job, if any. */
  job: JobSnapshot | undefined;
  /** The job's printer as last heard (GET /me/printer or `printer.status`). */
  printer: PrinterSnapshot | undefined;
  /** The deadline passed without the job ending. */
  late: boolean;
}): PrintPhase {
  const { print, job, printer, late } = input;
  if (!print) return 'none';
  // The stream's word is newer than the answer's; a job that ended stays ended.
  const state = job?.state ?? print.state;
  if (state === 'printed') return 'printed';
  if (state === 'failed') return 'failed';
  if (!printerWorks(printer)) return 'unavailable';
  return late ? 'slow' : 'printing';
}

/** Phases where the screen is the visitor's ticket: show it big, QR code first. */
export function isOnScreenFallback(phase: PrintPhase): boolean {
  return phase !== 'printing' && phase !== 'printed';
}

/** Whether the deadline still matters (a job that ended needs no timer). */
export function awaitingPaper(phase: PrintPhase): boolean {
  return phase === 'printing';
}

/** Printer states by printer id, from GET /me/printer and `printer.status`. */
export function recordPrinter(
  printers: ReadonlyMap<string, PrinterSnapshot>,
  status: Pick<PrinterStatusEvent, 'printerId' | 'state' | 'paperNearEnd'>,
): ReadonlyMap<string, PrinterSnapshot> {
  const next = new Map(printers);
  next.set(status.printerId, { state: status.state, paperNearEnd: status.paperNearEnd });
  return next;
}

/** The kiosk home's discreet notice about its own printer, or null when all is well. */
export type PrinterNotice = 'down' | 'paper_low' | null;

export function printerNotice(printer: PrinterSnapshot | undefined | null): PrinterNotice {
  if (!printer) return null;
  if (!printerWorks(printer)) return 'down';
  if (printer.paperNearEnd) return 'paper_low';
  return null;
}
