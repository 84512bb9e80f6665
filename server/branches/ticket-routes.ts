// Admin: a branch's tickets of one business day, as projected from its event history.
import { z } from 'zod';
import { TICKET_STATUSES } from '../../core/model';
import { errorResponses, type ZodApp } from '../../http/zod-app';
import { isoOrNull } from '../api/iso-time';
import type { ServerStore } from '../store/ports';
import { BranchParams } from './branch-routes';
import { BusinessDay } from './business-day';

const TicketsQuery = z.object({ date: BusinessDay }).strict();

const BranchTicketDto = z.object({
  id: z.string(),
  number: z.string(),
  serviceId: z.string(),
  issuedServiceId: z.string(),
  status: z.enum(TICKET_STATUSES),
  queuedAt: z.string(),
  calledAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  counterId: z.string().nullable(),
});

export function registerTicketRoutes(app: ZodApp, store: ServerStore): void {
  app.get(
    '/api/v1/branches/:branchId/tickets',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Every ticket of the day with its number, service and status',
        params: BranchParams,
        querystring: TicketsQuery,
        response: {
          200: z.object({
            branchId: z.string(),
            date: z.string(),
            tickets: z.array(BranchTicketDto),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { branchId } = request.params;
      const { date } = request.query;
      const tickets = await store.ticketsOfDay(branchId, date);
      return {
        branchId,
        date,
        tickets: tickets.map((t) => ({
          id: t.ticketId,
          number: t.number,
          serviceId: t.serviceId,
          issuedServiceId: t.issuedServiceId,
          status: t.status,
          queuedAt: new Date(t.queuedAt).toISOString(),
          calledAt: isoOrNull(t.calledAt),
          finishedAt: isoOrNull(t.finishedAt),
          counterId: t.counterId,
        })),
      };
    },
  );
}
