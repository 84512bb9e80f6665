import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscPosParser, type EscPosOp } from './escpos-parser.js';

const parseAll = (bytes: Uint8Array): EscPosOp[] => new EscPosParser().push(bytes);

/** Text split by a chunk boundary comes out as two text operations: join them to compare. */
function mergeText(ops: EscPosOp[]): EscPosOp[] {
  const out: EscPosOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.op === 'text' && last?.op === 'text')
      out[out.length - 1] = { op: 'text', bytes: Buffer.concat([last.bytes, op.bytes]) };
    else out.push(op);
  }
  return out;
}

describe('ESC/POS parser', () => {
  it('decodes text, styles, raster, QR, cut and status requests', () => {
    const bytes = Buffer.concat([
      Buffer.from([0x1b, 0x40, 0x1b, 0x74, 16, 0x1b, 0x61, 1, 0x1d, 0x21, 0x77, 0x1b, 0x45, 1]),
      Buffer.from('A042\n', 'latin1'),
      Buffer.from([0x1d, 0x76, 0x30, 0, 1, 0, 2, 0, 0xff, 0x81]),
      Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06]),
      Buffer.from([0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30, 0x61, 0x62, 0x63]),
      Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]),
      Buffer.from([0x10, 0x04, 0x02, 0x1d, 0x72, 0x01, 0x1d, 0x56, 0x00]),
    ]);
    expect(parseAll(bytes)).toEqual([
      { op: 'init' },
      { op: 'codePage', n: 16 },
      { op: 'align', value: 1 },
      { op: 'size', width: 8, height: 8 },
      { op: 'bold', on: true },
      { op: 'text', bytes: Buffer.from('A042') },
      { op: 'newline' },
      { op: 'raster', widthBytes: 1, height: 2, data: Buffer.from([0xff, 0x81]), scale: 1 },
      { op: 'qrModuleSize', n: 6 },
      { op: 'qrStore', data: Buffer.from('abc') },
      { op: 'qrPrint' },
      { op: 'realtimeStatus', n: 2 },
      { op: 'transmitStatus', n: 1 },
      { op: 'cut', partial: false },
    ]);
  });

  it('gives the same operations however the bytes are chunked', () => {
    const sample = Buffer.concat([
      Buffer.from([0x1b, 0x40, 0x1b, 0x61, 1]),
      Buffer.from('Hello\n'),
      Buffer.from([0x1d, 0x76, 0x30, 0, 2, 0, 3, 0, 1, 2, 3, 4, 5, 6]),
      Buffer.from([0x1d, 0x28, 0x6b, 0x05, 0x00, 0x31, 0x50, 0x30, 0x78, 0x79]),
      Buffer.from([0x10, 0x04, 0x01, 0x1d, 0x56, 0x41, 0x03]),
    ]);
    const whole = parseAll(sample);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: sample.length }), { maxLength: 10 }),
        (cuts) => {
          const parser = new EscPosParser();
          const ops: EscPosOp[] = [];
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          let from = 0;
          for (const to of [...points, sample.length]) {
            ops.push(...parser.push(sample.subarray(from, to)));
            from = to;
          }
          expect(mergeText(ops)).toEqual(whole);
          expect(parser.pendingBytes).toBe(0);
        },
      ),
    );
  });

  it('never throws on random bytes and never holds more than a bounded tail', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const parser = new EscPosParser();
        parser.push(bytes);
        // An unfinished command may wait for its data, but a huge claimed length is refused.
        expect(parser.pendingBytes).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('treats absurd lengths and unknown commands as unknown, not as something to wait for', () => {
    const ops = parseAll(
      Buffer.from([0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff, 0x1b, 0x01, 0x41]),
    );
    expect(ops.map((o) => o.op)).toEqual(['unknown', 'unknown', 'text']);
  });
});
