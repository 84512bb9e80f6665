// Printing on the kiosk agent's own printer (`guichet agent --printer URL`): every ticket its kiosk
// is given, the hub's (forwarded) and its own (offline, from number blocks), once it is committed
// and after the answer is on its way. The hub's printing stack does the work: the printer registry
// (one PrintQueue per printer, status polling), the ticket layout, the job and status events; this
// file only turns a ticket answer into a printable ticket and the printer's events into the live
// messages the kiosk screen already reads (`print.job`, `printer.status`).
import type {
  HubLiveMessage,
  IssuedTicketDto,
  PrinterStatusDto,
  PrintInfoDto,
} from '../../core/api/schemas';
import type {
  JobInfo,
  PrintableTicket,
  PrintQueueOptionsInput,
} from '../features/printing/hardware-types';
import { afterAnswer } from '../features/printing/print-after-commit';
import { followUpUrl, serviceNameFor } from '../features/printing/printable-ticket';
import {
  PrinterRegistry,
  printerStatusDto,
  type RegisteredPrinter,
} from '../features/printing/printer-registry';
import {
  normalisePrinterUrl,
  printerIdOf,
  type PrinterConfig,
} from '../features/printing/printer-settings-store';
import type { AgentMeta } from './agent-meta';
import type { WarnLog } from '../hub-log';

/** `--printer URL --paper-width N --printer-type T`, as for the hub. */
export type AgentPrinterOptions = Omit<PrinterConfig, 'printerType'> &
  Partial<Pick<PrinterConfig, 'printerType'>>;

export type AgentLiveListener = (message: HubLiveMessage) => void;

/** The printer library caps estimates at a week, as the hub does. */
const MAX_ESTIMATE_SEC = 7 * 24 * 3600;
/** Ticket ids printed by this process, kept to refuse a second print; old ones are forgotten. */
const MAX_REMEMBERED = 10_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** The job of a ticket's first print, as the hub names it (hardware/README.md). */
export const firstJobId = (ticketId: string): string => `ticket-${ticketId}-1`;

export class AgentPrinting {
  private readonly config: PrinterConfig;
  private readonly registry: PrinterRegistry;
  /** Job id → ticket id, for jobs started here (their events name the ticket). */
  private readonly started = new Map<string, string>();
  private readonly listeners = new Set<AgentLiveListener>();
  private lastStatus: string | null = null;

  constructor(
    printer: AgentPrinterOptions,
    private readonly meta: AgentMeta,
    private readonly log: WarnLog,
    /** Base of the follow-up URL printed as the QR code when the answer names none. */
    private readonly followUpBase: () => string,
    queue: PrintQueueOptionsInput = {},
  ) {
    // Throws InvalidPrinterUrlError for a bad URL: the CLI has checked it already.
    this.config = {
      url: normalisePrinterUrl(printer.url),
      paperWidthMm: printer.paperWidthMm,
      printerType: printer.printerType ?? 'epson',
    };
    this.registry = new PrinterRegistry({
      // Printed times are the branch's: the zone the hub gave with its blocks, else its branch.
      timeZone: () =>
        meta.timeZone() ??
        meta.branch()?.timeZone ??
        Intl.DateTimeFormat().resolvedOptions().timeZone,
      queue,
    });
    this.registry.on('created', (entry) => {
      entry.service.warmUp(meta.branch()?.defaultLang ?? 'fr').catch((error: unknown) => {
        this.log.warn({ err: error, printerId: entry.id }, 'tickets cannot be rendered');
      });
    });
    this.registry.on('job', (entry, job) => this.forwardJob(entry, job));
    this.registry.on('status', (entry) => this.forwardStatus(entry));
  }

  get printerId(): string {
    return printerIdOf(this.config.url);
  }

  /** Starts the printer now: its status is polled before the first ticket. */
  start(): void {
    this.registry.get(this.config);
  }

  /** Live messages (`print.job`, `printer.status`) for the kiosk's stream. */
  subscribe(listener: AgentLiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The `print` of an answer for a ticket issued now: queued (true as the answer leaves), and the
   * print itself started right after the answer, never in its way. Replaces what the hub put there.
   */
  printAfterAnswer(ticket: IssuedTicketDto): PrintInfoDto {
    const planned = this.plan(ticket.id);
    afterAnswer(
      () => this.print(ticket),
      (error) => this.log.warn({ err: error, ticketId: ticket.id }, 'printing after issue failed'),
    );
    return planned;
  }

  /** The `print` of a replayed answer: the first job's state now; nothing is printed again. */
  current(ticketId: string): PrintInfoDto {
    const jobId = firstJobId(ticketId);
    const job = this.registry.byId(this.printerId)?.service.job(jobId);
    return job
      ? { jobId, printerId: this.printerId, state: job.state, reason: job.reason }
      : this.plan(ticketId);
  }

  /** The kiosk's printer light (GET /api/v1/me/printer). */
  status(): PrinterStatusDto {
    return printerStatusDto(this.registry.get(this.config));
  }

  async close(): Promise<void> {
    await this.registry.close();
  }

  private plan(ticketId: string): PrintInfoDto {
    return {
      jobId: firstJobId(ticketId),
      printerId: this.printerId,
      state: 'queued',
      reason: null,
    };
  }

  /** Queues the ticket's first print, once per ticket; a fault is a failed job, never a throw. */
  private print(ticket: IssuedTicketDto): void {
    const jobId = firstJobId(ticket.id);
    if (this.started.has(jobId)) return;
    this.remember(jobId, ticket.id);
    try {
      const entry = this.registry.get(this.config);
      // The queue also refuses a job id it knows: same id twice prints once.
      entry.service.print(this.printable(ticket), { jobId });
    } catch (error) {
      this.log.warn({ err: error, jobId }, 'ticket not printed');
      this.publish({
        type: 'print.job',
        at: new Date().toISOString(),
        ticketId: ticket.id,
        jobId,
        printerId: this.printerId,
        state: 'failed',
        attempts: 0,
        reason: 'The ticket could not be printed.',
      });
    }
  }

  private remember(jobId: string, ticketId: string): void {
    this.started.set(jobId, ticketId);
    if (this.started.size <= MAX_REMEMBERED) return;
    const oldest = this.started.keys().next().value;
    if (oldest !== undefined) this.started.delete(oldest);
  }

  /** The ticket as printed: branch and service names from what the hub last told this agent. */
  private printable(ticket: IssuedTicketDto): PrintableTicket {
    const branch = this.meta.branch();
    const service = this.meta.services()?.find((s) => s.id === ticket.serviceId);
    const serviceName =
      (service && serviceNameFor(service.name, ticket.lang, branch?.defaultLang ?? ticket.lang)) ??
      ticket.serviceId;
    return {
      number: ticket.number,
      serviceName,
      branchName: branch?.name || 'Guichet',
      issuedAt: Date.parse(ticket.issuedAt),
      lang: ticket.lang,
      ahead: Math.max(0, ticket.ahead),
      estimatedWaitSec:
        ticket.estimatedWaitSec === null
          ? null
          : Math.min(MAX_ESTIMATE_SEC, Math.max(0, Math.round(ticket.estimatedWaitSec))),
      followUpUrl: ticket.followUpUrl ?? followUpUrl(this.followUpBase(), ticket.id),
    };
  }

  private publish(message: HubLiveMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  private forwardJob(entry: RegisteredPrinter, job: JobInfo): void {
    const ticketId = this.started.get(job.id);
    if (ticketId === undefined) return;
    this.publish({
      type: 'print.job',
      at: iso(job.updatedAt),
      ticketId,
      jobId: job.id,
      printerId: entry.id,
      state: job.state,
      attempts: job.attempts,
      ...(job.reason ? { reason: job.reason } : {}),
    });
  }

  private forwardStatus(entry: RegisteredPrinter): void {
    const status = entry.service.status();
    const key = `${status.state}|${status.paperNearEnd}|${status.pending}`;
    if (this.lastStatus === key) return;
    this.lastStatus = key;
    this.publish({
      type: 'printer.status',
      at: iso(status.checkedAt),
      printerId: entry.id,
      state: status.state,
      paperNearEnd: status.paperNearEnd,
      pending: status.pending,
    });
  }
}
