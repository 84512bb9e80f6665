// Admin: the report across branches over a range of business days.
import { z } from 'zod';
import { Id } from '../../core/api/schemas';
import { errorResponses, type ZodApp } from '../../http/zod-app';
import { BusinessDay, daysBetween } from '../branches/business-day';
import { ServerError } from '../server-error';
import type { ServerStore } from '../store/ports';
import { serviceReport } from './service-report';

const MAX_RANGE_DAYS = 366;

const ReportQuery = z
  .object({ from: BusinessDay, to: BusinessDay, branchId: Id.optional() })
  .strict();

const ServiceReportDto = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      branchId: z.string(),
      branchName: z.string(),
      serviceId: z.string(),
      issued: z.number().int(),
      served: z.number().int(),
      noShows: z.number().int(),
      avgWaitSec: z.number().nullable(),
      p90WaitSec: z.number().nullable(),
    }),
  ),
});

export function registerReportRoutes(app: ZodApp, store: ServerStore): void {
  app.get(
    '/api/v1/reports/services',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Per branch and service: issued, served, no-shows, average and p90 wait',
        querystring: ReportQuery,
        response: { 200: ServiceReportDto, ...errorResponses },
      },
    },
    async (request) => {
      const { from, to, branchId } = request.query;
      const span = daysBetween(from, to);
      if (span < 0) throw new ServerError(400, 'invalid_range', '`from` is after `to`.');
      if (span >= MAX_RANGE_DAYS)
        throw new ServerError(
          400,
          'invalid_range',
          `A report covers at most ${MAX_RANGE_DAYS} days.`,
        );
      const [tickets, branches] = await Promise.all([
        store.ticketsBetween(from, to),
        store.listBranches(),
      ]);
      const names = new Map(branches.map((b) => [b.id, b.name]));
      const rows = serviceReport(
        branchId === undefined ? tickets : tickets.filter((t) => t.branchId === branchId),
      );
      return {
        from,
        to,
        rows: rows.map((r) => ({ ...r, branchName: names.get(r.branchId) ?? '' })),
      };
    },
  );
}
