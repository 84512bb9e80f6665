import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScannerUrl } from './config.js';
import { ScanFramer, type FrameEvent } from './framer.js';

const feed = (framer: ScanFramer, s: string | number[]): FrameEvent[] =>
  framer.push(typeof s === 'string' ? Buffer.from(s, 'latin1') : Uint8Array.from(s));

describe('scan framer', () => {
  it('ends codes at CR, LF or CRLF (one code per pair)', () => {
    const f = new ScanFramer('crlf', 64);
    expect(feed(f, 'ABC\r\nDEF\rGHI\n\n')).toEqual([
      { type: 'code', text: 'ABC' },
      { type: 'code', text: 'DEF' },
      { type: 'code', text: 'GHI' },
    ]);
  });

  it('joins a code split across reads', () => {
    const f = new ScanFramer('cr', 64);
    expect(feed(f, 'GA1-')).toEqual([]);
    expect(f.inProgress).toBe(true);
    expect(feed(f, 'X\r')).toEqual([{ type: 'code', text: 'GA1-X' }]);
  });

  it('without suffix, silence ends the code; with suffix, silence means half a code', () => {
    const none = new ScanFramer('none', 64);
    feed(none, 'ABC');
    expect(none.timeout()).toEqual([{ type: 'code', text: 'ABC' }]);
    const cr = new ScanFramer('cr', 64);
    feed(cr, 'ABC');
    expect(cr.timeout()).toEqual([
      { type: 'rejected', reason: 'incomplete', preview: 'ABC', length: 3 },
    ]);
    expect(cr.timeout()).toEqual([]);
  });

  it('refuses overlong and non-printable input with an escaped preview', () => {
    const f = new ScanFramer('cr', 4);
    expect(feed(f, 'ABCDEFGH\r')).toMatchObject([
      { type: 'rejected', reason: 'too_long', length: 8 },
    ]);
    expect(feed(f, [0x41, 0x00, 0xff, 0x5c, 0x0d])).toEqual([
      { type: 'rejected', reason: 'not_printable', preview: 'A\\x00\\xff\\x5c', length: 4 },
    ]);
  });

  it('never throws and keeps memory bounded on random bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.constantFrom('cr', 'lf', 'crlf', 'none' as const),
        (chunks, suffix) => {
          const f = new ScanFramer(suffix, 32);
          for (const chunk of chunks) {
            for (const e of f.push(chunk)) {
              if (e.type === 'code') expect(e.text).toMatch(/^[\x20-\x7e]{1,32}$/);
              else expect(e.preview.length).toBeLessThanOrEqual(41 * 4);
            }
          }
          f.timeout();
        },
      ),
    );
  });
});

describe('scanner URL', () => {
  it('parses options with defaults', () => {
    expect(parseScannerUrl('serial:/dev/ttyACM0?baud=9600')).toEqual({
      path: '/dev/ttyACM0',
      baudRate: 9600,
      suffix: 'cr',
      interByteTimeoutMs: 50,
      maxLength: 64,
      reconnectDelayMs: 1000,
    });
    expect(parseScannerUrl('serial:/dev/ttyUSB1?suffix=none&timeout=80&max=30')).toMatchObject({
      suffix: 'none',
      interByteTimeoutMs: 80,
      maxLength: 30,
    });
  });

  it.each([
    ['tcp://x', /expected serial:/],
    ['serial:/dev/ttyACM0?baud=1', /baud/],
    ['serial:/dev/ttyACM0?suffix=tab', /suffix/],
    ['serial:/dev/ttyACM0?colour=red', /unknown option/],
    ['serial:relative', /absolute/],
    ['serial:/dev/ttyACM0?timeout=0', /timeout|interByte/],
  ])('refuses %s', (url, reason) => {
    expect(() => parseScannerUrl(url)).toThrow(reason);
  });
});
