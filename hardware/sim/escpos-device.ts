import { EventEmitter } from 'node:events';
import { decodeCp1252 } from '../printer/codepage.js';
import {
  encodeStatusByte,
  encodeTransmitStatus,
  isReady,
  type PrinterStatusFlags,
} from '../printer/status.js';
import { EscPosParser, type EscPosOp } from './escpos-parser.js';

/**
 * The printer itself, minus the wire: takes ESC/POS bytes, answers status requests according to
 * its fault mode and assembles what it "prints" into tickets. The TCP emulator and the in-memory
 * mock transport both drive one of these, so tests over either see the same printer.
 */

export const PRINTER_MODES = [
  'normal',
  'paper-out',
  'offline',
  'cover-open',
  'black-hole',
] as const;
export type PrinterMode = (typeof PRINTER_MODES)[number];

export interface PrinterFaults {
  mode: PrinterMode;
  /** Every answer and every print is delayed by this many ms (a slow or busy printer). */
  slowMs: number;
  paperNearEnd: boolean;
  /**
   * One-shot fault: after this many more bytes are received, the printer is "unplugged" (the
   * emulator closes every connection and stops listening) and the rest is lost.
   */
  unplugAfterBytes: number | null;
}

export const DEFAULT_FAULTS: PrinterFaults = {
  mode: 'normal',
  slowMs: 0,
  paperNearEnd: false,
  unplugAfterBytes: null,
};

export type Align = 'left' | 'center' | 'right';

export interface TextSegment {
  text: string;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  widthMul: number;
  heightMul: number;
  fontB: boolean;
}

export type TicketItem =
  | { kind: 'text'; align: Align; segments: TextSegment[]; lineHeight: number }
  | { kind: 'feed'; dots: number }
  | { kind: 'raster'; align: Align; width: number; height: number; data: Buffer; scale: number }
  | { kind: 'qr'; align: Align; data: string; moduleSize: number; ecc: 'L' | 'M' | 'Q' | 'H' };

/** One ticket as the printer received it. */
export interface DecodedTicket {
  /** 1, 2, 3... in order of completion on this printer. */
  seq: number;
  receivedAt: number;
  /** True when it ended with a cut; false for a fragment cut short by a disconnect. */
  complete: boolean;
  items: TicketItem[];
  /** The text lines, one per printed line (raster and QR not included). */
  lines: string[];
  /** Data of every QR code printed. */
  qrCodes: string[];
  rasterCount: number;
  /** Text bytes the active code page could not decode: what a real printer prints as garbage. */
  undecodableChars: number;
  unknownCommands: number;
  bytes: Buffer;
}

interface TextState {
  align: Align;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  widthMul: number;
  heightMul: number;
  fontB: boolean;
  codePage: number;
  lineSpacing: number | null;
  qrModuleSize: number;
  qrEcc: 'L' | 'M' | 'Q' | 'H';
  qrData: string | null;
}

const DEFAULT_LINE_SPACING = 30; // ESC 2: 1/6 inch at 180 dpi vertical motion unit
const FONT_A_HEIGHT = 24;
const FONT_B_HEIGHT = 17;

function initialState(): TextState {
  return {
    align: 'left',
    bold: false,
    underline: false,
    invert: false,
    widthMul: 1,
    heightMul: 1,
    fontB: false,
    codePage: 0,
    lineSpacing: null,
    qrModuleSize: 3,
    qrEcc: 'L',
    qrData: null,
  };
}

/** Decodes text in the active code page; bytes it cannot map become U+FFFD. */
function decodeText(bytes: Buffer, codePage: number): { text: string; undecodable: number } {
  if (codePage === 16) {
    const text = decodeCp1252(bytes);
    return { text, undecodable: [...text].filter((c) => c === '\ufffd').length };
  }
  // Only WPC1252 is emulated fully; elsewhere ASCII is safe and the rest is unknown glyphs.
  let undecodable = 0;
  let text = '';
  for (const b of bytes) {
    if (b < 0x80) text += String.fromCharCode(b);
    else {
      text += '\ufffd';
      undecodable++;
    }
  }
  return { text, undecodable };
}

/** Assembles operations into ticket items, as the print head would lay them out. */
class DocumentBuilder {
  state = initialState();
  items: TicketItem[] = [];
  line: TextSegment[] = [];
  bytes: Buffer[] = [];
  undecodable = 0;
  unknown = 0;
  qrCodes: string[] = [];

  get isEmpty(): boolean {
    return this.items.length === 0 && this.line.length === 0;
  }

  apply(op: EscPosOp): void {
    const s = this.state;
    switch (op.op) {
      case 'text': {
        const { text, undecodable } = decodeText(op.bytes, s.codePage);
        this.undecodable += undecodable;
        this.line.push({
          text,
          bold: s.bold,
          underline: s.underline,
          invert: s.invert,
          widthMul: s.widthMul,
          heightMul: s.heightMul,
          fontB: s.fontB,
        });
        break;
      }
      case 'newline':
        this.flushLine(true);
        break;
      case 'init': {
        this.flushLine(false);
        this.state = initialState();
        break;
      }
      case 'feedLines':
        this.flushLine(false);
        this.items.push({ kind: 'feed', dots: op.lines * (s.lineSpacing ?? DEFAULT_LINE_SPACING) });
        break;
      case 'feedDots':
        this.flushLine(false);
        this.items.push({ kind: 'feed', dots: op.dots });
        break;
      case 'printMode':
        s.fontB = (op.n & 0x01) !== 0;
        s.bold = (op.n & 0x08) !== 0;
        s.heightMul = op.n & 0x10 ? 2 : 1;
        s.widthMul = op.n & 0x20 ? 2 : 1;
        s.underline = (op.n & 0x80) !== 0;
        break;
      case 'bold':
        s.bold = op.on;
        break;
      case 'underline':
        s.underline = op.n > 0;
        break;
      case 'align':
        s.align = op.value === 1 ? 'center' : op.value === 2 ? 'right' : 'left';
        break;
      case 'codePage':
        s.codePage = op.n;
        break;
      case 'font':
        s.fontB = op.n === 1;
        break;
      case 'size':
        s.widthMul = op.width;
        s.heightMul = op.height;
        break;
      case 'invert':
        s.invert = op.on;
        break;
      case 'lineSpacing':
        s.lineSpacing = op.dots;
        break;
      case 'raster':
        this.flushLine(false);
        this.items.push({
          kind: 'raster',
          align: s.align,
          width: op.widthBytes * 8,
          height: op.height,
          data: op.data,
          scale: op.scale,
        });
        break;
      case 'qrModuleSize':
        s.qrModuleSize = Math.min(16, Math.max(1, op.n));
        break;
      case 'qrEcc':
        s.qrEcc = (['L', 'M', 'Q', 'H'] as const)[op.n] ?? 'L';
        break;
      case 'qrStore':
        s.qrData = op.data.toString('latin1');
        break;
      case 'qrPrint':
        if (s.qrData !== null) {
          this.flushLine(false);
          this.items.push({
            kind: 'qr',
            align: s.align,
            data: s.qrData,
            moduleSize: s.qrModuleSize,
            ecc: s.qrEcc,
          });
          this.qrCodes.push(s.qrData);
        }
        break;
      case 'unknown':
        this.unknown++;
        break;
      case 'qrModel':
      case 'cut':
      case 'realtimeStatus':
      case 'transmitStatus':
      case 'ignored':
        break;
    }
  }

  /** Prints the buffered line; an empty LF still advances the paper by one line. */
  private flushLine(emptyFeeds: boolean): void {
    if (this.line.length === 0) {
      if (emptyFeeds) {
        this.items.push({ kind: 'feed', dots: this.state.lineSpacing ?? DEFAULT_LINE_SPACING });
      }
      return;
    }
    const charHeight = Math.max(
      ...this.line.map((seg) => (seg.fontB ? FONT_B_HEIGHT : FONT_A_HEIGHT) * seg.heightMul),
    );
    const spacing = this.state.lineSpacing ?? DEFAULT_LINE_SPACING;
    this.items.push({
      kind: 'text',
      align: this.state.align,
      segments: this.line,
      lineHeight: Math.max(spacing, charHeight + (spacing - FONT_A_HEIGHT > 0 ? 4 : 0)),
    });
    this.line = [];
  }

  finish(seq: number, complete: boolean): DecodedTicket {
    this.flushLine(false);
    const lines = this.items.flatMap((item) =>
      item.kind === 'text' ? [item.segments.map((seg) => seg.text).join('')] : [],
    );
    return {
      seq,
      receivedAt: Date.now(),
      complete,
      items: this.items,
      lines,
      qrCodes: this.qrCodes,
      rasterCount: this.items.filter((i) => i.kind === 'raster').length,
      undecodableChars: this.undecodable,
      unknownCommands: this.unknown,
      bytes: Buffer.concat(this.bytes),
    };
  }
}

export interface DeviceSessionHooks {
  /** Bytes the printer sends back (status answers). */
  send(data: Buffer): void;
  /** The printer was "unplugged" by the unplugAfterBytes fault. */
  unplug(): void;
}

interface DeviceEvents {
  ticket: [DecodedTicket];
  fragment: [DecodedTicket];
  faults: [PrinterFaults];
}

export class EscPosDevice extends EventEmitter<DeviceEvents> {
  private faults: PrinterFaults = { ...DEFAULT_FAULTS };
  private readonly sessions = new Set<DeviceSession>();
  readonly tickets: DecodedTicket[] = [];
  readonly fragments: DecodedTicket[] = [];
  /** Every byte received, status requests included (black-hole mode too). */
  bytesReceived = 0;
  private seq = 0;

  constructor(initial: Partial<PrinterFaults> = {}) {
    super();
    this.faults = { ...DEFAULT_FAULTS, ...initial };
  }

  get currentFaults(): PrinterFaults {
    return { ...this.faults };
  }

  /** The status this printer reports right now. */
  get flags(): PrinterStatusFlags {
    const m = this.faults.mode;
    return {
      online: m !== 'offline',
      coverOpen: m === 'cover-open',
      paperOut: m === 'paper-out',
      paperNearEnd: this.faults.paperNearEnd,
      error: false,
    };
  }

  /** Changes faults at runtime; a printer that becomes ready prints what it was holding. */
  setFaults(change: Partial<PrinterFaults>): void {
    this.faults = { ...this.faults, ...change };
    this.emit('faults', this.currentFaults);
    for (const session of this.sessions) session.pump();
  }

  openSession(hooks: DeviceSessionHooks): DeviceSession {
    const session = new DeviceSession(this, hooks);
    this.sessions.add(session);
    return session;
  }

  /** @internal */
  consumeUnplugBudget(length: number): number | null {
    const budget = this.faults.unplugAfterBytes;
    if (budget === null) return null;
    if (length < budget) {
      this.faults.unplugAfterBytes = budget - length;
      return null;
    }
    this.faults.unplugAfterBytes = null;
    return budget;
  }

  /** @internal */
  sessionEnded(session: DeviceSession, fragment: DocumentBuilder | null): void {
    this.sessions.delete(session);
    if (fragment && !fragment.isEmpty) {
      const t = fragment.finish(0, false);
      this.fragments.push(t);
      this.emit('fragment', t);
    }
  }

  /** @internal */
  completed(builder: DocumentBuilder): void {
    const ticket = builder.finish(++this.seq, true);
    this.tickets.push(ticket);
    this.emit('ticket', ticket);
  }

  /** Forgets received tickets (between tests). */
  clear(): void {
    this.tickets.length = 0;
    this.fragments.length = 0;
    this.bytesReceived = 0;
    this.seq = 0;
  }
}

/** One connection to the printer: its own parser and document in progress. */
export class DeviceSession {
  private readonly parser = new EscPosParser();
  private doc = new DocumentBuilder();
  /** Operations waiting because the printer is not ready (or slow). */
  private readonly held: EscPosOp[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly device: EscPosDevice,
    private readonly hooks: DeviceSessionHooks,
  ) {}

  receive(chunk: Buffer): void {
    if (this.ended) return;
    this.device.bytesReceived += chunk.length;
    const faults = this.device.currentFaults;
    if (faults.mode === 'black-hole') return;
    let data = chunk;
    const cutAt = this.device.consumeUnplugBudget(chunk.length);
    if (cutAt !== null) data = chunk.subarray(0, cutAt);
    this.doc.bytes.push(Buffer.from(data));
    for (const op of this.parser.push(data)) {
      if (op.op === 'realtimeStatus') {
        // Real-time commands jump the queue, even while offline (that is their point).
        this.answer(Buffer.from([encodeStatusByte(this.device.flags, op.n)]));
      } else {
        this.held.push(op);
      }
    }
    if (cutAt !== null) {
      this.hooks.unplug();
      return;
    }
    this.pump();
  }

  /** Processes held operations if the printer is ready (after the slow delay, if any). */
  pump(): void {
    if (this.ended || this.timer || this.held.length === 0) return;
    const faults = this.device.currentFaults;
    if (!isReady(this.device.flags) || faults.mode === 'black-hole') return;
    if (faults.slowMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.processHeld();
      }, faults.slowMs);
    } else {
      this.processHeld();
    }
  }

  private processHeld(): void {
    while (this.held.length > 0 && !this.ended && isReady(this.device.flags)) {
      const op = this.held.shift()!;
      this.doc.apply(op);
      if (op.op === 'transmitStatus') {
        this.hooks.send(Buffer.from([encodeTransmitStatus(this.device.flags)]));
      } else if (op.op === 'cut') {
        this.device.completed(this.doc);
        this.doc = new DocumentBuilder();
      }
    }
  }

  private answer(data: Buffer): void {
    const slow = this.device.currentFaults.slowMs;
    if (slow > 0) {
      setTimeout(() => {
        if (!this.ended) this.hooks.send(data);
      }, slow);
    } else {
      this.hooks.send(data);
    }
  }

  /** The connection closed: whatever was not cut is a fragment (half a ticket on the paper). */
  end(): void {
    if (this.ended) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Like a real printer, data already received is still printed after the host hung up (a slow
    // printer finishes the job). Data held by a not-ready printer dies with the connection here.
    if (this.device.currentFaults.mode !== 'black-hole') this.processHeld();
    this.held.length = 0;
    this.ended = true;
    this.device.sessionEnded(this, this.doc);
  }
}
