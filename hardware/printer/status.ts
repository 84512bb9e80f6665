import { PrinterProtocolError } from './errors.js';
import type { PrinterTransport } from './transports/transport.js';

/**
 * What the printer reports about itself (Epson ESC/POS "DLE EOT n", n = 1..4; Star printers
 * in ESC/POS emulation answer the same way).
 */
export interface PrinterStatusFlags {
  /** DLE EOT 1 bit 3 clear. An offline printer takes data into its buffer but prints nothing. */
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
  /** Cutter jam, head overheating, unrecoverable error... (DLE EOT 2 bit 6 or DLE EOT 3). */
  error: boolean;
}

const DLE = 0x10;
const EOT = 0x04;

/** The four real-time status requests, sent together; each answers one byte, in order. */
export const STATUS_QUERY = Buffer.from([DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4]);

/**
 * "GS r 1" (transmit paper sensor status). Unlike DLE EOT it is executed in sequence with the
 * print data, so its answer arrives only after everything sent before it was processed: the
 * queue appends it to a job as a completion barrier.
 */
export const PRINT_BARRIER = Buffer.from([0x1d, 0x72, 0x01]);

/** Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear. */
export function isRealtimeStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** A GS r answer has bits 4 and 7 clear, which also tells it apart from a DLE EOT answer. */
export function isTransmitStatusByte(byte: number): boolean {
  return (byte & 0x90) === 0;
}

/** Parses the four DLE EOT answers; throws PrinterProtocolError on anything else. */
export function parseStatusBytes(bytes: Uint8Array): PrinterStatusFlags {
  if (bytes.length !== 4) {
    throw new PrinterProtocolError(`expected 4 status bytes, got ${bytes.length}`);
  }
  const [printer, offline, error, paper] = bytes as unknown as [number, number, number, number];
  for (const b of [printer, offline, error, paper]) {
    if (!isRealtimeStatusByte(b)) {
      throw new PrinterProtocolError(
        `not a DLE EOT status byte: 0x${b.toString(16).padStart(2, '0')} (is this an ESC/POS printer?)`,
      );
    }
  }
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (paper & 0x60) !== 0 || (offline & 0x20) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offline & 0x40) !== 0 || (error & 0x68) !== 0,
  };
}

/** The bytes a printer in this state answers to STATUS_QUERY (used by the emulator and mocks). */
export function encodeStatusBytes(flags: PrinterStatusFlags): Buffer {
  const offline = !flags.online || flags.coverOpen || flags.paperOut || flags.error;
  return Buffer.from([
    0x12 | (offline ? 0x08 : 0),
    0x12 | (flags.coverOpen ? 0x04 : 0) | (flags.paperOut ? 0x20 : 0) | (flags.error ? 0x40 : 0),
    0x12 | (flags.error ? 0x40 : 0),
    0x12 | (flags.paperNearEnd || flags.paperOut ? 0x0c : 0) | (flags.paperOut ? 0x60 : 0),
  ]);
}

/** Answer for one DLE EOT n (n = 1..4); other n get the fixed bits only. */
export function encodeStatusByte(flags: PrinterStatusFlags, n: number): number {
  const all = encodeStatusBytes(flags);
  return n >= 1 && n <= 4 ? all[n - 1]! : 0x12;
}

/** The answer to GS r 1 (paper sensors). */
export function encodeTransmitStatus(flags: PrinterStatusFlags): number {
  return (flags.paperNearEnd || flags.paperOut ? 0x03 : 0) | (flags.paperOut ? 0x0c : 0);
}

/** Ready to print a ticket now. */
export function isReady(flags: PrinterStatusFlags): boolean {
  return flags.online && !flags.coverOpen && !flags.paperOut && !flags.error;
}

/** Why a printer is not ready, in one stable word for admin and the kiosk. */
export function notReadyReason(
  flags: PrinterStatusFlags,
): 'paper_out' | 'cover_open' | 'error' | 'offline' | null {
  if (flags.paperOut) return 'paper_out';
  if (flags.coverOpen) return 'cover_open';
  if (flags.error) return 'error';
  if (!flags.online) return 'offline';
  return null;
}

/**
 * Asks the printer for its status. Stale bytes are dropped first so a late answer to an earlier
 * query cannot be mistaken for this one.
 */
export async function queryStatus(
  transport: PrinterTransport,
  timeoutMs: number,
): Promise<PrinterStatusFlags> {
  transport.discardInput();
  await transport.write(STATUS_QUERY, timeoutMs);
  const bytes = await transport.read(4, timeoutMs);
  return parseStatusBytes(bytes);
}
