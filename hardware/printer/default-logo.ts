import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { cssFont } from './fonts.js';

export const DEFAULT_LOGO_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../resources/branding/guichet-logo.png',
);

/**
 * Guichet's logo, drawn in code so it is reproducible and prints crisp in one bit: a ticket stub
 * (notched sides, perforation) holding a "G", next to the word GUICHET. The PNG in
 * resources/branding/ is this drawing (regenerate with `npx tsx hardware/printer/default-logo.ts`).
 */
export function drawDefaultLogo(): Buffer {
  const width = 512;
  const height = 160;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';

  // Ticket stub: a filled rounded rectangle with a semicircle notch on each side.
  const x = 8;
  const y = 16;
  const w = 150;
  const h = 128;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 14);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  for (const cx of [x, x + w]) {
    ctx.beginPath();
    ctx.arc(cx, y + h / 2, 14, 0, Math.PI * 2);
    ctx.fill();
  }
  // Perforation: a dashed line near the right edge.
  for (let py = y + 10; py < y + h - 10; py += 14) {
    if (Math.abs(py + 4 - (y + h / 2)) < 18) continue;
    ctx.fillRect(x + w - 30, py, 4, 8);
  }
  ctx.font = `bold ${cssFont('sansBold', 96)}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('G', x + (w - 30) / 2 + 2, y + h / 2 + 4);

  ctx.fillStyle = '#000000';
  ctx.textAlign = 'left';
  ctx.font = cssFont('sansBold', 64);
  ctx.fillText('GUICHET', x + w + 20, y + h / 2 + 4);
  return canvas.toBuffer('image/png');
}

// `npx tsx hardware/printer/default-logo.ts` rewrites resources/branding/guichet-logo.png.
if (process.argv[1]?.endsWith('default-logo.ts')) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(DEFAULT_LOGO_PATH, drawDefaultLogo());
  console.log(`wrote ${DEFAULT_LOGO_PATH}`);
}
