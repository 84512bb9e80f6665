import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { z } from 'zod';
import { SCANNER_SUFFIXES, type ScannerSuffix } from '../scanner/framer.js';

/**
 * A virtual serial scanner: socat creates a pair of linked pseudo-terminals; we "scan" by
 * writing into one end and the ScannerReader (or the hub) opens the other, exactly as it would
 * open /dev/ttyACM0. Needs Debian's socat.
 */

export const virtualScannerOptionsSchema = z.object({
  socatPath: z.string().min(1).default('socat'),
  /** How long socat may take to create the ptys. */
  startTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
});
export type VirtualScannerOptions = z.input<typeof virtualScannerOptionsSchema>;

const SUFFIX_BYTES: Record<ScannerSuffix, string> = { cr: '\r', lf: '\n', crlf: '\r\n', none: '' };

/** Parses "... N PTY is /dev/pts/7" lines of `socat -d -d` stderr. */
export function parseSocatPtys(stderr: string): string[] {
  return [...stderr.matchAll(/PTY is (\/dev\/[A-Za-z0-9/_-]+)/g)].map((m) => m[1]!);
}

export class VirtualScanner {
  private constructor(
    private readonly child: ChildProcess,
    /** The end to give the reader: `serial:<readerPath>`. */
    readonly readerPath: string,
    /** The end we write into. */
    readonly scannerPath: string,
    private readonly exited: Promise<void>,
    // Held open for the scanner's whole life: when the last writer of a pty closes, socat sees
    // EOF on that side and exits, which would "unplug" the scanner after the first code.
    private readonly writer: fs.FileHandle,
  ) {}

  static async start(input: VirtualScannerOptions = {}): Promise<VirtualScanner> {
    const options = virtualScannerOptionsSchema.parse(input);
    const child = spawn(options.socatPath, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    let earlyExit: ((code: number | null) => void) | null = null;
    try {
      const ptys = await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `socat did not create its ptys within ${options.startTimeoutMs} ms: ${stderr.slice(-300)}`,
              ),
            ),
          options.startTimeoutMs,
        );
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(new Error(`cannot run socat (apt install socat): ${error.message}`));
        });
        earlyExit = (code: number | null) => {
          clearTimeout(timer);
          reject(new Error(`socat exited (${code}) before it was ready: ${stderr.slice(-300)}`));
        };
        child.once('exit', earlyExit);
        child.stderr!.setEncoding('utf8');
        child.stderr!.on('data', (chunk: string) => {
          // Keep only the start: socat is quiet once running, but never grow without bound.
          if (stderr.length < 8192) stderr += chunk;
          const found = parseSocatPtys(stderr);
          // "starting data transfer loop": both ptys exist and socat relays.
          if (found.length >= 2 && /starting data transfer loop/.test(stderr)) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      if (earlyExit) child.off('exit', earlyExit);
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      const writer = await fs.open(ptys[0]!, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
      return new VirtualScanner(child, ptys[1]!, ptys[0]!, exited, writer);
    } catch (error) {
      child.kill('SIGTERM');
      throw error;
    }
  }

  /** Scans `code`: its bytes then the suffix, optionally one byte at a time. */
  async type(
    code: string,
    options: { suffix?: ScannerSuffix; interByteMs?: number } = {},
  ): Promise<void> {
    const suffix = z.enum(SCANNER_SUFFIXES).parse(options.suffix ?? 'cr');
    await this.send(Buffer.from(code + SUFFIX_BYTES[suffix], 'latin1'), options.interByteMs ?? 0);
  }

  /** Sends raw bytes (noise, half codes). */
  async send(bytes: Uint8Array, interByteMs = 0): Promise<void> {
    if (interByteMs <= 0) {
      await this.writer.write(bytes);
      return;
    }
    for (const b of bytes) {
      await this.writer.write(Uint8Array.of(b));
      await new Promise((resolve) => setTimeout(resolve, interByteMs));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    await this.writer.close().catch(() => undefined);
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
  }
}
