import fs from 'node:fs/promises';
import { PrinterDisconnectedError, PrinterStatusUnsupportedError } from '../errors.js';
import { withTimeout, type PrinterTransport } from './transport.js';

/**
 * A USB printer through the kernel's printer class driver (/dev/usb/lp0), or any writable file.
 *
 * Write-only on purpose: reading a character device blocks a libuv thread-pool thread until
 * the printer answers, and a printer that never answers would pin that thread forever (four
 * of them and every fs call of the hub stalls). So status is "unknown" over this transport and
 * the queue marks a job printed once the kernel accepted it. A write that hangs (printer off)
 * is abandoned after its timeout; the handle is closed so the next attempt starts clean.
 */
export class FileTransport implements PrinterTransport {
  readonly canRead = false;
  readonly description: string;
  private handle: fs.FileHandle | null = null;

  constructor(private readonly path: string) {
    this.description = `file:${path}`;
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  async open(timeoutMs: number): Promise<void> {
    if (this.handle) return;
    try {
      // 'a': never truncate (matters when pointed at a regular file for debugging).
      this.handle = await withTimeout(timeoutMs, `${this.description}: open timed out`, () =>
        fs.open(this.path, 'a'),
      );
    } catch (error) {
      if (error instanceof Error && 'code' in error) {
        throw new PrinterDisconnectedError(`${this.description}: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async write(data: Uint8Array, timeoutMs: number): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new PrinterDisconnectedError(`${this.description}: not open`);
    try {
      await withTimeout(
        timeoutMs,
        `${this.description}: write not accepted within ${timeoutMs} ms`,
        async () => {
          let offset = 0;
          while (offset < data.length) {
            const { bytesWritten } = await handle.write(data, offset);
            offset += bytesWritten;
          }
        },
        () => void this.close(),
      );
    } catch (error) {
      if (error instanceof Error && 'code' in error) {
        await this.close();
        throw new PrinterDisconnectedError(`${this.description}: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  read(): Promise<Buffer> {
    return Promise.reject(
      new PrinterStatusUnsupportedError(
        `${this.description}: status cannot be read from a device file`,
      ),
    );
  }

  discardInput(): void {}

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }
}
