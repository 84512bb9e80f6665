// Each kiosk's own printer (URL, paper width, printer type), kept in the hub database.
import { hash } from 'node:crypto';
import { formatPrinterTarget, parsePrinterUrl } from '../../../hardware/index';
import type { PAPER_WIDTHS, PRINTER_TYPES } from '../../../core/api/schemas';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import type { DeviceStore } from '../devices/device-store';

export type PaperWidth = (typeof PAPER_WIDTHS)[number];
export type PrinterType = (typeof PRINTER_TYPES)[number];

export interface PrinterConfig {
  /** Normalised URL: the same printer written two ways is one printer. */
  url: string;
  paperWidthMm: PaperWidth;
  printerType: PrinterType;
}

export interface DevicePrinter extends PrinterConfig {
  deviceId: string;
}

interface Row {
  device_id: string;
  url: string;
  paper_width_mm: number;
  printer_type: string;
}

const fromRow = (r: Row): DevicePrinter => ({
  deviceId: r.device_id,
  url: r.url,
  // The table's CHECK constraints keep both within their unions.
  paperWidthMm: r.paper_width_mm as PaperWidth,
  printerType: r.printer_type as PrinterType,
});

/** Throws InvalidPrinterUrlError (a 4xx at the API, already checked by zod there). */
export const normalisePrinterUrl = (url: string): string =>
  formatPrinterTarget(parsePrinterUrl(url));

/** A printer's public id: screens follow a printer by it and never see its URL. */
export const printerIdOf = (url: string): string =>
  `prn-${hash('sha256', url, 'hex').slice(0, 10)}`;

export class PrinterSettingsStore {
  private readonly one;
  private readonly all;
  private readonly upsert;
  private readonly remove;

  constructor(
    private readonly ctx: HubContext,
    private readonly devices: DeviceStore,
  ) {
    const { db } = ctx;
    this.one = db.prepare<[string], Row>('SELECT * FROM device_printers WHERE device_id = ?');
    this.all = db.prepare<[], Row>('SELECT * FROM device_printers ORDER BY device_id');
    this.upsert = db.prepare(
      `INSERT INTO device_printers (device_id, url, paper_width_mm, printer_type, updated_at)
       VALUES (@device_id, @url, @paper_width_mm, @printer_type, @updated_at)
       ON CONFLICT (device_id) DO UPDATE SET url = excluded.url, paper_width_mm = excluded.paper_width_mm,
         printer_type = excluded.printer_type, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM device_printers WHERE device_id = ?');
  }

  find(deviceId: string): DevicePrinter | null {
    const row = this.one.get(deviceId);
    return row ? fromRow(row) : null;
  }

  list(): DevicePrinter[] {
    return this.all.all().map(fromRow);
  }

  /** Sets (config) or clears (null) a kiosk's printer. The event names no URL: it may be synced. */
  set(deviceId: string, config: PrinterConfig | null, actor: Actor): DevicePrinter | null {
    return runCommand(this.ctx, () => {
      const device = this.devices.get(deviceId);
      if (device.role !== 'kiosk')
        throw new HubError(
          409,
          'not_a_kiosk',
          `Device "${device.name}" is a ${device.role}: only kiosks print tickets.`,
        );
      const now = this.ctx.clock.now();
      if (config === null) this.remove.run(deviceId);
      else
        this.upsert.run({
          device_id: deviceId,
          url: normalisePrinterUrl(config.url),
          paper_width_mm: config.paperWidthMm,
          printer_type: config.printerType,
          updated_at: now,
        });
      const saved = this.find(deviceId);
      this.ctx.outbox.append(
        {
          type: 'device.printer_set',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: {
            deviceId,
            printer: saved
              ? {
                  printerId: printerIdOf(saved.url),
                  paperWidthMm: saved.paperWidthMm,
                  printerType: saved.printerType,
                }
              : null,
          },
        },
        now,
      );
      return saved;
    });
  }
}
