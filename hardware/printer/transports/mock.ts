import { EscPosDevice, type PrinterFaults } from '../../sim/escpos-device.js';
import { PrinterDisconnectedError } from '../errors.js';
import { InputBuffer, withTimeout, type PrinterTransport } from './transport.js';

/**
 * In-memory printers for tests, like @serialport/binding-mock: create one by name, then open
 * `mock:<name>`. It is the emulator's printer (same parser, same fault modes) without a socket.
 */
export class MockPrinter {
  private static readonly registry = new Map<string, MockPrinter>();
  readonly device: EscPosDevice;
  /** Unplugged: opening fails and open transports are dropped. */
  private plugged = true;
  private readonly transports = new Set<MockTransport>();

  private constructor(
    readonly name: string,
    faults: Partial<PrinterFaults>,
  ) {
    this.device = new EscPosDevice(faults);
  }

  static create(name: string, faults: Partial<PrinterFaults> = {}): MockPrinter {
    const printer = new MockPrinter(name, faults);
    MockPrinter.registry.set(name, printer);
    return printer;
  }

  static get(name: string): MockPrinter | undefined {
    return MockPrinter.registry.get(name);
  }

  /** Forgets every mock printer (afterEach). */
  static reset(): void {
    for (const printer of MockPrinter.registry.values()) printer.unplug();
    MockPrinter.registry.clear();
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  unplug(): void {
    this.plugged = false;
    for (const transport of [...this.transports]) transport.drop();
  }

  plug(): void {
    this.plugged = true;
  }

  /** @internal */
  attach(transport: MockTransport): ReturnType<EscPosDevice['openSession']> {
    if (!this.plugged) throw new PrinterDisconnectedError(`mock:${this.name}: unplugged`);
    this.transports.add(transport);
    return this.device.openSession({
      send: (data) => transport.deliver(data),
      unplug: () => this.unplug(),
    });
  }

  /** @internal */
  detach(transport: MockTransport): void {
    this.transports.delete(transport);
  }
}

export class MockTransport implements PrinterTransport {
  readonly canRead = true;
  readonly description: string;
  private session: ReturnType<EscPosDevice['openSession']> | null = null;
  private readonly input: InputBuffer;

  constructor(private readonly name: string) {
    this.description = `mock:${name}`;
    this.input = new InputBuffer(this.description);
  }

  get isOpen(): boolean {
    return this.session !== null;
  }

  async open(timeoutMs: number): Promise<void> {
    if (this.session) return;
    const printer = MockPrinter.get(this.name);
    if (!printer) throw new PrinterDisconnectedError(`${this.description}: no such mock printer`);
    await withTimeout(timeoutMs, `${this.description}: open timed out`, async () => {
      this.session = printer.attach(this);
    });
  }

  async write(data: Uint8Array, _timeoutMs: number): Promise<void> {
    const session = this.session;
    if (!session) throw new PrinterDisconnectedError(`${this.description}: not open`);
    // Like a socket: the write completes before the printer reacts.
    await Promise.resolve();
    session.receive(Buffer.from(data));
    if (!this.session)
      throw new PrinterDisconnectedError(`${this.description}: unplugged while writing`);
  }

  read(length: number, timeoutMs: number): Promise<Buffer> {
    if (!this.session)
      return Promise.reject(new PrinterDisconnectedError(`${this.description}: not open`));
    return this.input.read(length, timeoutMs);
  }

  discardInput(): void {
    this.input.discard();
  }

  async close(): Promise<void> {
    this.drop();
  }

  /** @internal the printer answers */
  deliver(data: Buffer): void {
    // Asynchronous like a wire, so a read issued right after a write still sees the answer.
    setImmediate(() => {
      if (this.session) this.input.push(data);
    });
  }

  /** @internal the link is gone */
  drop(): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    MockPrinter.get(this.name)?.detach(this);
    session.end();
    this.input.fail();
  }
}
