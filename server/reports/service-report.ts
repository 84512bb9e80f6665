// The cross-branch report, per branch and service: tickets issued, served, no-shows, and the wait
// from queuedAt to calledAt (average and 90th percentile). Pure, so both stores give the same
// numbers: SQLite has no percentile function and PostgreSQL's would round differently.
import type { TicketRecord } from '../store/ports';

export interface ServiceReportRow {
  branchId: string;
  serviceId: string;
  /** Tickets whose number was drawn from this service. */
  issued: number;
  /** Tickets finished (`done`) in this service, after any transfer. */
  served: number;
  noShows: number;
  /** Over tickets called in this service (called, serving, done, no-show); null when none. */
  avgWaitSec: number | null;
  p90WaitSec: number | null;
}

/** Nearest-rank percentile of ascending values: the smallest value ≥ p % of them. */
export function percentile(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1] as number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function serviceReport(tickets: readonly TicketRecord[]): ServiceReportRow[] {
  const rows = new Map<string, ServiceReportRow & { waits: number[] }>();
  const row = (branchId: string, serviceId: string) => {
    const key = `${branchId}\u0000${serviceId}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        branchId,
        serviceId,
        issued: 0,
        served: 0,
        noShows: 0,
        avgWaitSec: null,
        p90WaitSec: null,
        waits: [],
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const t of tickets) {
    row(t.branchId, t.issuedServiceId).issued += 1;
    const current = row(t.branchId, t.serviceId);
    if (t.status === 'done') current.served += 1;
    if (t.status === 'no_show') current.noShows += 1;
    // A skewed kiosk clock can put queuedAt after calledAt: never report a negative wait.
    if (t.calledAt !== null) current.waits.push(Math.max(0, (t.calledAt - t.queuedAt) / 1000));
  }
  return [...rows.values()]
    .map(({ waits, ...r }) => {
      const sorted = waits.sort((a, b) => a - b);
      const sum = sorted.reduce((s, w) => s + w, 0);
      const p90 = percentile(sorted, 90);
      return {
        ...r,
        avgWaitSec: sorted.length ? round1(sum / sorted.length) : null,
        p90WaitSec: p90 === null ? null : round1(p90),
      };
    })
    .sort((a, b) =>
      a.branchId === b.branchId
        ? a.serviceId.localeCompare(b.serviceId)
        : a.branchId.localeCompare(b.branchId),
    );
}
