import { SerialPort } from 'serialport';
import { z } from 'zod';
import type { PrinterStatus } from './printer/queue.js';
import { PrinterService } from './printer/service.js';
import { isReady, notReadyReason, queryStatus, type PrinterStatusFlags } from './printer/status.js';
import type { PrintableTicket } from './printer/ticket.js';
import { createTransport } from './printer/transports/index.js';
import type { SerialPortFactory } from './printer/transports/serial.js';
import { formatPrinterTarget, parsePrinterUrl } from './printer/url.js';
import { parseScannerUrl } from './scanner/config.js';
import { ScannerReader } from './scanner/scanner-reader.js';

/**
 * `guichet hw doctor`: what is plugged in and does it answer. Every check is bounded in time
 * and reports instead of throwing, so one dead device never hides the others.
 */

export const doctorOptionsSchema = z.object({
  printerUrl: z.string().max(512).optional(),
  scannerUrl: z.string().max(512).optional(),
  printTestTicket: z.boolean().default(true),
  paperWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
  printerType: z.enum(['epson', 'star']).default('epson'),
  /** Budget for each check (connect, status, test print). */
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
});
export type DoctorOptions = z.input<typeof doctorOptionsSchema>;

export interface SerialPortSummary {
  path: string;
  manufacturer: string | null;
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
}

export interface DoctorReport {
  ok: boolean;
  ports: { ok: boolean; list: SerialPortSummary[]; error: string | null };
  printer: null | {
    url: string;
    ok: boolean;
    /** Connected and answered (or, for a device file, opened). */
    reachable: boolean;
    flags: PrinterStatusFlags | null;
    state: PrinterStatus['state'] | null;
    error: string | null;
    testPrint: null | { jobId: string; state: string; reason: string | null };
  };
  scanner: null | { url: string; ok: boolean; error: string | null };
}

export interface DoctorDeps {
  listPorts?: () => Promise<
    Array<Partial<Record<keyof SerialPortSummary, string | undefined>> & { path: string }>
  >;
  serialPortFactory?: SerialPortFactory;
  signal?: AbortSignal;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export const TEST_TICKET: PrintableTicket = {
  number: 'T001',
  serviceName: 'Test page / Page de test',
  branchName: 'Guichet hardware doctor',
  issuedAt: 0,
  lang: 'en',
  ahead: 0,
  estimatedWaitSec: 0,
  followUpUrl: 'https://guichet.invalid/doctor',
};

export async function runDoctorChecks(
  input: DoctorOptions,
  deps: DoctorDeps = {},
): Promise<DoctorReport> {
  const options = doctorOptionsSchema.parse(input);
  const report: DoctorReport = {
    ok: true,
    ports: { ok: true, list: [], error: null },
    printer: null,
    scanner: null,
  };

  try {
    const list = await (deps.listPorts ?? (() => SerialPort.list()))();
    report.ports.list = list.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
      serialNumber: p.serialNumber ?? null,
    }));
  } catch (error) {
    report.ports = { ok: false, list: [], error: messageOf(error) };
  }

  if (options.printerUrl !== undefined && !deps.signal?.aborted) {
    report.printer = await checkPrinter(options, deps);
  }
  if (options.scannerUrl !== undefined && !deps.signal?.aborted) {
    report.scanner = await checkScanner(options.scannerUrl, deps);
  }
  report.ok = report.ports.ok && (report.printer?.ok ?? true) && (report.scanner?.ok ?? true);
  return report;
}

async function checkPrinter(
  options: z.output<typeof doctorOptionsSchema>,
  deps: DoctorDeps,
): Promise<NonNullable<DoctorReport['printer']>> {
  const url = options.printerUrl ?? '';
  const result: NonNullable<DoctorReport['printer']> = {
    url,
    ok: false,
    reachable: false,
    flags: null,
    state: null,
    error: null,
    testPrint: null,
  };
  let target;
  try {
    target = parsePrinterUrl(url);
    result.url = formatPrinterTarget(target);
  } catch (error) {
    result.error = messageOf(error);
    return result;
  }
  const transport = createTransport(target, { serialPortFactory: deps.serialPortFactory });
  try {
    await transport.open(options.timeoutMs);
    result.reachable = true;
    if (transport.canRead) {
      result.flags = await queryStatus(transport, options.timeoutMs);
      result.state = notReadyReason(result.flags) ?? 'ready';
    } else {
      result.state = 'unknown';
    }
  } catch (error) {
    result.error = messageOf(error);
    result.state = result.reachable ? 'not_responding' : 'unreachable';
  } finally {
    await transport.close();
  }
  const printable =
    result.reachable && (result.flags === null ? result.error === null : isReady(result.flags));
  if (printable && options.printTestTicket && !deps.signal?.aborted) {
    const service = PrinterService.create(
      {
        url,
        paperWidthMm: options.paperWidthMm,
        printerType: options.printerType,
        queue: {
          connectTimeoutMs: options.timeoutMs,
          statusTimeoutMs: options.timeoutMs,
          ackTimeoutMs: options.timeoutMs * 3,
          jobTimeoutMs: options.timeoutMs * 4,
          idlePollIntervalMs: 0,
          maxUncertainAttempts: 1, // a test page is never worth a duplicate
        },
      },
      { serialPortFactory: deps.serialPortFactory },
    );
    try {
      const jobId = service.print({ ...TEST_TICKET, issuedAt: Date.now() });
      const job = await service.waitForJob(jobId, options.timeoutMs * 5);
      result.testPrint = { jobId, state: job.state, reason: job.reason };
    } catch (error) {
      result.testPrint = { jobId: '', state: 'failed', reason: messageOf(error) };
    } finally {
      await service.close();
    }
  }
  result.ok =
    result.reachable &&
    result.error === null &&
    (result.flags === null || isReady(result.flags)) &&
    (result.testPrint === null || result.testPrint.state === 'printed');
  return result;
}

async function checkScanner(
  url: string,
  deps: DoctorDeps,
): Promise<NonNullable<DoctorReport['scanner']>> {
  try {
    const config = parseScannerUrl(url);
    const reader = await ScannerReader.open(config, { serialPortFactory: deps.serialPortFactory });
    await reader.close();
    return { url, ok: true, error: null };
  } catch (error) {
    return { url, ok: false, error: messageOf(error) };
  }
}

/** The report as text for a terminal. */
export function formatDoctorReport(report: DoctorReport): string {
  const out: string[] = [];
  const mark = (ok: boolean): string => (ok ? 'OK  ' : 'FAIL');
  out.push(
    `${mark(report.ports.ok)} serial ports: ${report.ports.error ?? `${report.ports.list.length} found`}`,
  );
  for (const p of report.ports.list) {
    const ids = [
      p.manufacturer,
      p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : null,
    ].filter(Boolean);
    out.push(`       ${p.path}${ids.length > 0 ? `  (${ids.join(', ')})` : ''}`);
  }
  if (report.printer) {
    const p = report.printer;
    out.push(
      `${mark(p.ok)} printer ${p.url}: ${p.state ?? 'not checked'}${p.error ? ` - ${p.error}` : ''}`,
    );
    if (p.flags) {
      const f = p.flags;
      out.push(
        `       online=${f.online} coverOpen=${f.coverOpen} paperNearEnd=${f.paperNearEnd} paperOut=${f.paperOut} error=${f.error}`,
      );
    }
    if (p.testPrint)
      out.push(
        `       test ticket: ${p.testPrint.state}${p.testPrint.reason ? ` (${p.testPrint.reason})` : ''}`,
      );
  } else {
    out.push('--   printer: none configured (--printer URL)');
  }
  if (report.scanner) {
    out.push(
      `${mark(report.scanner.ok)} scanner ${report.scanner.url}${report.scanner.error ? `: ${report.scanner.error}` : ': opened'}`,
    );
  } else {
    out.push('--   scanner: none configured (--scanner URL)');
  }
  out.push(report.ok ? 'All checks passed.' : 'Some checks failed.');
  return out.join('\n');
}
