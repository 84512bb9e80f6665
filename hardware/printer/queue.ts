import { PRINTER_STATES } from '../../core/api/schemas';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { PrinterClosedError, PrinterError, PrinterProtocolError } from './errors.js';
import {
  isTransmitStatusByte,
  notReadyReason,
  PRINT_BARRIER,
  queryStatus,
  type PrinterStatusFlags,
} from './status.js';
import type { PrinterTransport } from './transports/transport.js';

/**
 * One queue per printer, one job on the wire at a time.
 *
 * Delivery guarantee (read this before changing anything):
 *  - A job's bytes are sent only to a printer that has just answered a status request saying it
 *    is online, closed and has paper. A printer that is off, unplugged, out of paper or that never
 *    answers (black hole) gets nothing: its jobs wait, costing no attempt, until it is back or
 *    the job's own timeout expires. Those failures can never duplicate a ticket.
 *  - The job is followed by "GS r 1", which the printer answers only after processing everything
 *    before it. The job is marked `printed` when that answer arrives, and only then; a printed
 *    job is never sent again (ids are unique, enqueue of a known id is a no-op).
 *  - The one ambiguous window is after the first byte was written and before the answer: the
 *    cable pulled mid-job, the printer stalling, paper running out mid-ticket. The ticket may be
 *    half-printed, fully printed, or not at all. We choose at-least-once there: the job goes back
 *    to the queue (`uncertain: true`) and is printed again, up to `maxUncertainAttempts` times.
 *    A second copy of the same number is harmless (same number, same QR); a visitor left without
 *    a ticket is not. Set `onUncertain: 'fail'` for at-most-once instead.
 *  - Jobs live in memory: a hub restart forgets queued jobs (the kiosk still shows the ticket).
 */

export const JOB_STATES = ['queued', 'printing', 'printed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobInfo {
  id: string;
  state: JobState;
  /** Times the job's bytes were sent. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** Set when a previous attempt may have printed (see the guarantee above). */
  uncertain: boolean;
  /** Why it is waiting (queued) or why it failed. */
  reason: string | null;
  /** Free-form label from the caller (e.g. the ticket number), for logs and admin. */
  label: string | null;
}

// One list with the API's (core/api/schemas.ts): what the queue reports is what the hub sends.
export { PRINTER_STATES };
export type PrinterState = (typeof PRINTER_STATES)[number];

export interface PrinterStatus {
  state: PrinterState;
  /** Last flags the printer reported (null if it never answered or cannot be read). */
  flags: PrinterStatusFlags | null;
  paperNearEnd: boolean;
  /** Jobs queued or printing. */
  pending: number;
  /** Last error message, for admin. */
  lastError: string | null;
  checkedAt: number;
}

export const printQueueOptionsSchema = z.object({
  connectTimeoutMs: z.number().int().min(10).max(60_000).default(3000),
  /** A printer answers DLE EOT in a few ms; longer means it is not listening. */
  statusTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
  writeTimeoutMs: z.number().int().min(10).max(120_000).default(10_000),
  /** Printing a ticket takes 1-3 s; the completion answer comes after it. */
  ackTimeoutMs: z.number().int().min(10).max(120_000).default(15_000),
  /** How often a waiting job re-checks a not-ready printer. */
  pollIntervalMs: z.number().int().min(5).max(60_000).default(1000),
  /** Status refresh with no jobs (for admin and the kiosk). 0 disables. */
  idlePollIntervalMs: z.number().int().min(0).max(3_600_000).default(10_000),
  backoffInitialMs: z.number().int().min(1).max(60_000).default(250),
  backoffMaxMs: z.number().int().min(1).max(300_000).default(5000),
  /** An unprinted job fails after this long (the visitor has left or been served). */
  jobTimeoutMs: z
    .number()
    .int()
    .min(10)
    .max(24 * 3_600_000)
    .default(10 * 60_000),
  maxUncertainAttempts: z.number().int().min(1).max(10).default(3),
  onUncertain: z.enum(['reprint', 'fail']).default('reprint'),
  /**
   * 'dle-eot': ask status before each job and confirm completion with GS r (Epson and
   * compatibles, Star in ESC/POS mode). 'none': write and trust (printers that answer nothing).
   * Transports that cannot read (device files) always behave as 'none'.
   */
  statusProtocol: z.enum(['dle-eot', 'none']).default('dle-eot'),
  /** Finished jobs remembered for lookup and id de-duplication. */
  historySize: z.number().int().min(1).max(100_000).default(500),
});
export type PrintQueueOptions = z.input<typeof printQueueOptionsSchema>;
type ResolvedOptions = z.output<typeof printQueueOptionsSchema>;

export interface PrintJobInput {
  id: string;
  /** The bytes, or a function building them (run once, in the background). */
  data: Buffer | (() => Promise<Buffer>);
  label?: string;
  /** Overrides jobTimeoutMs for this job. */
  timeoutMs?: number;
}

interface Job {
  info: JobInfo;
  data: Buffer | (() => Promise<Buffer>);
  deadline: number;
}

interface QueueEvents {
  job: [JobInfo];
  status: [PrinterStatus];
}

const jobIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/);

export class PrintQueue extends EventEmitter<QueueEvents> {
  private readonly options: ResolvedOptions;
  private readonly jobs: Job[] = [];
  private readonly finished = new Map<string, JobInfo>();
  private transport: PrinterTransport | null = null;
  private currentStatus: PrinterStatus;
  private closed = false;
  private wake: (() => void) | null = null;
  private poked = false;
  private failures = 0;
  private readonly loop: Promise<void>;

  constructor(
    private readonly openTransport: () => PrinterTransport,
    options: PrintQueueOptions = {},
  ) {
    super();
    this.options = printQueueOptionsSchema.parse(options);
    this.currentStatus = {
      state: 'unknown',
      flags: null,
      paperNearEnd: false,
      pending: 0,
      lastError: null,
      checkedAt: 0,
    };
    this.loop = this.run();
  }

  status(): PrinterStatus {
    return { ...this.currentStatus, pending: this.jobs.length };
  }

  /** Adds a job and returns at once; never waits for the printer. Same id twice = one job. */
  enqueue(input: PrintJobInput): JobInfo {
    if (this.closed) throw new PrinterClosedError('print queue is closed');
    const id = jobIdSchema.parse(input.id);
    const existing = this.get(id);
    if (existing) return existing;
    const now = Date.now();
    const job: Job = {
      info: {
        id,
        state: 'queued',
        attempts: 0,
        createdAt: now,
        updatedAt: now,
        uncertain: false,
        reason: null,
        label: input.label?.slice(0, 64) ?? null,
      },
      data: input.data,
      deadline: now + (input.timeoutMs ?? this.options.jobTimeoutMs),
    };
    this.jobs.push(job);
    this.emitJob(job);
    this.poke();
    return { ...job.info };
  }

  get(id: string): JobInfo | undefined {
    const live = this.jobs.find((j) => j.info.id === id);
    if (live) return { ...live.info };
    const done = this.finished.get(id);
    return done ? { ...done } : undefined;
  }

  /** Jobs queued or printing, oldest first. */
  pending(): JobInfo[] {
    return this.jobs.map((j) => ({ ...j.info }));
  }

  /** Removes a queued job (not one being printed). */
  cancel(id: string): boolean {
    const index = this.jobs.findIndex((j) => j.info.id === id && j.info.state === 'queued');
    if (index === -1) return false;
    const [job] = this.jobs.splice(index, 1);
    this.finish(job!, 'failed', 'cancelled');
    return true;
  }

  /** Resolves when the job is printed or failed (for tests, doctor and the CLI). */
  waitFor(id: string, timeoutMs: number): Promise<JobInfo> {
    const known = this.get(id);
    if (known && (known.state === 'printed' || known.state === 'failed'))
      return Promise.resolve(known);
    return new Promise<JobInfo>((resolve, reject) => {
      const onJob = (info: JobInfo): void => {
        if (info.id !== id || (info.state !== 'printed' && info.state !== 'failed')) return;
        clearTimeout(timer);
        this.off('job', onJob);
        resolve(info);
      };
      const timer = setTimeout(() => {
        this.off('job', onJob);
        reject(new Error(`job ${id} not finished within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('job', onJob);
    });
  }

  /** Asks the loop to refresh status now (e.g. admin pressed "check"). */
  refresh(): void {
    this.poke();
  }

  /** Stops the loop, fails jobs still queued (PrinterClosedError) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poke();
    await this.transport?.close();
    await this.loop;
    for (const job of this.jobs.splice(0)) this.finish(job, 'failed', 'closed');
  }

  // ---------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    let lastIdleCheck = 0;
    while (!this.closed) {
      this.expireJobs();
      const job = this.jobs[0];
      if (!job) {
        const idle = this.options.idlePollIntervalMs;
        if (idle > 0 && Date.now() - lastIdleCheck >= idle) {
          lastIdleCheck = Date.now();
          await this.checkReady();
        }
        // Hang up while idle: many network printers serve one connection at a time and drop
        // idle ones on their own (sometimes without a FIN). A fresh connection per burst of
        // jobs costs a millisecond on a LAN and never starts a ticket on a dead socket.
        await this.dropTransport();
        await this.sleep(idle > 0 ? idle : 60_000);
        continue;
      }
      const ready = await this.checkReady();
      lastIdleCheck = Date.now();
      if (this.closed) break;
      if (ready === 'ready') {
        await this.attempt(job);
      } else {
        this.setWaitingReason(job, ready);
        // Not ready but answering (paper out...): poll; unreachable or silent: back off.
        await this.sleep(
          ready === 'unreachable' || ready === 'not_responding'
            ? this.backoff()
            : this.options.pollIntervalMs,
        );
      }
    }
  }

  /** Connects if needed and reads status. Never sends job data. */
  private async checkReady(): Promise<PrinterState> {
    let transport: PrinterTransport;
    try {
      transport = await this.connect();
    } catch (error) {
      this.failures++;
      await this.dropTransport();
      this.updateStatus({ state: 'unreachable', flags: null, lastError: messageOf(error) });
      return 'unreachable';
    }
    if (!transport.canRead || this.options.statusProtocol === 'none') {
      this.failures = 0;
      this.updateStatus({ state: 'ready', flags: null, lastError: null });
      return 'ready';
    }
    try {
      const flags = await queryStatus(transport, this.options.statusTimeoutMs);
      this.failures = 0;
      const state: PrinterState = notReadyReason(flags) ?? 'ready';
      this.updateStatus({ state, flags, paperNearEnd: flags.paperNearEnd, lastError: null });
      return state;
    } catch (error) {
      this.failures++;
      // A timed-out query may still be answered later: drop the connection so a late byte can
      // never be read as the answer to the next question.
      await this.dropTransport();
      const state: PrinterState =
        error instanceof PrinterError && error.code === 'disconnected'
          ? 'unreachable'
          : 'not_responding';
      this.updateStatus({ state, flags: null, lastError: messageOf(error) });
      return state;
    }
  }

  private async attempt(job: Job): Promise<void> {
    let data: Buffer;
    try {
      if (typeof job.data === 'function') job.data = await job.data();
      data = job.data;
    } catch (error) {
      this.jobs.shift();
      this.finish(job, 'failed', `cannot build ticket: ${messageOf(error)}`);
      return;
    }
    const transport = this.transport;
    if (!transport) return;
    const confirm = transport.canRead && this.options.statusProtocol === 'dle-eot';
    job.info.attempts++;
    this.setState(job, 'printing', null);
    try {
      transport.discardInput();
      await transport.write(
        confirm ? Buffer.concat([data, PRINT_BARRIER]) : data,
        this.options.writeTimeoutMs,
      );
      if (confirm) {
        const ack = await transport.read(1, this.options.ackTimeoutMs);
        if (!isTransmitStatusByte(ack[0]!)) {
          throw new PrinterProtocolError(`unexpected completion answer 0x${ack[0]!.toString(16)}`);
        }
      }
      this.jobs.shift();
      this.failures = 0;
      this.finish(job, 'printed', null);
    } catch (error) {
      // Some or all bytes may have reached the printer: the ambiguous window.
      await this.dropTransport();
      const reason = messageOf(error);
      this.updateStatus({
        state: this.currentStatus.state === 'ready' ? 'not_responding' : this.currentStatus.state,
        lastError: reason,
      });
      if (
        this.options.onUncertain === 'fail' ||
        job.info.attempts >= this.options.maxUncertainAttempts
      ) {
        this.jobs.shift();
        job.info.uncertain = true;
        this.finish(job, 'failed', `may not have printed: ${reason}`);
        return;
      }
      job.info.uncertain = true;
      this.setState(job, 'queued', `retrying: ${reason}`);
      this.failures++;
      await this.sleep(this.backoff());
    }
  }

  private async connect(): Promise<PrinterTransport> {
    if (this.transport?.isOpen) return this.transport;
    await this.dropTransport();
    const transport = this.openTransport();
    this.transport = transport;
    await transport.open(this.options.connectTimeoutMs);
    if (this.closed) {
      await transport.close();
      throw new PrinterClosedError('print queue is closed');
    }
    return transport;
  }

  private async dropTransport(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
  }

  private expireJobs(): void {
    const now = Date.now();
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const job = this.jobs[i]!;
      if (job.info.state === 'queued' && now >= job.deadline) {
        this.jobs.splice(i, 1);
        this.finish(
          job,
          'failed',
          `expired: not printed within its timeout (${job.info.reason ?? 'printer not ready'})`,
        );
      }
    }
  }

  private backoff(): number {
    const { backoffInitialMs, backoffMaxMs } = this.options;
    const base = Math.min(
      backoffMaxMs,
      backoffInitialMs * 2 ** Math.min(16, Math.max(0, this.failures - 1)),
    );
    // ±20 % jitter so several kiosks do not hammer a rebooting printer in step.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /**
   * Waits `ms` or until poked. A poke that arrives while the loop is busy elsewhere (awaiting a
   * status or a close) is remembered, so the next sleep returns at once: an enqueue can never be
   * missed and left waiting for the next idle poll.
   */
  private sleep(ms: number): Promise<void> {
    if (this.closed || this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private setWaitingReason(job: Job, state: PrinterState): void {
    const reason = `waiting for printer: ${state}`;
    if (job.info.reason !== reason) this.setState(job, 'queued', reason);
  }

  private setState(job: Job, state: JobState, reason: string | null): void {
    job.info.state = state;
    job.info.reason = reason;
    job.info.updatedAt = Date.now();
    this.emitJob(job);
  }

  private finish(job: Job, state: 'printed' | 'failed', reason: string | null): void {
    job.data = Buffer.alloc(0); // free the ticket bytes
    this.finished.set(job.info.id, job.info);
    if (this.finished.size > this.options.historySize) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
    this.setState(job, state, reason);
  }

  private emitJob(job: Job): void {
    this.emit('job', { ...job.info });
  }

  private updateStatus(change: Partial<PrinterStatus>): void {
    const before = this.currentStatus;
    const next: PrinterStatus = {
      ...before,
      ...change,
      pending: this.jobs.length,
      checkedAt: Date.now(),
    };
    this.currentStatus = next;
    const key = (s: PrinterStatus): string => JSON.stringify([s.state, s.flags, s.paperNearEnd]);
    if (key(before) !== key(next)) this.emit('status', this.status());
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
