import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent } from '../testing/helpers.js';
import {
  ScannerReader,
  type ScanCode,
  type ScanRejected,
  type ScannerStatus,
  type ScanValidator,
} from './scanner-reader.js';

const MockBinding = SerialPortMock.binding;
let port: SerialPortMock | null = null;
let reader: ScannerReader | null = null;
afterEach(async () => {
  await reader?.close();
  reader = null;
  MockBinding.reset();
});

async function open(validate?: ScanValidator): Promise<ScannerReader> {
  MockBinding.createPort('/dev/ttyACM0', { echo: false, record: false });
  reader = await ScannerReader.open(
    { path: '/dev/ttyACM0', interByteTimeoutMs: 30, reconnectDelayMs: 50 },
    {
      validate,
      serialPortFactory: (o) => {
        port = new SerialPortMock({ ...o, autoOpen: false });
        return port;
      },
    },
  );
  return reader;
}

describe('ScannerReader (binding-mock)', () => {
  it('emits codes and validator rejections, and survives a throwing validator', async () => {
    const r = await open((text) => {
      if (text === 'BOOM') throw new Error('bug');
      return text.startsWith('G') ? { ok: true } : { ok: false, reason: 'unknown_code' };
    });
    const code = nextEvent<ScanCode>(r, 'code');
    port!.port!.emitData(Buffer.from('GA1\r'));
    expect((await code).text).toBe('GA1');
    let rejected = nextEvent<ScanRejected>(r, 'rejected');
    port!.port!.emitData(Buffer.from('XYZ\r'));
    expect((await rejected).reason).toBe('unknown_code');
    rejected = nextEvent<ScanRejected>(r, 'rejected');
    port!.port!.emitData(Buffer.from('BOOM\r'));
    expect((await rejected).reason).toMatch(/^validator_error/);
  });

  it('rejects half a code after the inter-byte timeout', async () => {
    const r = await open();
    const rejected = nextEvent<ScanRejected>(r, 'rejected');
    port!.port!.emitData(Buffer.from('GA1-12'));
    expect(await rejected).toMatchObject({ reason: 'incomplete', preview: 'GA1-12' });
  });

  it('reopens the port after the scanner is unplugged', async () => {
    const r = await open();
    const lost = nextEvent<ScannerStatus>(r, 'status', (s) => s.state === 'error');
    const back = nextEvent<ScannerStatus>(r, 'status', (s) => s.state === 'open', 3000);
    const first = port!;
    first.close();
    await lost;
    await back;
    expect(port).not.toBe(first);
    const code = nextEvent<ScanCode>(r, 'code');
    port!.port!.emitData(Buffer.from('AGAIN\n'));
    expect((await code).text).toBe('AGAIN');
  });

  it('fails to open a missing device with its error', async () => {
    await expect(
      ScannerReader.open(
        { path: '/dev/ttyNONE' },
        { serialPortFactory: (o) => new SerialPortMock({ ...o, autoOpen: false }) },
      ),
    ).rejects.toThrow(/does not exist/);
  });
});
