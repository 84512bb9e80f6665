import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '../store/ports';
import { percentile, serviceReport } from './service-report';

const base: TicketRecord = {
  branchId: 'b1',
  ticketId: 't',
  number: 'A001',
  serviceId: 'a',
  issuedServiceId: 'a',
  status: 'waiting',
  businessDay: '2025-01-01',
  queuedAt: 0,
  calledAt: null,
  finishedAt: null,
  counterId: null,
};

describe('service report', () => {
  it('uses the nearest-rank percentile', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('counts issues by the issuing service and outcomes by the final one (after transfers)', () => {
    const rows = serviceReport([
      { ...base, ticketId: 't1', status: 'done', calledAt: 30_000 },
      { ...base, ticketId: 't2', serviceId: 'b', status: 'done', calledAt: 90_000 },
      { ...base, ticketId: 't3', status: 'no_show', calledAt: 60_000 },
      { ...base, ticketId: 't4', branchId: 'b2' },
    ]);
    expect(rows).toEqual([
      {
        branchId: 'b1',
        serviceId: 'a',
        issued: 3,
        served: 1,
        noShows: 1,
        avgWaitSec: 45,
        p90WaitSec: 60,
      },
      {
        branchId: 'b1',
        serviceId: 'b',
        issued: 0,
        served: 1,
        noShows: 0,
        avgWaitSec: 90,
        p90WaitSec: 90,
      },
      {
        branchId: 'b2',
        serviceId: 'a',
        issued: 1,
        served: 0,
        noShows: 0,
        avgWaitSec: null,
        p90WaitSec: null,
      },
    ]);
  });

  it('never reports a negative wait from a skewed clock', () => {
    const [row] = serviceReport([{ ...base, queuedAt: 10_000, calledAt: 4_000, status: 'called' }]);
    expect(row?.avgWaitSec).toBe(0);
  });
});
