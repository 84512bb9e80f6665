import fs from 'node:fs';
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { z } from 'zod';
import { encodeText, normalizeForPrinter, TEXT_ENCODINGS, type TextEncoding } from './codepage.js';
import { DEFAULT_LOGO_PATH, drawDefaultLogo } from './default-logo.js';
import { renderLogoImage, renderTextImage } from './raster-text.js';
import { formatWait, isRtl, labelsFor } from './ticket-labels.js';

/** Everything printed on a ticket. The hub builds it from a core Ticket plus branch settings. */
export const printableTicketSchema = z.object({
  /** "A001": letters, digits and "-" only, so it always prints as native text. */
  number: z.string().regex(/^[A-Z0-9-]{1,8}$/, 'ticket number must be 1-8 of A-Z, 0-9, -'),
  serviceName: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  branchName: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  /** Epoch milliseconds (core's Ticket.issuedAt). */
  issuedAt: z.number().int().min(0),
  /** The visitor's language: labels and the date are printed in it. */
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'BCP 47 language tag such as fr or ar'),
  /** People waiting before this ticket. */
  ahead: z.number().int().min(0).max(100_000),
  /** null when the hub cannot estimate yet (no history): the line is left out. */
  estimatedWaitSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .nullable(),
  /** Printed as a QR code: printable ASCII http(s) URL (the QR command takes raw bytes). */
  followUpUrl: z
    .string()
    .max(300)
    .regex(/^https?:\/\/[\x21-\x7e]+$/, 'follow-up URL must be an ASCII http(s) URL'),
});
export type PrintableTicket = z.infer<typeof printableTicketSchema>;

export const PRINTER_TYPES = ['epson', 'star'] as const;
export type PrinterType = (typeof PRINTER_TYPES)[number];

export const ticketLayoutOptionsSchema = z.object({
  paperWidthMm: z.union([z.literal(58), z.literal(80)]),
  /** Overrides ticket.lang for labels and date (e.g. a kiosk forced to one language). */
  lang: printableTicketSchema.shape.lang.optional(),
  printerType: z.enum(PRINTER_TYPES).default('epson'),
  /** IANA zone for the printed time; the hub passes the branch's zone. Default: the system's. */
  timeZone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'unknown time zone')
    .optional(),
  /** PNG of the branch logo; null prints no logo; undefined uses resources/branding. */
  logoPng: z.instanceof(Buffer).nullable().optional(),
  /** Replaces the default footer ("Please keep this ticket"). */
  footer: z
    .string()
    .trim()
    .max(160)
    .regex(/^[^\p{Cc}]*$/u)
    .optional(),
  /** The printer's code page for native text; 'ascii' for printers without WPC1252. */
  textEncoding: z.enum(TEXT_ENCODINGS).default('cp1252'),
});
export type TicketLayoutOptions = z.input<typeof ticketLayoutOptionsSchema>;

/** Printable dots per line at 203 dpi. */
export function printableDots(paperWidthMm: 58 | 80): 384 | 576 {
  return paperWidthMm === 58 ? 384 : 576;
}

let defaultLogo: Buffer | null | undefined;
function loadDefaultLogo(): Buffer | null {
  if (defaultLogo === undefined) {
    defaultLogo = fs.existsSync(DEFAULT_LOGO_PATH)
      ? fs.readFileSync(DEFAULT_LOGO_PATH)
      : drawDefaultLogo();
  }
  return defaultLogo;
}

// Logo rasters are the slowest part of a ticket and the same every time: cache them.
const logoCache = new Map<string, Buffer>();
async function logoRaster(png: Buffer, widthDots: number): Promise<Buffer> {
  const key = `${widthDots}:${png.length}:${png.subarray(-16).toString('hex')}`;
  let scaled = logoCache.get(key);
  if (!scaled) {
    scaled = await renderLogoImage(png, widthDots);
    if (logoCache.size > 16) logoCache.clear();
    logoCache.set(key, scaled);
  }
  return scaled;
}

type Printer = InstanceType<typeof ThermalPrinter>;

/** Character size command: Epson GS ! (1..8), Star ESC i (1..6). */
function setSize(printer: Printer, type: PrinterType, mul: number): void {
  if (type === 'epson') {
    const m = Math.min(8, Math.max(1, mul)) - 1;
    printer.add(Buffer.from([0x1d, 0x21, (m << 4) | m]));
  } else {
    const m = Math.min(6, Math.max(1, mul)) - 1;
    printer.add(Buffer.from([0x1b, 0x69, m, m]));
  }
}

/** Word-wraps to `columns` characters (the printer would otherwise cut words anywhere). */
export function wrapColumns(text: string, columns: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let piece = word; piece.length > 0;) {
      const room = current ? columns - current.length - 1 : columns;
      if (piece.length <= room) {
        current = current ? `${current} ${piece}` : piece;
        piece = '';
      } else if (current) {
        lines.push(current);
        current = '';
      } else {
        lines.push(piece.slice(0, columns));
        piece = piece.slice(columns);
      }
    }
  }
  if (current) lines.push(current);
  return lines;
}

interface LineStyle {
  /** Character size multiplier for native text (1 = font A 12×24 dots). */
  size: number;
  bold: boolean;
}

/**
 * Builds the ticket as printer commands (ESC/POS for Epson and compatibles, Star Line Mode for
 * Star) without sending anything: the print queue sends it through its own transport so it
 * controls timeouts and status.
 */
export async function renderTicket(
  ticketInput: PrintableTicket,
  optionsInput: TicketLayoutOptions,
): Promise<Buffer> {
  const ticket = printableTicketSchema.parse(ticketInput);
  const options = ticketLayoutOptionsSchema.parse(optionsInput);
  const lang = options.lang ?? ticket.lang;
  const labels = labelsFor(lang);
  const rtl = isRtl(lang);
  const dots = printableDots(options.paperWidthMm);
  const columns = dots / 12;
  const type = options.printerType;
  const encoding: TextEncoding = options.textEncoding;

  const printer = new ThermalPrinter({
    type: type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    // Never used: we only build the buffer. A harmless path keeps the library from guessing.
    interface: '/dev/null',
    width: columns,
    characterSet: encoding === 'cp1252' ? CharacterSet.WPC1252 : CharacterSet.PC437_USA,
    breakLine: BreakLine.NONE,
  });
  // Start from a known state whatever the previous job left (ESC @), then the code page again.
  printer.setBuffer(Buffer.alloc(0));
  printer.add(Buffer.from([0x1b, 0x40])); // ESC @ (both Epson and Star)
  printer.setCharacterSet(encoding === 'cp1252' ? CharacterSet.WPC1252 : CharacterSet.PC437_USA);
  printer.alignCenter();

  /** Native text when the code page has every character, else the same line as an image. */
  const line = async (text: string, style: LineStyle): Promise<void> => {
    const normalized = normalizeForPrinter(text).trim();
    const maxColumns = Math.floor(columns / style.size);
    const native = encodeText(normalized, encoding);
    if (native !== null) {
      setSize(printer, type, style.size);
      printer.bold(style.bold);
      for (const part of wrapColumns(normalized, maxColumns)) {
        // Bytes we encoded ourselves: the library's automatic code-page switching must not
        // kick in (it would print Arabic letters unshaped and in the wrong order).
        printer.add(encodeText(part, encoding)!);
        printer.newLine();
      }
      printer.bold(false);
      setSize(printer, type, 1);
      return;
    }
    const script = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/.test(normalized)
      ? 'arabic'
      : 'latin';
    const png = renderTextImage(normalized, {
      widthDots: dots,
      sizePx: Math.round(24 * Math.min(style.size, 2) * (script === 'arabic' ? 1.1 : 1)),
      bold: style.bold,
      rtl: rtl || script === 'arabic',
      script,
    });
    await printer.printImageBuffer(png);
  };

  const logo = options.logoPng === undefined ? loadDefaultLogo() : options.logoPng;
  if (logo) {
    await printer.printImageBuffer(await logoRaster(logo, options.paperWidthMm === 58 ? 192 : 256));
    printer.newLine();
  }
  await line(ticket.branchName, {
    size: ticket.branchName.length * 2 <= columns ? 2 : 1,
    bold: true,
  });
  printer.drawLine('-');

  await line(labels.yourNumber, { size: 1, bold: false });
  // The number, as large as the paper allows: it is what the visitor looks for on the screens.
  const numberSize = Math.max(
    1,
    Math.min(8, Math.floor((dots * 0.9) / (ticket.number.length * 12)), 7),
  );
  printer.add(Buffer.from([0x1b, 0x33, 8])); // tight line spacing: the glyphs are tall already
  await line(ticket.number, { size: numberSize, bold: true });
  printer.resetLineSpacing();
  printer.newLine();
  await line(ticket.serviceName, {
    size: ticket.serviceName.length * 2 <= columns ? 2 : 1,
    bold: true,
  });
  printer.newLine();

  const issued = new Intl.DateTimeFormat(lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  }).format(new Date(ticket.issuedAt));
  await line(issued, { size: 1, bold: false });
  await line(labels.ahead(ticket.ahead), { size: 1, bold: true });
  if (ticket.estimatedWaitSec !== null) {
    await line(labels.wait(formatWait(ticket.estimatedWaitSec, labels)), { size: 1, bold: false });
  }
  printer.newLine();

  // Native QR command (GS ( k): the printer draws it sharp at any module size.
  printer.printQR(ticket.followUpUrl, {
    cellSize: options.paperWidthMm === 58 ? 5 : 6,
    correction: 'M',
    model: 2,
  });
  printer.newLine();
  await line(labels.scanToFollow, { size: 1, bold: false });
  printer.drawLine('-');
  await line(options.footer ?? labels.footer, { size: 1, bold: false });
  printer.cut({ verticalTabAmount: 1 });
  return Buffer.from(printer.getBuffer());
}
