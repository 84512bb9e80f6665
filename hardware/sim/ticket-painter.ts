import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { cssFont } from '../printer/fonts.js';
import type { Align, DecodedTicket, TextSegment, TicketItem } from './escpos-device.js';

/**
 * Draws a decoded ticket as the paper would look: 203 dpi, font A 12×24 dots, raster images and
 * QR codes dot for dot. Good enough to eyeball a layout and for a real QR decoder (zbarimg).
 */
export interface PaintOptions {
  /** Printable width in dots: 384 (58 mm paper) or 576 (80 mm paper). */
  printableDots: number;
}

const CELL_A = { w: 12, h: 24 };
const CELL_B = { w: 9, h: 17 };
const MARGIN_TOP = 24;
const MARGIN_BOTTOM = 40;

/** Paper is wider than what the head can reach: 58 mm ≈ 463 dots, 80 mm ≈ 640 dots. */
function paperDots(printable: number): number {
  return printable <= 384 ? 464 : printable <= 576 ? 640 : printable + 64;
}

interface Placed {
  item: TicketItem;
  height: number;
}

function segmentWidth(seg: TextSegment): number {
  return [...seg.text].length * (seg.fontB ? CELL_B.w : CELL_A.w) * seg.widthMul;
}

/** Splits a text line that is wider than the head into several, as the printer wraps them. */
function wrapLine(item: Extract<TicketItem, { kind: 'text' }>, maxWidth: number): TicketItem[] {
  const lines: TextSegment[][] = [[]];
  let width = 0;
  for (const seg of item.segments) {
    const cell = (seg.fontB ? CELL_B.w : CELL_A.w) * seg.widthMul;
    let current = '';
    for (const ch of seg.text) {
      if (width + cell > maxWidth && width > 0) {
        if (current) lines[lines.length - 1]!.push({ ...seg, text: current });
        lines.push([]);
        current = '';
        width = 0;
      }
      current += ch;
      width += cell;
    }
    if (current) lines[lines.length - 1]!.push({ ...seg, text: current });
  }
  return lines.map((segments) => ({ ...item, segments }));
}

function qrMatrix(
  data: string,
  ecc: 'L' | 'M' | 'Q' | 'H',
): { size: number; dark: (r: number, c: number) => boolean } {
  const qr = QRCode.create(data, { errorCorrectionLevel: ecc });
  return { size: qr.modules.size, dark: (r, c) => qr.modules.get(r, c) === 1 };
}

function alignX(align: Align, width: number, printable: number): number {
  if (align === 'center') return Math.max(0, Math.floor((printable - width) / 2));
  if (align === 'right') return Math.max(0, printable - width);
  return 0;
}

export function paintTicket(ticket: DecodedTicket, options: PaintOptions): Buffer {
  const printable = options.printableDots;
  const placed: Placed[] = [];
  for (const item of ticket.items) {
    switch (item.kind) {
      case 'text':
        for (const line of wrapLine(item, printable))
          placed.push({ item: line, height: item.lineHeight });
        break;
      case 'feed':
        placed.push({ item, height: item.dots });
        break;
      case 'raster':
        placed.push({ item, height: item.height * item.scale });
        break;
      case 'qr': {
        let size = 0;
        try {
          size = qrMatrix(item.data, item.ecc).size;
        } catch {
          size = 0; // data a real printer would refuse: nothing printed
        }
        placed.push({ item, height: size * item.moduleSize });
        break;
      }
    }
  }
  const paper = paperDots(printable);
  const left = Math.floor((paper - printable) / 2);
  const height = MARGIN_TOP + MARGIN_BOTTOM + placed.reduce((sum, p) => sum + p.height, 0);
  const canvas = createCanvas(paper, Math.min(Math.max(height, 80), 30_000));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';

  let y = MARGIN_TOP;
  for (const { item, height: h } of placed) {
    switch (item.kind) {
      case 'text':
        drawText(ctx, item, left, y, h, printable);
        break;
      case 'raster':
        drawRaster(ctx, item, left + alignX(item.align, item.width * item.scale, printable), y);
        break;
      case 'qr':
        drawQr(ctx, item, left, y, printable);
        break;
      case 'feed':
        break;
    }
    y += h;
  }
  return canvas.toBuffer('image/png');
}

function drawText(
  ctx: SKRSContext2D,
  item: Extract<TicketItem, { kind: 'text' }>,
  left: number,
  top: number,
  lineHeight: number,
  printable: number,
): void {
  const width = item.segments.reduce((sum, seg) => sum + segmentWidth(seg), 0);
  let x = left + alignX(item.align, width, printable);
  for (const seg of item.segments) {
    const cell = seg.fontB ? CELL_B : CELL_A;
    const segWidth = segmentWidth(seg);
    const charHeight = cell.h * seg.heightMul;
    // Characters sit on the bottom of the line, as the head prints them.
    const cellTop = top + lineHeight - charHeight;
    if (seg.invert) {
      ctx.fillRect(x, cellTop, segWidth, charHeight);
      ctx.fillStyle = '#ffffff';
    }
    ctx.save();
    ctx.translate(x, cellTop + charHeight * 0.8);
    ctx.scale(seg.widthMul, seg.heightMul);
    // DejaVu Sans Mono advances 0.602 em: 20 px gives the 12-dot cell of font A.
    ctx.font = cssFont(seg.bold ? 'monoBold' : 'mono', Math.round(cell.w / 0.602));
    let cx = 0;
    for (const ch of seg.text) {
      ctx.fillText(ch, cx, 0);
      cx += cell.w;
    }
    ctx.restore();
    if (seg.underline) ctx.fillRect(x, cellTop + charHeight - 2, segWidth, 2);
    ctx.fillStyle = '#000000';
    x += segWidth;
  }
}

function drawRaster(
  ctx: SKRSContext2D,
  item: Extract<TicketItem, { kind: 'raster' }>,
  x0: number,
  y0: number,
): void {
  const widthBytes = item.width / 8;
  for (let row = 0; row < item.height; row++) {
    for (let byteIndex = 0; byteIndex < widthBytes; byteIndex++) {
      const byte = item.data[row * widthBytes + byteIndex] ?? 0;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (byte & (0x80 >> bit)) {
          ctx.fillRect(
            x0 + (byteIndex * 8 + bit) * item.scale,
            y0 + row * item.scale,
            item.scale,
            item.scale,
          );
        }
      }
    }
  }
}

function drawQr(
  ctx: SKRSContext2D,
  item: Extract<TicketItem, { kind: 'qr' }>,
  left: number,
  top: number,
  printable: number,
): void {
  let matrix: ReturnType<typeof qrMatrix>;
  try {
    matrix = qrMatrix(item.data, item.ecc);
  } catch {
    return;
  }
  const size = matrix.size * item.moduleSize;
  const x0 = left + alignX(item.align, size, printable);
  for (let r = 0; r < matrix.size; r++) {
    for (let c = 0; c < matrix.size; c++) {
      if (matrix.dark(r, c))
        ctx.fillRect(
          x0 + c * item.moduleSize,
          top + r * item.moduleSize,
          item.moduleSize,
          item.moduleSize,
        );
    }
  }
}
