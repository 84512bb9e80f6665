/**
 * Incremental ESC/POS parser for the emulator and the in-memory mock printer.
 *
 * Bytes arrive in arbitrary chunks (TCP segments, serial reads), so a command may be split
 * across calls: `push` returns the complete operations and keeps the incomplete tail. It never
 * throws: unknown or malformed input becomes `unknown` operations, because the emulator must
 * survive whatever a buggy driver sends (that is part of what it is for).
 */

export type EscPosOp =
  | { op: 'text'; bytes: Buffer }
  | { op: 'newline' }
  | { op: 'init' }
  | { op: 'feedLines'; lines: number }
  | { op: 'feedDots'; dots: number }
  | { op: 'printMode'; n: number }
  | { op: 'bold'; on: boolean }
  | { op: 'underline'; n: number }
  | { op: 'align'; value: 0 | 1 | 2 }
  | { op: 'codePage'; n: number }
  | { op: 'font'; n: number }
  | { op: 'size'; width: number; height: number }
  | { op: 'invert'; on: boolean }
  | { op: 'lineSpacing'; dots: number | null }
  | { op: 'cut'; partial: boolean }
  | { op: 'raster'; widthBytes: number; height: number; data: Buffer; scale: number }
  | { op: 'qrModel'; n: number }
  | { op: 'qrModuleSize'; n: number }
  | { op: 'qrEcc'; n: number }
  | { op: 'qrStore'; data: Buffer }
  | { op: 'qrPrint' }
  | { op: 'realtimeStatus'; n: number }
  | { op: 'transmitStatus'; n: number }
  | { op: 'ignored'; bytes: Buffer }
  | { op: 'unknown'; bytes: Buffer };

/** Larger single commands than this are treated as garbage rather than waited for. */
const MAX_COMMAND_BYTES = 4 * 1024 * 1024;

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const FS = 0x1c;
const LF = 0x0a;

// Fixed-length ESC commands we only need to skip: command byte → parameter count.
const ESC_IGNORED: Record<number, number> = {
  0x20: 1, // ESC SP n  right-side character spacing
  0x24: 2, // ESC $ nL nH  absolute position
  0x25: 1, // ESC % n  user-defined characters
  0x3d: 1, // ESC = n  select peripheral
  0x3f: 1, // ESC ? n  cancel user-defined character
  0x42: 2, // ESC B n t  buzzer
  0x47: 1, // ESC G n  double-strike
  0x52: 1, // ESC R n  international character set
  0x54: 1, // ESC T n  print direction (page mode)
  0x55: 1, // ESC U n  unidirectional
  0x56: 1, // ESC V n  90° rotation
  0x5c: 2, // ESC \ nL nH  relative position
  0x63: 2, // ESC c x n  panel buttons / sensors
  0x70: 3, // ESC p m t1 t2  drawer kick
  0x72: 1, // ESC r n  colour
  0x7b: 1, // ESC { n  upside down
  0x4c: 0, // ESC L  page mode
  0x53: 0, // ESC S  standard mode
  0x0c: 0, // ESC FF  print page mode data
};

// Fixed-length GS commands we only need to skip.
const GS_IGNORED: Record<number, number> = {
  0x2f: 1, // GS / m  print downloaded image
  0x24: 2, // GS $  vertical position
  0x3a: 0, // GS :  macro
  0x48: 1, // GS H n  HRI position
  0x49: 1, // GS I n  printer id (not answered)
  0x4c: 2, // GS L  left margin
  0x50: 2, // GS P  motion units
  0x57: 2, // GS W  print area width
  0x5c: 2, // GS \  relative vertical position
  0x61: 1, // GS a n  automatic status back (not emulated)
  0x62: 1, // GS b n  smoothing
  0x66: 1, // GS f n  HRI font
  0x68: 1, // GS h n  bar code height
  0x77: 1, // GS w n  bar code width
};

type Parsed = { op: EscPosOp; length: number } | 'incomplete';

export class EscPosParser {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns every operation completed by them. */
  push(chunk: Uint8Array): EscPosOp[] {
    this.pending =
      this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const ops: EscPosOp[] = [];
    let offset = 0;
    while (offset < this.pending.length) {
      const parsed = parseOne(this.pending, offset);
      if (parsed === 'incomplete') break;
      ops.push(parsed.op);
      offset += parsed.length;
    }
    this.pending = this.pending.subarray(offset);
    return ops;
  }

  /** Bytes of an unfinished command (e.g. the connection dropped in the middle of an image). */
  get pendingBytes(): number {
    return this.pending.length;
  }
}

function unknown(buf: Buffer, at: number, length: number): Parsed {
  return { op: { op: 'unknown', bytes: Buffer.from(buf.subarray(at, at + length)) }, length };
}

function ignored(buf: Buffer, at: number, length: number): Parsed {
  if (at + length > buf.length) return 'incomplete';
  return { op: { op: 'ignored', bytes: Buffer.from(buf.subarray(at, at + length)) }, length };
}

function parseOne(buf: Buffer, at: number): Parsed {
  const b = buf[at]!;
  if (b >= 0x20) {
    let end = at;
    while (end < buf.length && buf[end]! >= 0x20) end++;
    return { op: { op: 'text', bytes: Buffer.from(buf.subarray(at, end)) }, length: end - at };
  }
  switch (b) {
    case LF:
      return { op: { op: 'newline' }, length: 1 };
    case 0x0d: // CR: printers configured for LF-only ignore it
    case 0x09: // HT: no tab stops emulated
    case 0x0c: // FF: page mode only
    case 0x00:
      return ignored(buf, at, 1);
    case ESC:
      return parseEsc(buf, at);
    case GS:
      return parseGs(buf, at);
    case DLE:
      return parseDle(buf, at);
    case FS:
      return parseFs(buf, at);
    default:
      return unknown(buf, at, 1);
  }
}

function need(buf: Buffer, at: number, length: number): boolean {
  return at + length <= buf.length;
}

function parseEsc(buf: Buffer, at: number): Parsed {
  if (!need(buf, at, 2)) return 'incomplete';
  const cmd = buf[at + 1]!;
  const p = (i: number): number => buf[at + 2 + i]!;
  const withParams = (count: number, make: () => EscPosOp): Parsed =>
    need(buf, at, 2 + count) ? { op: make(), length: 2 + count } : 'incomplete';
  switch (cmd) {
    case 0x40: // ESC @
      return { op: { op: 'init' }, length: 2 };
    case 0x21: // ESC ! n
      return withParams(1, () => ({ op: 'printMode', n: p(0) }));
    case 0x45: // ESC E n
      return withParams(1, () => ({ op: 'bold', on: (p(0) & 1) === 1 }));
    case 0x2d: // ESC - n
      return withParams(1, () => ({ op: 'underline', n: p(0) % 48 }));
    case 0x61: // ESC a n
      return withParams(1, () => {
        const n = p(0) % 48;
        return { op: 'align', value: n === 1 ? 1 : n === 2 ? 2 : 0 };
      });
    case 0x74: // ESC t n
      return withParams(1, () => ({ op: 'codePage', n: p(0) }));
    case 0x4d: // ESC M n
      return withParams(1, () => ({ op: 'font', n: p(0) % 48 }));
    case 0x64: // ESC d n
      return withParams(1, () => ({ op: 'feedLines', lines: p(0) }));
    case 0x4a: // ESC J n
      return withParams(1, () => ({ op: 'feedDots', dots: p(0) }));
    case 0x32: // ESC 2
      return { op: { op: 'lineSpacing', dots: null }, length: 2 };
    case 0x33: // ESC 3 n
      return withParams(1, () => ({ op: 'lineSpacing', dots: p(0) }));
    case 0x69: // ESC i (full cut, older printers)
      return { op: { op: 'cut', partial: false }, length: 2 };
    case 0x6d: // ESC m (partial cut)
      return { op: { op: 'cut', partial: true }, length: 2 };
    case 0x44: {
      // ESC D n1..nk NUL: tab positions (at most 32)
      for (let i = at + 2; i < Math.min(buf.length, at + 2 + 33); i++) {
        if (buf[i] === 0) return ignored(buf, at, i - at + 1);
      }
      return buf.length - at >= 35 ? unknown(buf, at, 2) : 'incomplete';
    }
    case 0x2a: {
      // ESC * m nL nH d1..dk: column bit image (not drawn, but its data must be skipped)
      if (!need(buf, at, 5)) return 'incomplete';
      const m = p(0);
      const n = p(1) + p(2) * 256;
      const length = 5 + (m === 32 || m === 33 ? 3 * n : n);
      return ignored(buf, at, length);
    }
    default: {
      const count = ESC_IGNORED[cmd];
      if (count !== undefined) return ignored(buf, at, 2 + count);
      return unknown(buf, at, 2);
    }
  }
}

function parseGs(buf: Buffer, at: number): Parsed {
  if (!need(buf, at, 2)) return 'incomplete';
  const cmd = buf[at + 1]!;
  const p = (i: number): number => buf[at + 2 + i]!;
  switch (cmd) {
    case 0x21: // GS ! n: character size, high nibble width, low nibble height
      if (!need(buf, at, 3)) return 'incomplete';
      return {
        op: { op: 'size', width: ((p(0) >> 4) & 7) + 1, height: (p(0) & 7) + 1 },
        length: 3,
      };
    case 0x42: // GS B n
      if (!need(buf, at, 3)) return 'incomplete';
      return { op: { op: 'invert', on: (p(0) & 1) === 1 }, length: 3 };
    case 0x56: {
      // GS V m [n]
      if (!need(buf, at, 3)) return 'incomplete';
      const m = p(0);
      const hasFeed = [65, 66, 97, 98, 103, 104].includes(m);
      const length = hasFeed ? 4 : 3;
      if (!need(buf, at, length)) return 'incomplete';
      return { op: { op: 'cut', partial: m % 2 === 1 || m === 66 || m === 98 }, length };
    }
    case 0x72: // GS r n: transmit status, answered in sequence with print data
      if (!need(buf, at, 3)) return 'incomplete';
      return { op: { op: 'transmitStatus', n: p(0) % 48 }, length: 3 };
    case 0x76: {
      // GS v 0 m xL xH yL yH d1..dk: raster bit image
      if (!need(buf, at, 8)) return 'incomplete';
      if (p(0) !== 0x30) return unknown(buf, at, 3);
      const m = p(1) % 48;
      const widthBytes = p(2) + p(3) * 256;
      const height = p(4) + p(5) * 256;
      const dataLength = widthBytes * height;
      if (dataLength > MAX_COMMAND_BYTES || widthBytes === 0 || height === 0) {
        return unknown(buf, at, 8);
      }
      if (!need(buf, at, 8 + dataLength)) return 'incomplete';
      return {
        op: {
          op: 'raster',
          widthBytes,
          height,
          // m=1/2/3 double width/height; we keep 1:1 except for the quadruple mode
          scale: m === 3 ? 2 : 1,
          data: Buffer.from(buf.subarray(at + 8, at + 8 + dataLength)),
        },
        length: 8 + dataLength,
      };
    }
    case 0x28: {
      // GS ( X pL pH ...: every function in this family is length-prefixed
      if (!need(buf, at, 5)) return 'incomplete';
      const family = p(0);
      const length = 5 + p(1) + p(2) * 256;
      if (!need(buf, at, length)) return 'incomplete';
      if (family !== 0x6b || length < 7) return ignored(buf, at, length);
      const cn = p(3);
      const fn = p(4);
      if (cn !== 0x31) return ignored(buf, at, length); // not QR (PDF417, MaxiCode...)
      const arg = length > 7 ? p(5) : 0;
      switch (fn) {
        case 0x41:
          return { op: { op: 'qrModel', n: arg }, length };
        case 0x43:
          return { op: { op: 'qrModuleSize', n: arg }, length };
        case 0x45:
          return { op: { op: 'qrEcc', n: arg % 48 }, length };
        case 0x50: // store: the data starts after m (0x30)
          return {
            op: { op: 'qrStore', data: Buffer.from(buf.subarray(at + 8, at + length)) },
            length,
          };
        case 0x51:
          return { op: { op: 'qrPrint' }, length };
        default:
          return ignored(buf, at, length);
      }
    }
    case 0x6b: {
      // GS k m ...: 1D bar code
      if (!need(buf, at, 3)) return 'incomplete';
      const m = p(0);
      if (m <= 6) {
        for (let i = at + 3; i < Math.min(buf.length, at + 3 + 256); i++) {
          if (buf[i] === 0) return ignored(buf, at, i - at + 1);
        }
        return buf.length - at >= 259 ? unknown(buf, at, 3) : 'incomplete';
      }
      if (!need(buf, at, 4)) return 'incomplete';
      return ignored(buf, at, 4 + p(1));
    }
    case 0x2a: {
      // GS * x y d1..d(x*y*8): define downloaded bit image
      if (!need(buf, at, 4)) return 'incomplete';
      return ignored(buf, at, 4 + p(0) * p(1) * 8);
    }
    default: {
      const count = GS_IGNORED[cmd];
      if (count !== undefined) return ignored(buf, at, 2 + count);
      return unknown(buf, at, 2);
    }
  }
}

function parseDle(buf: Buffer, at: number): Parsed {
  if (!need(buf, at, 2)) return 'incomplete';
  const cmd = buf[at + 1]!;
  switch (cmd) {
    case 0x04: // DLE EOT n: real-time status
      if (!need(buf, at, 3)) return 'incomplete';
      return { op: { op: 'realtimeStatus', n: buf[at + 2]! }, length: 3 };
    case 0x05: // DLE ENQ n: real-time request (recover, clear buffers)
      return ignored(buf, at, 3);
    case 0x14: // DLE DC4 fn a b
      return ignored(buf, at, 5);
    default:
      return unknown(buf, at, 2);
  }
}

function parseFs(buf: Buffer, at: number): Parsed {
  if (!need(buf, at, 2)) return 'incomplete';
  const cmd = buf[at + 1]!;
  switch (cmd) {
    case 0x2e: // FS .  cancel Kanji mode
    case 0x26: // FS &  Kanji mode
      return ignored(buf, at, 2);
    case 0x21: // FS ! n
    case 0x2d: // FS - n
    case 0x43: // FS C n
    case 0x57: // FS W n
      return ignored(buf, at, 3);
    case 0x70: // FS p n m: print NV bit image
    case 0x53: // FS S n1 n2
      return ignored(buf, at, 4);
    case 0x28: {
      if (!need(buf, at, 5)) return 'incomplete';
      return ignored(buf, at, 5 + buf[at + 3]! + buf[at + 4]! * 256);
    }
    default:
      return unknown(buf, at, 2);
  }
}
