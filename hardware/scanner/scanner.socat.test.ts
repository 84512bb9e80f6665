import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCode, verifyCode } from '../codes/signed-code.js';
import { VirtualScanner } from '../sim/scanner-sim.js';
import { nextEvent } from '../testing/helpers.js';
import { ScannerReader, type ScanCode, type ScanRejected } from './scanner-reader.js';

/** A real serial line: socat pty pair, the reader on one end (bindings-cpp), codes typed in the other. */

const SECRET = 'branch-secret-for-tests-0001';
let scanner: VirtualScanner;
let reader: ScannerReader;
const codes: ScanCode[] = [];
const rejected: ScanRejected[] = [];

beforeAll(async () => {
  scanner = await VirtualScanner.start();
  reader = await ScannerReader.open(
    {
      path: scanner.readerPath,
      baudRate: 9600,
      suffix: 'cr',
      interByteTimeoutMs: 60,
      maxLength: 40,
    },
    { validate: (text) => verifyCode(text, SECRET) },
  );
  reader.on('code', (c) => codes.push(c));
  reader.on('rejected', (r) => rejected.push(r));
});
afterAll(async () => {
  await reader?.close();
  await scanner?.stop();
});

const nextCode = (): Promise<ScanCode> => nextEvent<ScanCode>(reader, 'code');
const nextRejected = (): Promise<ScanRejected> => nextEvent<ScanRejected>(reader, 'rejected');

describe('serial scanner through socat ptys', () => {
  it('emits a valid signed code', async () => {
    const code = signCode('appointment', 'RDV2026', SECRET);
    const got = nextCode();
    await scanner.type(code);
    expect((await got).text).toBe(code);
  });

  it('refuses forged, truncated and random input, and keeps working', async () => {
    const valid = signCode('ticket', 'A042', SECRET);
    const forged = `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`;

    let r = nextRejected();
    await scanner.type(forged);
    expect((await r).reason).toBe('bad_signature');

    r = nextRejected();
    await scanner.type(valid.slice(0, 12)); // cut short, with suffix
    expect((await r).reason).toBe('malformed');

    r = nextRejected();
    await scanner.type(valid.slice(0, 9), { suffix: 'none' }); // half a code, then silence
    expect((await r).reason).toBe('incomplete');

    r = nextRejected();
    await scanner.send(Buffer.from([0x00, 0xff, 0x1b, 0x80, 0x41, 0x07, 0xfe, 0x0d]));
    expect((await r).reason).toBe('not_printable');

    r = nextRejected();
    await scanner.type('X'.repeat(500));
    expect(await r).toMatchObject({ reason: 'too_long', length: 500 });

    const ok = nextCode();
    await scanner.type(valid, { suffix: 'crlf' });
    expect((await ok).text).toBe(valid);
    expect(reader.status().state).toBe('open');
  });
});
