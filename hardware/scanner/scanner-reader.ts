import { EventEmitter } from 'node:events';
import {
  defaultSerialPortFactory,
  type SerialPortFactory,
  type SerialPortLike,
} from '../printer/transports/serial.js';
import { scannerConfigSchema, type ScannerConfig, type ScannerConfigInput } from './config.js';
import { ScanFramer, type FrameEvent } from './framer.js';

/**
 * Reads codes from a serial barcode scanner. Whatever arrives on the line, the reader emits
 * `code` or `rejected` and keeps going: nothing a scanner (or a noisy cable) sends can throw out
 * of it. An optional `validate` (e.g. signed-code verification) refuses codes with its reason.
 */

export interface ScanCode {
  text: string;
  receivedAt: number;
}

export interface ScanRejected {
  /** too_long | not_printable | incomplete, or the validator's reason (bad_signature...). */
  reason: string;
  /** Escaped start of the input, safe to log. */
  preview: string;
  length: number;
  receivedAt: number;
}

export type ScannerState = 'opening' | 'open' | 'closed' | 'error';

export interface ScannerStatus {
  state: ScannerState;
  error: string | null;
}

interface ReaderEvents {
  code: [ScanCode];
  rejected: [ScanRejected];
  status: [ScannerStatus];
}

export type ScanValidator = (text: string) => { ok: true } | { ok: false; reason: string };

export interface ScannerReaderDeps {
  serialPortFactory?: SerialPortFactory;
  validate?: ScanValidator;
}

export class ScannerReader extends EventEmitter<ReaderEvents> {
  readonly config: ScannerConfig;
  private readonly framer: ScanFramer;
  private port: SerialPortLike | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private current: ScannerStatus = { state: 'closed', error: null };

  private constructor(
    config: ScannerConfig,
    private readonly deps: ScannerReaderDeps,
  ) {
    super();
    this.config = config;
    this.framer = new ScanFramer(config.suffix, config.maxLength);
  }

  /** Validates the config and opens the port; rejects if it cannot be opened the first time. */
  static async open(
    config: ScannerConfigInput,
    deps: ScannerReaderDeps = {},
  ): Promise<ScannerReader> {
    const reader = new ScannerReader(scannerConfigSchema.parse(config), deps);
    await reader.openPort();
    return reader;
  }

  status(): ScannerStatus {
    return { ...this.current };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.setStatus({ state: 'closed', error: null });
  }

  private openPort(): Promise<void> {
    const factory = this.deps.serialPortFactory ?? defaultSerialPortFactory;
    const port = factory({ path: this.config.path, baudRate: this.config.baudRate });
    this.setStatus({ state: 'opening', error: null });
    return new Promise<void>((resolve, reject) => {
      port.on('error', () => undefined); // reported through open's callback and 'close'
      port.open((error) => {
        if (error) {
          this.setStatus({ state: 'error', error: error.message });
          reject(error);
          return;
        }
        if (this.closed) {
          port.close();
          resolve();
          return;
        }
        this.port = port;
        port.on('data', (chunk: Buffer) => this.onData(chunk));
        port.on('close', () => this.onClose(port));
        this.setStatus({ state: 'open', error: null });
        resolve();
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.dispatch(this.framer.push(chunk));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.framer.inProgress) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.dispatch(this.framer.timeout());
      }, this.config.interByteTimeoutMs);
    }
  }

  private dispatch(events: FrameEvent[]): void {
    const receivedAt = Date.now();
    for (const event of events) {
      if (event.type === 'rejected') {
        this.emit('rejected', {
          reason: event.reason,
          preview: event.preview,
          length: event.length,
          receivedAt,
        });
        continue;
      }
      let verdict: ReturnType<ScanValidator> = { ok: true };
      try {
        verdict = this.deps.validate?.(event.text) ?? { ok: true };
      } catch (error) {
        verdict = {
          ok: false,
          reason: `validator_error: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      if (verdict.ok) this.emit('code', { text: event.text, receivedAt });
      else
        this.emit('rejected', {
          reason: verdict.reason,
          preview: event.text.slice(0, 40),
          length: event.text.length,
          receivedAt,
        });
    }
  }

  /** The scanner was unplugged (or the pty closed): retry until it is back or we are closed. */
  private onClose(port: SerialPortLike): void {
    if (this.port !== port) return;
    this.port = null;
    if (this.closed) return;
    this.setStatus({ state: 'error', error: 'scanner disconnected' });
    const retry = (): void => {
      this.reconnectTimer = null;
      if (this.closed) return;
      this.openPort().catch(() => {
        if (!this.closed) this.reconnectTimer = setTimeout(retry, this.config.reconnectDelayMs);
      });
    };
    this.reconnectTimer = setTimeout(retry, this.config.reconnectDelayMs);
  }

  private setStatus(status: ScannerStatus): void {
    if (status.state === this.current.state && status.error === this.current.error) return;
    this.current = status;
    this.emit('status', { ...status });
  }
}
