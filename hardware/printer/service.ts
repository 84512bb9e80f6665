import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { PrintQueue, printQueueOptionsSchema, type JobInfo, type PrinterStatus } from './queue.js';
import {
  printableTicketSchema,
  renderTicket,
  ticketLayoutOptionsSchema,
  type PrintableTicket,
} from './ticket.js';
import { createTransport, type TransportDeps } from './transports/index.js';
import { formatPrinterTarget, parsePrinterUrl, printerUrlSchema } from './url.js';

/**
 * What the hub uses: one PrinterService per configured printer (per kiosk device).
 *
 *   const printer = PrinterService.create({ url: 'tcp://10.0.0.50:9100', paperWidthMm: 80 });
 *   printer.on('status', (s) => ...);       // ready / paper_out / unreachable ...
 *   printer.on('job', (j) => ...);          // queued / printing / printed / failed
 *   const jobId = printer.print(ticket);    // returns at once, never throws for printer faults
 *   await printer.close();
 */
export const printerServiceConfigSchema = ticketLayoutOptionsSchema.omit({ lang: true }).extend({
  url: printerUrlSchema,
  paperWidthMm: ticketLayoutOptionsSchema.shape.paperWidthMm.default(80),
  queue: printQueueOptionsSchema.partial().default({}),
});
export type PrinterServiceConfig = z.input<typeof printerServiceConfigSchema>;

export interface ServiceStatus extends PrinterStatus {
  /** Normalised printer URL. */
  url: string;
}

interface ServiceEvents {
  status: [ServiceStatus];
  job: [JobInfo];
}

export interface PrintOptions {
  /** Job id (letters, digits, . _ : -). Same id twice prints once. Default: random. */
  jobId?: string;
  /** Overrides the ticket's language for labels and date. */
  lang?: string;
}

export class PrinterService extends EventEmitter<ServiceEvents> {
  readonly url: string;
  private readonly queue: PrintQueue;
  private readonly config: z.output<typeof printerServiceConfigSchema>;

  private constructor(config: z.output<typeof printerServiceConfigSchema>, deps: TransportDeps) {
    super();
    this.config = config;
    const target = parsePrinterUrl(config.url);
    this.url = formatPrinterTarget(target);
    this.queue = new PrintQueue(() => createTransport(target, deps), config.queue);
    this.queue.on('status', (status) => this.emit('status', { ...status, url: this.url }));
    this.queue.on('job', (job) => this.emit('job', job));
  }

  /** Validates the configuration (throws a ZodError / InvalidPrinterUrlError) and starts. */
  static create(config: PrinterServiceConfig, deps: TransportDeps = {}): PrinterService {
    return new PrinterService(printerServiceConfigSchema.parse(config), deps);
  }

  /**
   * Queues a ticket and returns its job id at once. Throws only for an invalid ticket (a bug in
   * the caller); printer trouble is reported through 'job' and 'status' events.
   * A reprint is simply another call (a new job id).
   */
  print(ticket: PrintableTicket, options: PrintOptions = {}): string {
    const valid = printableTicketSchema.parse(ticket);
    if (options.lang !== undefined) printableTicketSchema.shape.lang.parse(options.lang);
    const jobId = options.jobId ?? `job-${randomUUID()}`;
    const { queue: _queue, url: _url, ...layout } = this.config;
    this.queue.enqueue({
      id: jobId,
      label: valid.number,
      // Rendering happens in the queue's background loop, not in the caller's request.
      data: () =>
        renderTicket(valid, { ...layout, ...(options.lang ? { lang: options.lang } : {}) }),
    });
    return jobId;
  }

  /** Queues already-built printer bytes (test pages, doctor). */
  printRaw(data: Buffer, options: { jobId?: string; label?: string } = {}): string {
    const jobId = options.jobId ?? `job-${randomUUID()}`;
    this.queue.enqueue({ id: jobId, data: Buffer.from(data), label: options.label ?? 'raw' });
    return jobId;
  }

  /**
   * Renders a sample ticket and throws away the bytes: loads fonts and scales the logo once, so
   * the first real ticket after start-up is as fast as the others. Rejects (MissingFontError...)
   * if tickets cannot be rendered at all, which the hub can report at start-up.
   */
  async warmUp(lang = 'en'): Promise<void> {
    const { queue: _queue, url: _url, ...layout } = this.config;
    await renderTicket(
      {
        number: 'A000',
        serviceName: 'Warm-up',
        branchName: 'Guichet',
        issuedAt: Date.now(),
        lang,
        ahead: 0,
        estimatedWaitSec: null,
        followUpUrl: 'https://guichet.invalid/',
      },
      layout,
    );
  }

  status(): ServiceStatus {
    return { ...this.queue.status(), url: this.url };
  }

  job(id: string): JobInfo | undefined {
    return this.queue.get(id);
  }

  pendingJobs(): JobInfo[] {
    return this.queue.pending();
  }

  cancel(jobId: string): boolean {
    return this.queue.cancel(jobId);
  }

  /** Resolves when the job is printed or failed. */
  waitForJob(jobId: string, timeoutMs = 30_000): Promise<JobInfo> {
    return this.queue.waitFor(jobId, timeoutMs);
  }

  /** Re-reads the printer's status now instead of at the next poll. */
  refreshStatus(): void {
    this.queue.refresh();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
