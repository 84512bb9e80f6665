// `guichet sim printer`, `guichet sim scanner` and `guichet hw doctor`: the hardware library's
// simulators and diagnostics as commands. Flags are checked with the library's own zod schemas.
import type { Command } from 'commander';
import {
  doctorCliOptionsSchema,
  runDoctor,
  runSimPrinter,
  runSimScanner,
  simPrinterOptionsSchema,
  simScannerOptionsSchema,
} from '../../hardware/index';
import { parseFlags } from './options';

interface Stoppable {
  stop(): Promise<void>;
}

/** Ctrl-C / SIGTERM stop the handle (idempotent) and exit. */
function stopOnSignals(handle: Stoppable, exitCode = 0): void {
  const stop = () =>
    void handle.stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Commander's camelCase names → the schema's (only where they differ). */
const renamed = (raw: Record<string, unknown>, names: Record<string, string>) =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [names[k] ?? k, v]));

export function registerHardwareCommands(program: Command): void {
  const sim = program.command('sim').description('Simulated lobby hardware, for development.');

  sim
    .command('printer')
    .description(
      'A network ESC/POS printer on a TCP port: answers status, saves each ticket as PNG and text.',
    )
    .option('--port <port>', 'TCP port (0: any free port)', '9100')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--paper-out', 'report paper out (prints nothing)')
    .option('--offline', 'report offline (prints nothing)')
    .option('--cover-open', 'report the cover open (prints nothing)')
    .option('--black-hole', 'accept connections and never answer')
    .option('--slow <ms>', 'delay every answer and print by this many ms', '0')
    .option('--paper-width <mm>', '58 or 80', '80')
    .option('--out <dir>', 'where tickets are saved (default artifacts/sim-printer)')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseFlags(
        simPrinterOptionsSchema,
        renamed(raw, { slow: 'slowMs', out: 'outDir', paperWidth: 'paperWidthMm' }),
      );
      // runSimPrinter prints its URL and each ticket it receives.
      stopOnSignals(await runSimPrinter(options));
    });

  sim
    .command('scanner')
    .description(
      'A virtual serial scanner on a pty pair (needs socat): scans --code values, or lines typed here.',
    )
    .option('--code <code...>', 'codes to scan, one every --interval ms')
    .option('--interval <ms>', 'time between codes', '2000')
    .option('--repeat', 'scan the codes again and again')
    .option('--suffix <suffix>', 'cr, lf, crlf or none', 'cr')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseFlags(
        simScannerOptionsSchema,
        renamed(raw, { code: 'codes', interval: 'intervalMs' }),
      );
      const handle = await runSimScanner(options, { stdin: process.stdin });
      stopOnSignals(handle);
    });

  program
    .command('hw')
    .description('Lobby hardware tools.')
    .command('doctor')
    .description('List serial ports, probe the printer and scanner, print a test ticket.')
    .option(
      '--printer <url>',
      'tcp://host:9100, serial:/dev/ttyUSB0?baud=19200 or file:/dev/usb/lp0',
    )
    .option('--scanner <url>', 'serial:/dev/ttyACM0?baud=9600')
    .option('--no-test-print', 'probe the printer without printing')
    .option('--paper-width <mm>', '58 or 80', '80')
    .option('--timeout <ms>', 'per check', '5000')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseFlags(
        doctorCliOptionsSchema,
        renamed(raw, {
          printer: 'printerUrl',
          scanner: 'scannerUrl',
          paperWidth: 'paperWidthMm',
          timeout: 'timeoutMs',
        }),
      );
      const handle = runDoctor(options);
      stopOnSignals(handle, 130);
      const { report, text } = await handle.result;
      console.log(text);
      process.exit(report.ok ? 0 : 1);
    });
}
