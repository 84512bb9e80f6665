// The agent's link to its hub in the background: refresh the services, top up number blocks (for
// today and the next business day), push the log (the hub's own pushLog). One round at a time; after a failure the next round waits
// retryDelayMs(attempt) (full jitter, core/sync/backoff.ts), otherwise `intervalMs`.
import { z } from 'zod';
import { DEFAULT_NUMBER_BLOCK_SIZE, NumberBlockDto, ServiceDto } from '../../core/api/schemas';
import { addDays, nextBusinessDay } from '../../core/numbering';
import { retryDelayMs } from '../../core/sync/backoff';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock';
import type { Db } from '../db/open-database';
import { pushLog } from '../sync/push-loop';
import { UpstreamHttp, UpstreamRefused } from '../sync/sync-http';
import type { AgentBlocks } from './agent-blocks';
import type { AgentIssuer } from './agent-issuer';
import type { AgentLog } from './agent-log';
import type { AgentMeta } from './agent-meta';
import { fetchWithoutKeepAlive } from './hub-forward';

export interface AgentSyncOptions {
  db: Db;
  clock: Clock;
  meta: AgentMeta;
  blocks: AgentBlocks;
  issuer: AgentIssuer;
  log: AgentLog;
  hubUrl: string;
  token: string;
  logger: FastifyBaseLogger;
  /** Between successful rounds. */
  intervalMs?: number;
  retryDelay?: (attempt: number) => number;
  blockSize?: number;
}

export class AgentSyncLoop {
  private readonly http: UpstreamHttp;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private attempt = 0;
  private stopped = false;
  private again = false;
  /** Whether the last round reached the hub. */
  online = false;

  constructor(private readonly o: AgentSyncOptions) {
    this.http = new UpstreamHttp({
      baseUrl: o.hubUrl,
      token: o.token,
      fetch: fetchWithoutKeepAlive,
    });
  }

  start(): void {
    this.schedule(0);
  }

  /** Something changed here (a ticket issued offline): run a round soon, unless backing off. */
  nudge(): void {
    if (this.attempt === 0) this.schedule(0);
  }

  /** Resolves when a round has run after this call (tests wait on it; nothing else sleeps). */
  async syncNow(): Promise<void> {
    if (this.running) await this.running;
    await this.round();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.http.abortAll();
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) {
        this.again = true;
        return;
      }
      void this.round();
    }, delayMs);
  }

  private round(): Promise<void> {
    const run = (async () => {
      try {
        await this.refreshServices();
        await this.topUpBlocks();
        const agentId = this.o.meta.agentId();
        if (agentId)
          await pushLog(this.http, this.o.log.pushSource(agentId), this.o.log.ackStore(), () =>
            this.o.clock.now(),
          );
        this.online = true;
        this.attempt = 0;
      } catch (error) {
        this.online = false;
        this.attempt += 1;
        this.o.logger.warn({ err: error, attempt: this.attempt }, 'agent sync round failed');
      }
    })();
    this.running = run;
    return run.finally(() => {
      this.running = null;
      const delay = this.again
        ? 0
        : this.attempt === 0
          ? (this.o.intervalMs ?? 10_000)
          : (this.o.retryDelay ?? retryDelayMs)(this.attempt);
      this.again = false;
      this.schedule(delay);
    });
  }

  private async refreshServices(): Promise<void> {
    const services = await this.http.request('GET', '/api/v1/services', z.array(ServiceDto));
    this.o.meta.setServices(services);
  }

  /**
   * Keeps at least half a block of unused numbers per open service for today and for the next
   * business day, both as this agent sees them (its clock corrected by the last measured offset):
   * when the day turns while the hub is unreachable, the new day's numbers are already here.
   * Then forgets the unused blocks of days before yesterday.
   */
  private async topUpBlocks(): Promise<void> {
    const open = (this.o.meta.services() ?? []).filter((s) => s.open);
    const first = open[0];
    // A refused day means our corrected clock is on another day than the hub's (it stepped since
    // the offset was measured). One block for the hub's own today, which it always grants,
    // measures the offset again; then one more pass asks for the right days (and pruning below
    // does not go by a wrong day). Within a round trip of midnight a refusal may remain: the next
    // round asks again.
    if (!(await this.topUpPass(open)) && first) {
      await this.topUp(first.id, null);
      await this.topUpPass(open);
    }
    const today = this.o.issuer.today();
    if (today) this.o.blocks.pruneBefore(addDays(today, -1));
  }

  /** Today's and the next day's blocks of each service; false if the hub refused a day. */
  private async topUpPass(open: readonly ServiceDto[]): Promise<boolean> {
    let granted = true;
    for (const service of open) {
      // Before the first block the time zone is unknown: the hub grants its own today, and the
      // answer tells the zone and the offset, so the next day can be asked right after.
      if (!(await this.topUp(service.id, this.o.issuer.today()))) granted = false;
      const day = this.o.issuer.today();
      if (day && !(await this.topUp(service.id, nextBusinessDay(day)))) granted = false;
    }
    return granted;
  }

  /** Tops up one (service, day), or today's on the hub when `day` is null; false if refused. */
  private async topUp(serviceId: string, day: string | null): Promise<boolean> {
    const size = this.o.blockSize ?? DEFAULT_NUMBER_BLOCK_SIZE;
    if (day && this.o.blocks.remaining(serviceId, day) >= Math.ceil(size / 2)) return true;
    const body = JSON.stringify({
      epoch: this.o.meta.epoch(),
      serviceId,
      size,
      ...(day ? { businessDay: day } : {}),
    });
    const sentAt = this.o.clock.now();
    let block: NumberBlockDto;
    try {
      block = await this.http.request('POST', '/api/v1/number-blocks', NumberBlockDto, body);
    } catch (error) {
      // Our clock is on another day than the hub's (near midnight, or it stepped): not an error.
      if (error instanceof UpstreamRefused && error.code === 'business_day_not_grantable') {
        this.o.logger.info({ serviceId, day }, 'the hub grants no numbers for this day now');
        return false;
      }
      throw error;
    }
    const answeredAt = this.o.clock.now();
    // Stored before any of its numbers can be used, with what the answer taught.
    this.o.db.transaction(() => {
      this.o.blocks.store(block, answeredAt);
      this.o.meta.setAgentId(block.agentId);
      this.o.meta.setTimeZone(block.timeZone);
      this.o.meta.setClockOffsetMs(block.receiverTime - (sentAt + answeredAt) / 2);
    })();
    return true;
  }
}
