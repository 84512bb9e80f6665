/**
 * Text the printer can print natively. Tickets use Windows-1252 (Epson "WPC1252", ESC t 16),
 * which covers French, English, Spanish, German, Dutch, Portuguese, Italian... Text with any
 * character outside it (Arabic, Cyrillic, CJK, emoji) is never sent as bytes: the ticket layout
 * draws it as an image instead, so a printer never prints mojibake.
 */
export const TEXT_ENCODINGS = ['cp1252', 'ascii'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

// Windows-1252 differs from Latin-1 only in 0x80..0x9F. Written out here because Node's
// TextDecoder('windows-1252') decodes that range as Latin-1 C1 controls.
const CP1252_HIGH: ReadonlyArray<string | null> = [
  '\u20ac',
  null,
  '\u201a',
  '\u0192',
  '\u201e',
  '\u2026',
  '\u2020',
  '\u2021',
  '\u02c6',
  '\u2030',
  '\u0160',
  '\u2039',
  '\u0152',
  null,
  '\u017d',
  null,
  null,
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\u2022',
  '\u2013',
  '\u2014',
  '\u02dc',
  '\u2122',
  '\u0161',
  '\u203a',
  '\u0153',
  null,
  '\u017e',
  '\u0178',
];

const cp1252Encode = new Map<string, number>();
const cp1252Decode: string[] = [];
for (let byte = 0; byte <= 0xff; byte++) {
  const ch =
    byte >= 0x80 && byte < 0xa0 ? (CP1252_HIGH[byte - 0x80] ?? null) : String.fromCharCode(byte);
  cp1252Decode.push(ch ?? '\ufffd');
  if (ch !== null && byte >= 0x20 && byte !== 0x7f) cp1252Encode.set(ch, byte);
}

/** Decodes Windows-1252 bytes; unassigned bytes become U+FFFD. */
export function decodeCp1252(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += cp1252Decode[b]!;
  return text;
}

/**
 * Spaces Intl likes to put in dates and numbers (narrow no-break, no-break, thin) become plain
 * spaces, and typographic apostrophes stay as they are when the code page has them.
 */
export function normalizeForPrinter(text: string): string {
  return text.normalize('NFC').replace(/[\u00a0\u2007\u2009\u202f]/g, ' ');
}

/** The bytes for `text` in `encoding`, or null if any character is missing from it. */
export function encodeText(text: string, encoding: TextEncoding): Buffer | null {
  const bytes: number[] = [];
  for (const ch of normalizeForPrinter(text)) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) {
      bytes.push(code);
      continue;
    }
    if (encoding === 'ascii') return null;
    const byte = cp1252Encode.get(ch);
    if (byte === undefined) return null;
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}
