// Printing tickets on kiosks' printers, always after the ticket is committed and never in the
// way of issuing it: print() only queues (rendering and the wire are the queue's background
// work), every failure becomes a job state the kiosk is told about, and nothing here throws into
// the request that issued the ticket.
import { randomUUID } from 'node:crypto';
import type {
  PrinterDto,
  PrinterStatusDto,
  PrintInfoDto,
  PrintJobDto,
} from '../../../core/api/schemas';
import type { Ticket } from '../../../core/model';
import type { HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import type { BranchStore } from '../branch/branch-store';
import type { DeviceStore } from '../devices/device-store';
import type { LiveAudience, LiveBus } from '../live/live-bus';
import type { ServiceStore } from '../services/service-store';
import type { TicketPosition, TicketStore } from '../tickets/ticket-store';
import type { JobInfo, PrintableTicket, PrintQueueOptionsInput } from './hardware-types';
import { toPrintableTicket } from './printable-ticket';
import { PrinterRegistry, printerStatusDto, type RegisteredPrinter } from './printer-registry';
import {
  normalisePrinterUrl,
  printerIdOf,
  type PrinterConfig,
  type PrinterSettingsStore,
} from './printer-settings-store';
import type { WarnLog } from '../../hub-log';
import { merged } from '../../../core/records';

export interface PrintingOptions {
  /** `guichet hub --printer URL --paper-width N`: kiosks without their own printer print here. */
  defaultPrinter?: Omit<PrinterConfig, 'printerType'> & Partial<Pick<PrinterConfig, 'printerType'>>;
  /** `--public-url`: the base of follow-up URLs, over the Host a kiosk used. */
  publicUrl?: string;
  /** The hub's own URL: follow-up base when neither of the above is known (scanner check-ins). */
  fallbackBaseUrl?: string;
  queue?: PrintQueueOptionsInput;
}

interface JobMeta {
  ticketId: string | null;
  audience: LiveAudience;
}

export interface ReprintPlan {
  /** The answer before printing starts (what an Idempotency-Key replay is built from). */
  planned: PrintInfoDto;
  run(baseUrl: string): PrintInfoDto;
}

const TERMINAL = new Set<JobInfo['state']>(['printed', 'failed']);
const iso = (ms: number): string => new Date(ms).toISOString();

export const jobToDto = (job: JobInfo): PrintJobDto => ({
  id: job.id,
  state: job.state,
  attempts: job.attempts,
  uncertain: job.uncertain,
  reason: job.reason,
  label: job.label,
  createdAt: iso(job.createdAt),
  updatedAt: iso(job.updatedAt),
});

export interface TicketPrintingDeps {
  ctx: HubContext;
  branch: BranchStore;
  services: ServiceStore;
  tickets: TicketStore;
  devices: DeviceStore;
  settings: PrinterSettingsStore;
  live: LiveBus;
}

export class TicketPrinting {
  private registryInstance: PrinterRegistry | null = null;
  private defaultPrinter: PrinterConfig | null = null;
  private publicUrl: string | null = null;
  private fallbackBaseUrl = 'http://127.0.0.1:4280';
  private queue: PrintQueueOptionsInput = {};
  private log: WarnLog = { warn: () => undefined };
  /** Jobs whose events go to screens, until they end. */
  private readonly jobs = new Map<string, JobMeta>();
  /** Last status sent per printer, so a poll that changes nothing sends nothing. */
  private readonly lastStatus = new Map<string, string>();

  constructor(private readonly deps: TicketPrintingDeps) {}

  /** Applied by startHub before the first request; throws on an invalid --printer URL. */
  configure(options: PrintingOptions, log?: WarnLog): void {
    this.defaultPrinter = options.defaultPrinter
      ? {
          url: normalisePrinterUrl(options.defaultPrinter.url),
          paperWidthMm: options.defaultPrinter.paperWidthMm,
          printerType: options.defaultPrinter.printerType ?? 'epson',
        }
      : null;
    this.publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? null;
    if (options.fallbackBaseUrl) this.fallbackBaseUrl = options.fallbackBaseUrl;
    if (options.queue) this.queue = options.queue;
    if (log) this.log = log;
  }

  /** Made on first use, so opening a hub for the CLI starts no printer. */
  get registry(): PrinterRegistry {
    if (this.registryInstance) return this.registryInstance;
    const registry = new PrinterRegistry({
      timeZone: () => this.deps.branch.settings().timeZone,
      queue: this.queue,
    });
    registry.on('created', (printer) => {
      // Fonts and logo load once per printer here, not while a visitor's ticket waits.
      printer.service.warmUp(this.deps.branch.settings().defaultLang).catch((error: unknown) => {
        this.log.warn({ err: error, printerId: printer.id }, 'tickets cannot be rendered');
      });
    });
    registry.on('job', (printer, job) => this.forwardJob(printer, job));
    registry.on('status', (printer) => this.forwardStatus(printer));
    this.registryInstance = registry;
    return registry;
  }

  /** Follow-up URL base: --public-url, else the Host the kiosk used, else the hub's own URL. */
  baseUrl(fromRequest: string | null = null): string {
    return this.publicUrl ?? fromRequest ?? this.fallbackBaseUrl;
  }

  /** The printer a device prints on: its own setting, else (kiosks only) the hub's default. */
  configFor(deviceId: string, role: Actor['role'] | null): PrinterConfig | null {
    const own = this.deps.settings.find(deviceId);
    if (own) return own;
    return role === 'kiosk' ? this.defaultPrinter : null;
  }

  /**
   * Prints a just-committed ticket on the printer of `deviceId` (the kiosk it was issued at).
   * Null when that device has no printer. Never throws: a printer fault is a job state.
   */
  printIssued(
    ticket: Ticket,
    position: TicketPosition,
    device: { deviceId: string; role: Actor['role'] },
    baseUrl: string,
    jobId?: string,
  ): PrintInfoDto | null {
    const config = this.configFor(device.deviceId, device.role);
    if (!config) return null;
    return this.print(ticket, position, config, { deviceIds: [device.deviceId] }, baseUrl, jobId);
  }

  /** What printIssued will start for a new ticket (stored with an idempotent answer). */
  plan(ticketId: string, device: { deviceId: string; role: Actor['role'] }): PrintInfoDto | null {
    const config = this.configFor(device.deviceId, device.role);
    if (!config) return null;
    return {
      jobId: `ticket-${ticketId}-1`,
      printerId: printerIdOf(config.url),
      state: 'queued',
      reason: null,
    };
  }

  /** A job's state now, if its printer still runs and remembers it. */
  jobState(jobId: string, printerId: string): PrintInfoDto | null {
    const job = this.registryInstance?.byId(printerId)?.service.job(jobId);
    return job ? { jobId, printerId, state: job.state, reason: job.reason } : null;
  }

  /**
   * A second copy, planned now and started by `run` once the request's transaction committed:
   * on the printer of `kioskId` if given, else of the kiosk that issued the ticket, else the
   * default printer. The counter holding the ticket or an admin may ask.
   */
  planReprint(ticketId: string, actor: Actor, kioskId?: string): ReprintPlan {
    const ticket = this.deps.tickets.get(ticketId);
    if (
      actor.role !== 'admin' &&
      !(
        actor.role === 'counter' &&
        ticket.counterId !== null &&
        ticket.counterId === actor.counterId
      )
    )
      throw new HubError(403, 'forbidden', `This device does not hold ticket ${ticket.number}.`);
    if (kioskId !== undefined) this.deps.devices.get(kioskId);
    const deviceId = kioskId ?? this.deps.tickets.issuedBy(ticket.id);
    const config =
      (deviceId !== null ? this.configFor(deviceId, this.roleOf(deviceId)) : null) ??
      this.defaultPrinter;
    if (!config)
      throw new HubError(
        409,
        'no_printer',
        `No printer for ticket ${ticket.number}: its kiosk has none and the hub has no default.`,
      );
    const jobId = this.nextJobId(ticket.id);
    const audience = { deviceIds: [actor.deviceId, ...(deviceId ? [deviceId] : [])] };
    return {
      planned: { jobId, printerId: printerIdOf(config.url), state: 'queued', reason: null },
      run: (baseUrl) =>
        this.print(ticket, this.deps.tickets.position(ticket), config, audience, baseUrl, jobId),
    };
  }

  /** A sample ticket on a kiosk's printer (or the default one): the admin's "test" button. */
  planTest(actor: Actor, deviceId?: string): ReprintPlan {
    if (deviceId !== undefined) this.deps.devices.get(deviceId);
    const config = deviceId ? this.configFor(deviceId, this.roleOf(deviceId)) : this.defaultPrinter;
    if (!config)
      throw new HubError(
        409,
        'no_printer',
        deviceId
          ? `Device "${deviceId}" has no printer (and the hub has no default).`
          : 'The hub has no default printer: name a kiosk whose printer to test.',
      );
    const jobId = `test-${randomUUID()}`;
    return {
      planned: { jobId, printerId: printerIdOf(config.url), state: 'queued', reason: null },
      run: (baseUrl) => {
        const branch = this.deps.branch.settings();
        const sample: PrintableTicket = {
          number: 'TEST',
          serviceName: 'Test',
          branchName: branch.name,
          issuedAt: this.deps.ctx.clock.now(),
          lang: branch.defaultLang,
          ahead: 0,
          estimatedWaitSec: null,
          followUpUrl: `${baseUrl}/`,
        };
        return this.enqueue(config, jobId, sample, {
          ticketId: null,
          audience: { deviceIds: [actor.deviceId], roles: ['admin'] },
        });
      },
    };
  }

  /** Every configured printer (each kiosk's and the default), started if not yet running. */
  list(): PrinterDto[] {
    const settings = this.deps.settings.list();
    return this.wanted().map((config) => {
      const printer = this.registry.get(config);
      return merged(printerStatusDto(printer), {
        url: config.url,
        deviceIds: settings.filter((s) => s.url === config.url).map((s) => s.deviceId),
        isDefault: this.defaultPrinter?.url === config.url,
        pendingJobs: printer.service.pendingJobs().map(jobToDto),
      });
    });
  }

  /** A device's printer status (the kiosk's "printer" light), null without a printer. */
  statusFor(actor: Actor): PrinterStatusDto | null {
    const config = this.configFor(actor.deviceId, actor.role);
    return config ? printerStatusDto(this.registry.get(config)) : null;
  }

  /**
   * Starts every configured printer: its status is polled (admin and kiosks see it before the
   * first ticket) and its renderer warmed up. Called when the hub starts.
   */
  startConfigured(): void {
    for (const config of this.wanted()) this.registry.get(config);
  }

  /** After a device's printer setting changed: closes what no setting names, starts the rest. */
  async settingsChanged(): Promise<void> {
    if (this.registryInstance) await this.registryInstance.reconcile(this.wanted());
    this.startConfigured();
  }

  async close(): Promise<void> {
    await this.registryInstance?.close();
  }

  private print(
    ticket: Ticket,
    position: TicketPosition,
    config: PrinterConfig,
    audience: LiveAudience,
    baseUrl: string,
    jobId: string = this.nextJobId(ticket.id),
  ): PrintInfoDto {
    const branch = this.deps.branch.settings();
    const printable = toPrintableTicket(ticket, position, branch, this.deps.services, baseUrl);
    return this.enqueue(config, jobId, printable, {
      ticketId: ticket.id,
      audience: merged(audience, { roles: ['admin'] as const }),
    });
  }

  private enqueue(
    config: PrinterConfig,
    jobId: string,
    printable: PrintableTicket,
    meta: JobMeta,
  ): PrintInfoDto {
    const printerId = printerIdOf(config.url);
    try {
      const printer = this.registry.get(config);
      // Known before print(): its first job event may be emitted synchronously.
      this.jobs.set(jobId, meta);
      printer.service.print(printable, { jobId });
      const job = printer.service.job(jobId);
      return { jobId, printerId, state: job?.state ?? 'queued', reason: job?.reason ?? null };
    } catch (error) {
      // A ticket the printer library refuses, or a registry closing under us: the ticket stands.
      this.jobs.delete(jobId);
      this.log.warn({ err: error, jobId }, 'ticket not printed');
      return { jobId, printerId, state: 'failed', reason: 'The ticket could not be printed.' };
    }
  }

  /** `ticket-<id>-<n>`: 1 for the first print, then the next number no printer knows. */
  private nextJobId(ticketId: string): string {
    const printers = this.registryInstance?.running() ?? [];
    for (let n = 1; ; n++) {
      const id = `ticket-${ticketId}-${n}`;
      if (!this.jobs.has(id) && !printers.some((p) => p.service.job(id) !== undefined)) return id;
    }
  }

  /** Distinct printers the settings name; the first setting of a URL gives its paper and type. */
  private wanted(): PrinterConfig[] {
    const byUrl = new Map<string, PrinterConfig>();
    for (const s of this.deps.settings.list())
      if (!byUrl.has(s.url))
        byUrl.set(s.url, { url: s.url, paperWidthMm: s.paperWidthMm, printerType: s.printerType });
    if (this.defaultPrinter && !byUrl.has(this.defaultPrinter.url))
      byUrl.set(this.defaultPrinter.url, this.defaultPrinter);
    return [...byUrl.values()];
  }

  private roleOf(deviceId: string): Actor['role'] | null {
    try {
      return this.deps.devices.get(deviceId).role;
    } catch {
      return null;
    }
  }

  private forwardJob(printer: RegisteredPrinter, job: JobInfo): void {
    const meta = this.jobs.get(job.id);
    if (!meta) return;
    if (TERMINAL.has(job.state)) this.jobs.delete(job.id);
    this.deps.live.publish(
      {
        type: 'print.job',
        at: iso(job.updatedAt),
        ticketId: meta.ticketId,
        jobId: job.id,
        printerId: printer.id,
        state: job.state,
        attempts: job.attempts,
        ...(job.reason ? { reason: job.reason } : {}),
      },
      meta.audience,
    );
  }

  private forwardStatus(printer: RegisteredPrinter): void {
    const status = printer.service.status();
    const key = `${status.state}|${status.paperNearEnd}|${status.pending}`;
    if (this.lastStatus.get(printer.id) === key) return;
    this.lastStatus.set(printer.id, key);
    this.deps.live.publish(
      {
        type: 'printer.status',
        at: iso(status.checkedAt),
        printerId: printer.id,
        state: status.state,
        paperNearEnd: status.paperNearEnd,
        pending: status.pending,
      },
      // Kiosks pick their own printer's by id (GET /api/v1/me/printer); displays never see these.
      { roles: ['admin', 'kiosk'] },
    );
  }
}
