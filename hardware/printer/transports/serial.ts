import { SerialPort, type SerialPortMock } from 'serialport';
import { PrinterDisconnectedError } from '../errors.js';
import { InputBuffer, withTimeout, type PrinterTransport } from './transport.js';

/** The serialport classes we accept: the real one, or SerialPortMock (binding-mock) in tests. */
export type SerialPortLike = SerialPort | SerialPortMock;
export type SerialPortFactory = (options: { path: string; baudRate: number }) => SerialPortLike;

export const defaultSerialPortFactory: SerialPortFactory = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

/** A printer on a serial line (RS-232 or USB CDC, /dev/ttyUSB0, /dev/ttyACM0). */
export class SerialTransport implements PrinterTransport {
  readonly canRead = true;
  readonly description: string;
  private port: SerialPortLike | null = null;
  private readonly input: InputBuffer;

  constructor(
    private readonly path: string,
    private readonly baudRate: number,
    private readonly factory: SerialPortFactory = defaultSerialPortFactory,
  ) {
    this.description = `serial:${path}?baud=${baudRate}`;
    this.input = new InputBuffer(this.description);
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(timeoutMs: number): Promise<void> {
    if (this.isOpen) return;
    const port = this.factory({ path: this.path, baudRate: this.baudRate });
    port.on('data', (chunk: Buffer) => this.input.push(chunk));
    port.on('close', () => {
      if (this.port === port) this.port = null;
      this.input.fail();
    });
    // Errors after open surface through 'close' and failed writes; keep them from crashing us.
    port.on('error', () => undefined);
    await withTimeout(
      timeoutMs,
      `${this.description}: open timed out after ${timeoutMs} ms`,
      () =>
        new Promise<void>((resolve, reject) =>
          port.open((error) =>
            error
              ? reject(
                  new PrinterDisconnectedError(`${this.description}: ${error.message}`, {
                    cause: error,
                  }),
                )
              : resolve(),
          ),
        ),
      () => {
        if (port.isOpen) port.close();
      },
    );
    this.port = port;
  }

  async write(data: Uint8Array, timeoutMs: number): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) throw new PrinterDisconnectedError(`${this.description}: not open`);
    await withTimeout(
      timeoutMs,
      `${this.description}: write not drained within ${timeoutMs} ms`,
      () =>
        new Promise<void>((resolve, reject) => {
          port.write(Buffer.from(data), (error) => {
            if (error)
              reject(
                new PrinterDisconnectedError(`${this.description}: ${error.message}`, {
                  cause: error,
                }),
              );
          });
          // drain: the bytes left the OS buffer towards the printer (flow control permitting).
          port.drain((error) =>
            error
              ? reject(
                  new PrinterDisconnectedError(`${this.description}: ${error.message}`, {
                    cause: error,
                  }),
                )
              : resolve(),
          );
        }),
      () => void this.close(),
    );
  }

  read(length: number, timeoutMs: number): Promise<Buffer> {
    if (!this.isOpen)
      return Promise.reject(new PrinterDisconnectedError(`${this.description}: not open`));
    return this.input.read(length, timeoutMs);
  }

  discardInput(): void {
    this.input.discard();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.input.fail();
    if (!port || !port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
