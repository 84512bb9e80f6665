import { PrinterDisconnectedError, PrinterTimeoutError } from '../errors.js';

/**
 * The one thing every printer connection does, whatever the wire (TCP, serial, device file,
 * in-memory mock). Modelled on @serialport/bindings-interface: a small promise API, every wait
 * bounded by a timeout given by the caller, so the print queue decides how long is too long.
 */
export interface PrinterTransport {
  /** For logs and admin, e.g. "tcp://10.0.0.5:9100". */
  readonly description: string;
  /** False for write-only links (a USB device file): status cannot be read. */
  readonly canRead: boolean;
  readonly isOpen: boolean;
  /** Connects. Rejects PrinterDisconnectedError (refused, no device) or PrinterTimeoutError. */
  open(timeoutMs: number): Promise<void>;
  /**
   * Resolves once `data` was handed to the OS (socket or tty buffer). That is not proof the
   * printer printed it: see the print queue for how completion is confirmed.
   * On timeout the transport is closed, because an unknown part of `data` may have been sent.
   */
  write(data: Uint8Array, timeoutMs: number): Promise<void>;
  /** Reads exactly `length` bytes; rejects PrinterTimeoutError / PrinterDisconnectedError. */
  read(length: number, timeoutMs: number): Promise<Buffer>;
  /** Drops bytes received but not read (a late answer to an earlier, timed-out query). */
  discardInput(): void;
  /** Idempotent; never rejects. */
  close(): Promise<void>;
}

/** A read waiting for bytes. */
interface PendingRead {
  length: number;
  resolve: (data: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

// A printer answers a few status bytes; anything beyond this is noise we refuse to hoard.
const MAX_BUFFERED_INPUT = 4096;

/**
 * Input buffering shared by the transports: bytes arrive as events, callers read with a timeout.
 * Only one read may be pending at a time (the queue serialises per printer).
 */
export class InputBuffer {
  private buffered = Buffer.alloc(0);
  private pending: PendingRead | null = null;

  constructor(private readonly description: string) {}

  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    if (this.buffered.length > MAX_BUFFERED_INPUT) {
      this.buffered = this.buffered.subarray(this.buffered.length - MAX_BUFFERED_INPUT);
    }
    this.settle();
  }

  read(length: number, timeoutMs: number): Promise<Buffer> {
    if (!Number.isInteger(length) || length < 1 || length > MAX_BUFFERED_INPUT) {
      return Promise.reject(new RangeError(`read length must be 1..${MAX_BUFFERED_INPUT}`));
    }
    if (this.pending) return Promise.reject(new Error('a read is already pending'));
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new PrinterTimeoutError(`${this.description}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { length, resolve, reject, timer };
      this.settle();
    });
  }

  discard(): void {
    this.buffered = Buffer.alloc(0);
  }

  /** Fails a pending read: the link is gone. */
  fail(
    error: Error = new PrinterDisconnectedError(`${this.description}: connection closed`),
  ): void {
    const pending = this.pending;
    this.pending = null;
    this.buffered = Buffer.alloc(0);
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private settle(): void {
    const pending = this.pending;
    if (!pending || this.buffered.length < pending.length) return;
    this.pending = null;
    clearTimeout(pending.timer);
    const data = Buffer.from(this.buffered.subarray(0, pending.length));
    this.buffered = this.buffered.subarray(pending.length);
    pending.resolve(data);
  }
}

/** Runs `start`, rejecting with PrinterTimeoutError if it has not settled within `timeoutMs`. */
export function withTimeout<T>(
  timeoutMs: number,
  message: string,
  start: () => Promise<T>,
  onTimeout?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new PrinterTimeoutError(message));
    }, timeoutMs);
    start().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
