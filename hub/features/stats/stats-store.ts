// Today's figures for the admin dashboard: read-only aggregates over the tickets table.
import { businessDay } from '../../../core/numbering';
import type { HubContext } from '../../hub-context';
import type { BranchStore } from '../branch/branch-store';

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

export class StatsStore {
  private readonly perService;
  private readonly perCounter;

  constructor(
    private readonly ctx: HubContext,
    private readonly branch: BranchStore,
  ) {
    // Waits are measured from the place in the queue (queued_at) to the first call.
    this.perService = ctx.db.prepare<{ day: string; now: number }, ServiceStats>(`
      SELECT s.id AS serviceId,
        (SELECT COUNT(*) FROM tickets t WHERE t.service_id = s.id AND t.status = 'waiting') AS waiting,
        (SELECT COUNT(*) FROM tickets t WHERE t.service_id = s.id AND t.business_day = @day AND t.status = 'done') AS served,
        (SELECT COUNT(*) FROM tickets t WHERE t.service_id = s.id AND t.business_day = @day AND t.status = 'no_show') AS noShows,
        (SELECT ROUND(AVG(t.called_at - t.queued_at) / 1000.0) FROM tickets t
           WHERE t.service_id = s.id AND t.business_day = @day AND t.called_at IS NOT NULL) AS avgWaitSec,
        COALESCE((SELECT ROUND(MAX(CASE WHEN t.status = 'waiting' THEN @now ELSE t.called_at END - t.queued_at) / 1000.0)
           FROM tickets t WHERE t.service_id = s.id AND t.business_day = @day AND (t.status = 'waiting' OR t.called_at IS NOT NULL)), 0) AS longestWaitSec
      FROM services s ORDER BY s.position, s.prefix`);
    this.perCounter = ctx.db.prepare<{ day: string }, CounterStats>(`
      SELECT c.id AS counterId,
        (SELECT COUNT(*) FROM tickets t WHERE t.counter_id = c.id AND t.business_day = @day AND t.status = 'done') AS served,
        (SELECT ROUND(AVG(t.finished_at - COALESCE(t.started_at, t.called_at)) / 1000.0) FROM tickets t
           WHERE t.counter_id = c.id AND t.business_day = @day AND t.status = 'done') AS avgServiceSec,
        (SELECT ROUND(AVG(t.called_at - t.queued_at) / 1000.0) FROM tickets t
           WHERE t.counter_id = c.id AND t.business_day = @day AND t.called_at IS NOT NULL) AS avgWaitSec
      FROM counters c ORDER BY c.position, c.name`);
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
