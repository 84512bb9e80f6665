import { describe, expect, it } from 'vitest';
import { PrinterProtocolError } from './errors.js';
import {
  encodeStatusBytes,
  isReady,
  isTransmitStatusByte,
  notReadyReason,
  parseStatusBytes,
  STATUS_QUERY,
  type PrinterStatusFlags,
} from './status.js';

const ok: PrinterStatusFlags = {
  online: true,
  coverOpen: false,
  paperNearEnd: false,
  paperOut: false,
  error: false,
};

describe('DLE EOT status', () => {
  it('queries n = 1..4', () => {
    expect([...STATUS_QUERY]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 3, 0x10, 4, 4]);
  });

  it('parses real answers of an idle TM printer', () => {
    expect(parseStatusBytes(Buffer.from([0x16, 0x12, 0x12, 0x12]))).toEqual(ok); // drawer bit set: ignored
    expect(isReady(parseStatusBytes(Buffer.from([0x12, 0x12, 0x12, 0x12])))).toBe(true);
  });

  it('decodes each condition', () => {
    expect(parseStatusBytes(Buffer.from([0x1a, 0x12, 0x12, 0x12]))).toMatchObject({
      online: false,
    });
    expect(parseStatusBytes(Buffer.from([0x1a, 0x16, 0x12, 0x12]))).toMatchObject({
      coverOpen: true,
    });
    expect(parseStatusBytes(Buffer.from([0x1a, 0x32, 0x12, 0x72]))).toMatchObject({
      paperOut: true,
    });
    expect(parseStatusBytes(Buffer.from([0x12, 0x12, 0x12, 0x1e]))).toMatchObject({
      paperNearEnd: true,
      paperOut: false,
    });
    expect(parseStatusBytes(Buffer.from([0x1a, 0x52, 0x1a, 0x12]))).toMatchObject({ error: true });
  });

  it('round-trips every combination through the emulator encoding', () => {
    for (let mask = 0; mask < 32; mask++) {
      const flags: PrinterStatusFlags = {
        online: (mask & 1) === 0,
        coverOpen: (mask & 2) !== 0,
        paperNearEnd: (mask & 4) !== 0,
        paperOut: (mask & 8) !== 0,
        error: (mask & 16) !== 0,
      };
      const parsed = parseStatusBytes(encodeStatusBytes(flags));
      expect(parsed.coverOpen).toBe(flags.coverOpen);
      expect(parsed.paperOut).toBe(flags.paperOut);
      expect(parsed.error).toBe(flags.error);
      expect(parsed.paperNearEnd).toBe(flags.paperNearEnd || flags.paperOut);
      expect(isReady(parsed)).toBe(isReady(flags));
    }
  });

  it('refuses bytes that are not status answers', () => {
    expect(() => parseStatusBytes(Buffer.from([0x41, 0x12, 0x12, 0x12]))).toThrow(
      PrinterProtocolError,
    );
    expect(() => parseStatusBytes(Buffer.from([0x12, 0x12]))).toThrow(/4 status bytes/);
  });

  it('names the reason a printer is not ready, most useful first', () => {
    expect(notReadyReason(ok)).toBeNull();
    expect(notReadyReason({ ...ok, online: false, paperOut: true, coverOpen: true })).toBe(
      'paper_out',
    );
    expect(notReadyReason({ ...ok, online: false, coverOpen: true })).toBe('cover_open');
    expect(notReadyReason({ ...ok, online: false })).toBe('offline');
    expect(isTransmitStatusByte(0x00)).toBe(true);
    expect(isTransmitStatusByte(0x12)).toBe(false);
  });
});
