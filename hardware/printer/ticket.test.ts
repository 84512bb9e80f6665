import { describe, expect, it } from 'vitest';
import { EscPosDevice } from '../sim/escpos-device.js';
import { encodeText } from './codepage.js';
import {
  printableTicketSchema,
  renderTicket,
  wrapColumns,
  type PrintableTicket,
} from './ticket.js';

const base: PrintableTicket = {
  number: 'A001',
  serviceName: 'Cartes grises',
  branchName: 'Préfecture',
  issuedAt: Date.UTC(2026, 0, 5, 8, 0),
  lang: 'fr',
  ahead: 0,
  estimatedWaitSec: null,
  followUpUrl: 'http://hub.local/t/1',
};

function decode(bytes: Buffer) {
  const device = new EscPosDevice();
  const session = device.openSession({ send: () => undefined, unplug: () => undefined });
  session.receive(bytes);
  session.end();
  return device.tickets[0]!;
}

describe('renderTicket', () => {
  it('builds ESC/POS with a native QR command, the code page and a cut', async () => {
    const bytes = await renderTicket(base, { paperWidthMm: 80, logoPng: null, timeZone: 'UTC' });
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    expect(bytes.includes(Buffer.from([0x1b, 0x74, 16]))).toBe(true); // WPC1252
    expect(bytes.includes(Buffer.from([0x1d, 0x28, 0x6b]))).toBe(true); // GS ( k
    expect(bytes.includes(Buffer.from('Pr\xe9fecture', 'latin1'))).toBe(true);
    const t = decode(bytes);
    expect(t.complete).toBe(true);
    expect(t.rasterCount).toBe(0); // no logo, all text native
    expect(t.lines).toEqual(
      expect.arrayContaining(['Préfecture', 'A001', 'Cartes grises', 'Vous êtes le prochain']),
    );
    expect(t.lines.join('\n')).not.toMatch(/Attente/); // no estimate, no line
  });

  it('falls back to raster for text outside the code page (and in ascii mode)', async () => {
    const ascii = await renderTicket(base, {
      paperWidthMm: 58,
      logoPng: null,
      textEncoding: 'ascii',
    });
    const t = decode(ascii);
    expect(t.lines).not.toContain('Préfecture');
    expect(t.rasterCount).toBeGreaterThan(0);
    expect(t.undecodableChars).toBe(0);
  });

  it('builds Star Line Mode commands for Star printers', async () => {
    const bytes = await renderTicket(base, {
      paperWidthMm: 80,
      printerType: 'star',
      logoPng: null,
    });
    expect(bytes.includes(Buffer.from([0x1b, 0x1d, 0x79]))).toBe(true); // Star QR: ESC GS y
    expect(bytes.includes(Buffer.from([0x1d, 0x28, 0x6b]))).toBe(false);
    expect(bytes.includes(Buffer.from([0x1b, 0x69, 5, 5]))).toBe(true); // big number, ESC i
  });

  it('refuses invalid tickets and options', async () => {
    await expect(renderTicket({ ...base, number: 'a 1' }, { paperWidthMm: 80 })).rejects.toThrow(
      /ticket number/,
    );
    await expect(
      renderTicket({ ...base, followUpUrl: 'javascript:alert(1)' }, { paperWidthMm: 80 }),
    ).rejects.toThrow();
    await expect(
      renderTicket({ ...base, serviceName: 'a\u0007b' }, { paperWidthMm: 80 }),
    ).rejects.toThrow(/control/);
    await expect(renderTicket(base, { paperWidthMm: 72 as 80 })).rejects.toThrow();
    await expect(
      renderTicket(base, { paperWidthMm: 80, timeZone: 'Mars/Olympus' }),
    ).rejects.toThrow(/time zone/);
    expect(printableTicketSchema.safeParse({ ...base, ahead: -1 }).success).toBe(false);
  });

  it('wraps words to the paper and encodes Windows-1252 exactly', () => {
    expect(wrapColumns('Passeports et cartes nationales', 12)).toEqual([
      'Passeports',
      'et cartes',
      'nationales',
    ]);
    expect(wrapColumns('ABCDEFGHIJKLMNO', 6)).toEqual(['ABCDEF', 'GHIJKL', 'MNO']);
    expect(encodeText('€ café — Œuvre', 'cp1252')).toEqual(
      Buffer.from([
        0x80, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x97, 0x20, 0x8c, 0x75, 0x76, 0x72, 0x65,
      ]),
    );
    expect(encodeText('مرحبا', 'cp1252')).toBeNull();
    expect(encodeText('é', 'ascii')).toBeNull();
    expect(encodeText('10\u202f:\u00a041', 'ascii')).toEqual(Buffer.from('10 : 41'));
  });
});
