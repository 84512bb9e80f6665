// Today's figures for the admin dashboard: read-only aggregates over the tickets table.
import { businessDay } from '../../../core/numbering';
import type { HubContext } from '../../hub-context';
import type { BranchStore } from '../branch/branch-store';
import { ON_BUSINESS_DAY } from '../tickets/ticket-rows';

export interface ServiceStats {
  serviceId: string;
  waiting: number;
  served: number;
  noShows: number;
  avgWaitSec: number | null;
  longestWaitSec: number;
}

export interface CounterStats {
  counterId: string;
  served: number;
  avgServiceSec: number | null;
  avgWaitSec: number | null;
}

export interface TodayStats {
  businessDay: string;
  waitingNow: number;
  servedToday: number;
  services: ServiceStats[];
  counters: CounterStats[];
}

/** The business day's tickets, once per statement (`ON_BUSINESS_DAY`: through the number index). */
export const DAY_TICKETS = `day AS MATERIALIZED (
  SELECT service_id, counter_id, status, queued_at, called_at, started_at, finished_at FROM tickets
  WHERE ${ON_BUSINESS_DAY})`;

export class StatsStore {
  private readonly perService;
  private readonly perCounter;

  constructor(
    private readonly ctx: HubContext,
    private readonly branch: BranchStore,
  ) {
    // Waits are measured from the place in the queue (queued_at) to the first call.
    this.perService = ctx.db.prepare<{ day: string; now: number }, ServiceStats>(`
      WITH ${DAY_TICKETS},
      by_service AS (
        SELECT service_id,
          SUM(status = 'done') AS served,
          SUM(status = 'no_show') AS noShows,
          ROUND(AVG(CASE WHEN called_at IS NOT NULL THEN called_at - queued_at END) / 1000.0) AS avgWaitSec,
          ROUND(MAX(CASE WHEN status = 'waiting' THEN @now WHEN called_at IS NOT NULL THEN called_at END - queued_at) / 1000.0) AS longestWaitSec
        FROM day GROUP BY service_id)
      SELECT s.id AS serviceId,
        (SELECT COUNT(*) FROM tickets t WHERE t.service_id = s.id AND t.status = 'waiting') AS waiting,
        COALESCE(d.served, 0) AS served,
        COALESCE(d.noShows, 0) AS noShows,
        d.avgWaitSec AS avgWaitSec,
        COALESCE(d.longestWaitSec, 0) AS longestWaitSec
      FROM services s LEFT JOIN by_service d ON d.service_id = s.id
      ORDER BY s.position, s.prefix`);
    this.perCounter = ctx.db.prepare<{ day: string }, CounterStats>(`
      WITH ${DAY_TICKETS},
      by_counter AS (
        SELECT counter_id,
          SUM(status = 'done') AS served,
          ROUND(AVG(CASE WHEN status = 'done' THEN finished_at - COALESCE(started_at, called_at) END) / 1000.0) AS avgServiceSec,
          ROUND(AVG(CASE WHEN called_at IS NOT NULL THEN called_at - queued_at END) / 1000.0) AS avgWaitSec
        FROM day WHERE counter_id IS NOT NULL GROUP BY counter_id)
      SELECT c.id AS counterId,
        COALESCE(d.served, 0) AS served,
        d.avgServiceSec AS avgServiceSec,
        d.avgWaitSec AS avgWaitSec
      FROM counters c LEFT JOIN by_counter d ON d.counter_id = c.id
      ORDER BY c.position, c.name`);
  }

  today(): TodayStats {
    const now = this.ctx.clock.now();
    const day = businessDay(now, this.branch.settings().timeZone);
    const services = this.perService.all({ day, now });
    return {
      businessDay: day,
      waitingNow: services.reduce((n, s) => n + s.waiting, 0),
      servedToday: services.reduce((n, s) => n + s.served, 0),
      services,
      counters: this.perCounter.all({ day }),
    };
  }
}
