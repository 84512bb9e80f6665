// The visitor's follow-up page: the QR code on a ticket leads a phone to /t/<ticketId>, which
// reads this route without a device token. The ticket id (UUIDv7 with 74 random bits) is the
// only key, and the answer holds nothing personal: number, service, place, counter once called.
import { PublicTicketDto } from '../../../core/api/schemas';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';

export function registerPublicTicketRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/public/tickets/:id',
    {
      schema: {
        tags: ['public'],
        summary: "A ticket's place in the queue, for the visitor's follow-up page (no token)",
        params: IdParams,
        response: { 200: PublicTicketDto, ...errorResponses },
      },
    },
    (request, reply): PublicTicketDto => {
      const ticket = hub.tickets.get(request.params.id);
      const service = hub.services.get(ticket.serviceId);
      const { ahead, estimatedWaitSec } = hub.tickets.position(ticket);
      // Phones poll this page: let them, but not every few milliseconds through a proxy cache.
      reply.header('cache-control', 'no-store');
      return {
        number: ticket.number,
        status: ticket.status,
        serviceId: service.id,
        serviceName: service.name,
        lang: ticket.lang,
        branchName: hub.branch.settings().name,
        ahead,
        estimatedWaitSec,
        counterName: ticket.counterId ? (hub.counters.find(ticket.counterId)?.name ?? null) : null,
        calledAt: ticket.calledAt === null ? null : new Date(ticket.calledAt).toISOString(),
      };
    },
  );
}
