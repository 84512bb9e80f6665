import path from 'node:path';
import { z } from 'zod';
import { PrinterEmulator } from '../sim/printer-emulator.js';

/** `guichet sim printer [--port 9100] [--paper-out] [--offline] [--slow MS] [--out DIR]` */
export const simPrinterOptionsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(9100),
    host: z.string().min(1).max(253).default('127.0.0.1'),
    paperOut: z.boolean().default(false),
    offline: z.boolean().default(false),
    coverOpen: z.boolean().default(false),
    /** Accepts connections and never answers. */
    blackHole: z.boolean().default(false),
    slowMs: z.coerce.number().int().min(0).max(60_000).default(0),
    paperWidthMm: z.coerce
      .number()
      .pipe(z.union([z.literal(58), z.literal(80)]))
      .default(80),
    /** Where ticket PNG/TXT files go; default ./artifacts/sim-printer. */
    outDir: z.string().min(1).max(1024).default(path.join('artifacts', 'sim-printer')),
  })
  .refine((o) => [o.paperOut, o.offline, o.coverOpen, o.blackHole].filter(Boolean).length <= 1, {
    message: 'choose at most one of --paper-out, --offline, --cover-open, --black-hole',
  });
export type SimPrinterOptions = z.input<typeof simPrinterOptionsSchema>;

export interface SimPrinterHandle {
  url: string;
  port: number;
  emulator: PrinterEmulator;
  stop(): Promise<void>;
}

export async function runSimPrinter(
  input: SimPrinterOptions = {},
  log: (line: string) => void = (line) => console.log(line),
): Promise<SimPrinterHandle> {
  const o = simPrinterOptionsSchema.parse(input);
  const mode = o.paperOut
    ? 'paper-out'
    : o.offline
      ? 'offline'
      : o.coverOpen
        ? 'cover-open'
        : o.blackHole
          ? 'black-hole'
          : 'normal';
  const emulator = await PrinterEmulator.start({
    port: o.port,
    host: o.host,
    printableDots: o.paperWidthMm === 58 ? 384 : 576,
    outDir: o.outDir,
    mode,
    slowMs: o.slowMs,
  });
  emulator.on('ticket', (t) => {
    const number = t.lines.find((l) => /^[A-Z]?\d{1,4}$/.test(l.trim())) ?? '?';
    log(
      `ticket #${t.seq}: ${number}  ${t.qrCodes[0] ?? ''}  → ${path.join(o.outDir, `ticket-${t.seq}.png`)}`,
    );
  });
  emulator.on('fragment', (t) =>
    log(`incomplete ticket (connection lost before the cut): ${t.lines.length} lines`),
  );
  emulator.on('error', (e) => log(`error: ${e.message}`));
  log(
    `ESC/POS printer emulator on ${emulator.url} (mode ${mode}${o.slowMs ? `, slow ${o.slowMs} ms` : ''}), tickets in ${o.outDir}`,
  );
  log(`Use it with: guichet hub --printer ${emulator.url}`);
  return { url: emulator.url, port: emulator.port, emulator, stop: () => emulator.close() };
}
