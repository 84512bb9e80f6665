import { createCanvas, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { cssFont, type FontRole } from './fonts.js';

/**
 * Text drawn as a picture for the printer, for scripts its code page lacks. The canvas shapes
 * Arabic (joining forms, ligatures) and lays it out right to left; the result is thresholded to
 * black and white by node-thermal-printer when it builds the raster command.
 */
export interface TextImageOptions {
  /** Image width in printer dots (a multiple of 8: raster rows are whole bytes). */
  widthDots: number;
  /** Glyph size in dots; 24 matches the printer's own font A. */
  sizePx: number;
  bold?: boolean;
  rtl?: boolean;
  /** Script that decides the font (Arabic needs a font with Arabic glyphs). */
  script?: 'latin' | 'arabic';
}

function fontRole(options: TextImageOptions): FontRole {
  if (options.script === 'arabic') return options.bold ? 'arabicBold' : 'arabic';
  return options.bold ? 'sansBold' : 'sans';
}

/** Splits text into lines no wider than `maxWidth` at spaces (a single long word overflows). */
export function wrapToWidth(ctx: SKRSContext2D, text: string, maxWidth: number): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && ctx.measureText(candidate).width > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines.length > 0 ? lines : [''];
}

/** Draws `text` centred, wrapped to the width, and returns it as a PNG. */
export function renderTextImage(text: string, options: TextImageOptions): Buffer {
  const width = Math.floor(options.widthDots / 8) * 8;
  const font = cssFont(fontRole(options), options.sizePx);
  const measure = createCanvas(8, 8).getContext('2d');
  measure.font = font;
  const lines = wrapToWidth(measure, text, width - 8);
  // Arabic has tall ascenders (alef, lam) and deep descenders: give each line 1.5 em.
  const lineHeight = Math.ceil(options.sizePx * 1.5);
  const canvas = createCanvas(width, lineHeight * lines.length);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.direction = options.rtl ? 'rtl' : 'ltr';
  lines.forEach((line, i) => ctx.fillText(line, width / 2, lineHeight * i + lineHeight / 2));
  return canvas.toBuffer('image/png');
}

/** Scales a PNG logo to `widthDots` (keeping its ratio) on a white background. */
export async function renderLogoImage(png: Buffer, widthDots: number): Promise<Buffer> {
  const image = await loadImage(png);
  const width = Math.floor(widthDots / 8) * 8;
  const height = Math.max(8, Math.round((image.height * width) / image.width));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.toBuffer('image/png');
}
