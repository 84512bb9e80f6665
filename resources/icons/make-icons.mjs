// Renders resources/icons/icon.svg to the PNG sizes electron-builder wants (Linux picks by size
// from this folder; Windows builds its .ico from the 256 px one). `node resources/icons/make-icons.mjs`
import console from 'node:console';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';

const dir = path.dirname(fileURLToPath(import.meta.url));
const svg = await loadImage(readFileSync(path.join(dir, 'icon.svg')));
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  const canvas = createCanvas(size, size);
  canvas.getContext('2d').drawImage(svg, 0, 0, size, size);
  writeFileSync(path.join(dir, `${size}x${size}.png`), canvas.toBuffer('image/png'));
}
writeFileSync(path.join(dir, 'icon.png'), readFileSync(path.join(dir, '512x512.png')));
console.log(`Icons written to ${dir}`);
