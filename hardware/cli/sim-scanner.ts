import readline from 'node:readline';
import { z } from 'zod';
import { signCode } from '../codes/signed-code.js';
import { SCANNER_SUFFIXES } from '../scanner/framer.js';
import { VirtualScanner } from '../sim/scanner-sim.js';

/** `guichet sim scanner [--code C]... [--interval MS] [--secret S]`; also types stdin lines. */
export const simScannerOptionsSchema = z.object({
  /** Codes to scan, one every intervalMs (printable ASCII). */
  codes: z
    .array(
      z
        .string()
        .min(1)
        .max(256)
        .regex(/^[\x20-\x7e]+$/, 'codes must be printable ASCII'),
    )
    .max(1000)
    .optional(),
  intervalMs: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  repeat: z.boolean().default(false),
  suffix: z.enum(SCANNER_SUFFIXES).default('cr'),
  /** With a branch secret and no codes, scans a signed demo appointment code. */
  secret: z.string().min(16).max(256).optional(),
});
export type SimScannerOptions = z.input<typeof simScannerOptionsSchema>;

export interface SimScannerHandle {
  /** Give this to the hub: `--scanner serial:<readerPath>`. */
  readerPath: string;
  scannerUrl: string;
  scanner: VirtualScanner;
  /** Scans one code now. */
  scan(code: string): Promise<void>;
  stop(): Promise<void>;
}

export async function runSimScanner(
  input: SimScannerOptions = {},
  io: { log?: (line: string) => void; stdin?: NodeJS.ReadableStream } = {},
): Promise<SimScannerHandle> {
  const o = simScannerOptionsSchema.parse(input);
  const log = io.log ?? ((line: string) => console.log(line));
  const scanner = await VirtualScanner.start();
  const codes = o.codes ?? (o.secret ? [signCode('appointment', 'DEMO0001', o.secret)] : []);
  const scan = async (code: string): Promise<void> => {
    await scanner.type(code, { suffix: o.suffix });
    log(`scanned ${code}`);
  };

  let index = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = (): void => {
    timer = null;
    const code = codes[index];
    if (code === undefined) return;
    index = o.repeat ? (index + 1) % codes.length : index + 1;
    scan(code)
      .catch((error: unknown) =>
        log(`scan failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        if (scanner.running && (o.repeat || index < codes.length))
          timer = setTimeout(tick, o.intervalMs);
      });
  };
  if (codes.length > 0) timer = setTimeout(tick, o.intervalMs);

  let lines: readline.Interface | null = null;
  if (io.stdin) {
    lines = readline.createInterface({ input: io.stdin });
    lines.on('line', (line) => {
      const code = line.trim();
      if (/^[\x20-\x7e]{1,256}$/.test(code)) void scan(code).catch(() => undefined);
      else if (code) log('ignored: codes are 1-256 printable ASCII characters');
    });
  }

  const scannerUrl = `serial:${scanner.readerPath}?baud=9600`;
  log(`virtual scanner ready: guichet hub --scanner ${scannerUrl}`);
  if (io.stdin) log('type a code and press Enter to scan it');
  return {
    readerPath: scanner.readerPath,
    scannerUrl,
    scanner,
    scan,
    stop: async () => {
      if (timer) clearTimeout(timer);
      lines?.close();
      await scanner.stop();
    },
  };
}
