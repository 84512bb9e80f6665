// One PrinterService per distinct printer URL, created on first use and closed when no setting
// names it any more (or its paper or type changed) and when the hub stops. One service per URL
// matters: the print queue keeps one job on the wire per printer, and two queues on the same
// printer would interleave tickets.
import { EventEmitter } from 'node:events';
import type { PrinterStatusDto } from '../../../core/api/schemas';
import {
  PrinterService,
  type JobInfo,
  type PrintQueueOptionsInput,
  type ServiceStatus,
} from './hardware-types';
import { printerIdOf, type PrinterConfig } from './printer-settings-store';

export interface RegisteredPrinter {
  id: string;
  config: PrinterConfig;
  service: PrinterService;
}

/** A printer's light as the API shows it (GET /me/printer, the admin's printers, the stream). */
export function printerStatusDto(printer: RegisteredPrinter): PrinterStatusDto {
  const status = printer.service.status();
  return {
    printerId: printer.id,
    state: status.state,
    paperNearEnd: status.paperNearEnd,
    pending: status.pending,
    lastError: status.lastError,
    checkedAt: new Date(status.checkedAt).toISOString(),
    paperWidthMm: printer.config.paperWidthMm,
    printerType: printer.config.printerType,
  };
}

interface RegistryEvents {
  created: [RegisteredPrinter];
  status: [RegisteredPrinter, ServiceStatus];
  job: [RegisteredPrinter, JobInfo];
}

export interface RegistryOptions {
  /** The branch time zone, read when a printer is created (printed times are local). */
  timeZone: () => string;
  queue?: PrintQueueOptionsInput;
  /** Tests replace how services are made; the hub uses PrinterService.create. */
  create?: (config: PrinterConfig, timeZone: string) => PrinterService;
}

const sameConfig = (a: PrinterConfig, b: PrinterConfig): boolean =>
  a.url === b.url && a.paperWidthMm === b.paperWidthMm && a.printerType === b.printerType;

export class PrinterRegistry extends EventEmitter<RegistryEvents> {
  private readonly printers = new Map<string, RegisteredPrinter>();
  private closed = false;

  constructor(private readonly options: RegistryOptions) {
    super();
  }

  /** The printer for a configuration, created now if needed. Throws on a closed registry. */
  get(config: PrinterConfig): RegisteredPrinter {
    if (this.closed) throw new Error('the printer registry is closed');
    const existing = this.printers.get(config.url);
    if (existing) return existing;
    const timeZone = this.options.timeZone();
    const service = this.options.create
      ? this.options.create(config, timeZone)
      : PrinterService.create({
          url: config.url,
          paperWidthMm: config.paperWidthMm,
          printerType: config.printerType,
          timeZone,
          queue: this.options.queue ?? {},
        });
    const entry: RegisteredPrinter = { id: printerIdOf(config.url), config, service };
    service.on('status', (status) => this.emit('status', entry, status));
    service.on('job', (job) => this.emit('job', entry, job));
    this.printers.set(config.url, entry);
    this.emit('created', entry);
    return entry;
  }

  /** The running printer with this id, if any. */
  byId(id: string): RegisteredPrinter | undefined {
    return [...this.printers.values()].find((p) => p.id === id);
  }

  running(): RegisteredPrinter[] {
    return [...this.printers.values()];
  }

  /**
   * After a settings change: closes every printer no configuration names any more, or whose
   * paper width or type changed (it is made again, with the new settings, on next use).
   * Closing fails its queued jobs with "closed"; their kiosks already show the tickets.
   */
  async reconcile(wanted: readonly PrinterConfig[]): Promise<void> {
    const stale: RegisteredPrinter[] = [];
    for (const [url, entry] of this.printers) {
      const want = wanted.find((c) => c.url === url);
      if (!want || !sameConfig(want, entry.config)) {
        this.printers.delete(url);
        stale.push(entry);
      }
    }
    await Promise.all(stale.map((entry) => entry.service.close()));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.printers.values()];
    this.printers.clear();
    await Promise.all(all.map((entry) => entry.service.close()));
  }
}
