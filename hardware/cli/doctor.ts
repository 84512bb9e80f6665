import { z } from 'zod';
import {
  formatDoctorReport,
  runDoctorChecks,
  type DoctorDeps,
  type DoctorReport,
} from '../doctor.js';

/** `guichet hw doctor [--printer URL] [--scanner URL] [--no-test-print]` */
export const doctorCliOptionsSchema = z.object({
  printerUrl: z.string().max(512).optional(),
  scannerUrl: z.string().max(512).optional(),
  testPrint: z.boolean().default(true),
  paperWidthMm: z.coerce
    .number()
    .pipe(z.union([z.literal(58), z.literal(80)]))
    .default(80),
  timeoutMs: z.coerce.number().int().min(100).max(120_000).default(5000),
});
export type DoctorCliOptions = z.input<typeof doctorCliOptionsSchema>;

export interface DoctorHandle {
  /** The report and its text; the CLI prints `text` and exits 0 if report.ok, else 1. */
  result: Promise<{ report: DoctorReport; text: string }>;
  /** Skips checks not started yet (Ctrl-C); running ones end within their timeout. */
  stop(): Promise<void>;
}

export function runDoctor(
  input: DoctorCliOptions = {},
  deps: Omit<DoctorDeps, 'signal'> = {},
): DoctorHandle {
  const o = doctorCliOptionsSchema.parse(input);
  const abort = new AbortController();
  const result = runDoctorChecks(
    {
      printerUrl: o.printerUrl,
      scannerUrl: o.scannerUrl,
      printTestTicket: o.testPrint,
      paperWidthMm: o.paperWidthMm,
      timeoutMs: o.timeoutMs,
    },
    { ...deps, signal: abort.signal },
  ).then((report) => ({ report, text: formatDoctorReport(report) }));
  return {
    result,
    stop: async () => {
      abort.abort();
      await result.catch(() => undefined);
    },
  };
}
