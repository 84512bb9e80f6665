import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';
import { MissingFontError } from './errors.js';

/**
 * Fonts for text printed as images (scripts the printer's code page lacks) and for the
 * emulator's picture of a ticket. We do not ship fonts: Debian's openly licensed ones are found
 * at runtime (fonts-dejavu-core is on nearly every system; fonts-noto-core is preferred for
 * Arabic). A missing font is a clear MissingFontError naming the package, never tofu boxes.
 */
export type FontRole = 'sans' | 'sansBold' | 'mono' | 'monoBold' | 'arabic' | 'arabicBold';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundledDir = path.resolve(here, '../../resources/fonts');

const CANDIDATES: Record<FontRole, string[]> = {
  sans: ['noto/NotoSans-Regular.ttf', 'dejavu/DejaVuSans.ttf'],
  sansBold: ['noto/NotoSans-Bold.ttf', 'dejavu/DejaVuSans-Bold.ttf'],
  mono: ['dejavu/DejaVuSansMono.ttf', 'noto/NotoSansMono-Regular.ttf'],
  monoBold: ['dejavu/DejaVuSansMono-Bold.ttf', 'noto/NotoSansMono-Bold.ttf'],
  arabic: [
    'noto/NotoSansArabic-Regular.ttf',
    'noto/NotoNaskhArabic-Regular.ttf',
    'dejavu/DejaVuSans.ttf',
  ],
  arabicBold: [
    'noto/NotoSansArabic-Bold.ttf',
    'noto/NotoNaskhArabic-Bold.ttf',
    'dejavu/DejaVuSans-Bold.ttf',
  ],
};

function searchDirs(): string[] {
  const dirs: string[] = [];
  const extra = process.env.GUICHET_FONT_DIR;
  if (extra) dirs.push(extra);
  dirs.push(
    bundledDir,
    '/usr/share/fonts/truetype',
    '/usr/share/fonts/opentype',
    '/usr/local/share/fonts',
  );
  return dirs;
}

const registered = new Map<FontRole, string>();

/** Registers the font for `role` with the canvas once and returns its family name. */
export function fontFamily(role: FontRole): string {
  const known = registered.get(role);
  if (known) return known;
  for (const dir of searchDirs()) {
    for (const candidate of CANDIDATES[role]) {
      // Candidates are "<package dir>/<file>"; the bundled and extra dirs may hold the file flat.
      for (const file of [path.join(dir, candidate), path.join(dir, path.basename(candidate))]) {
        if (!fs.existsSync(file)) continue;
        const family = `Guichet-${role}`;
        if (GlobalFonts.registerFromPath(file, family) === null) continue;
        registered.set(role, family);
        return family;
      }
    }
  }
  throw new MissingFontError(
    `No font for ${role} text: install Debian's fonts-dejavu-core (or fonts-noto-core), ` +
      `or put one of ${CANDIDATES[role].map((c) => path.basename(c)).join(', ')} in GUICHET_FONT_DIR.`,
  );
}

/** A CSS font string for the canvas, e.g. `bold 28px "Guichet-sans"`. */
export function cssFont(role: FontRole, sizePx: number): string {
  return `${sizePx}px "${fontFamily(role)}"`;
}
