import type { PrinterTarget } from '../url.js';
import { FileTransport } from './file.js';
import { MockTransport } from './mock.js';
import { SerialTransport, type SerialPortFactory } from './serial.js';
import { TcpTransport } from './tcp.js';
import type { PrinterTransport } from './transport.js';

export type { PrinterTransport } from './transport.js';

export interface TransportDeps {
  /** Replaces serialport (tests pass SerialPortMock). */
  serialPortFactory?: SerialPortFactory;
}

/** A transport for a parsed printer URL (not yet open). */
export function createTransport(target: PrinterTarget, deps: TransportDeps = {}): PrinterTransport {
  switch (target.kind) {
    case 'tcp':
      return new TcpTransport(target.host, target.port);
    case 'serial':
      return new SerialTransport(target.path, target.baudRate, deps.serialPortFactory);
    case 'file':
      return new FileTransport(target.path);
    case 'mock':
      return new MockTransport(target.name);
  }
}
