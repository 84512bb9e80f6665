import net from 'node:net';
import { PrinterDisconnectedError, PrinterTimeoutError } from '../errors.js';
import { InputBuffer, type PrinterTransport } from './transport.js';

/** Raw TCP ("JetDirect", port 9100): what nearly every network receipt printer speaks. */
export class TcpTransport implements PrinterTransport {
  readonly canRead = true;
  readonly description: string;
  private socket: net.Socket | null = null;
  private readonly input: InputBuffer;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.description = `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.input = new InputBuffer(this.description);
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  open(timeoutMs: number): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(
          new PrinterTimeoutError(`${this.description}: connect timed out after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // Small ticket writes must leave at once, not wait for Nagle.
        socket.setNoDelay(true);
        // Notice a printer that vanished without a FIN (power cut) on an idle connection.
        socket.setKeepAlive(true, 5000);
        this.socket = socket;
        resolve();
      });
      socket.on('data', (chunk: Buffer) => this.input.push(chunk));
      socket.on('error', (error) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(
            new PrinterDisconnectedError(`${this.description}: ${error.message}`, { cause: error }),
          );
        }
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = null;
        this.input.fail();
      });
    });
  }

  write(data: Uint8Array, timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      return Promise.reject(new PrinterDisconnectedError(`${this.description}: not connected`));
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const onClose = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new PrinterDisconnectedError(`${this.description}: connection lost while writing`));
      };
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.off('close', onClose);
        // A printer that stopped reading: part of the data may be in its buffer. The link is
        // no longer trustworthy, so drop it; the next attempt starts on a fresh connection.
        socket.destroy();
        reject(
          new PrinterTimeoutError(`${this.description}: write not accepted within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      socket.once('close', onClose);
      socket.write(data, (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('close', onClose);
        if (error)
          reject(
            new PrinterDisconnectedError(`${this.description}: ${error.message}`, { cause: error }),
          );
        else resolve();
      });
    });
  }

  read(length: number, timeoutMs: number): Promise<Buffer> {
    if (!this.isOpen)
      return Promise.reject(new PrinterDisconnectedError(`${this.description}: not connected`));
    return this.input.read(length, timeoutMs);
  }

  discardInput(): void {
    this.input.discard();
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.input.fail();
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}
