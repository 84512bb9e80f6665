// The visitor's follow-up page: the QR code on a ticket leads a phone to /t/<ticketId>, which
// reads this route without a device token. The ticket id (UUIDv7 with 74 random bits) is the
// only key, and the answer holds nothing personal: number, service, place, counter once called.
import type { RateLimitOptions } from '@fastify/rate-limit';
import { PublicTicketDto } from '../../../core/api/schemas';
import { ApiError } from '../../../http/api-error';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';

/**
 * The follow-up page polls every 15 s; a branch's guest Wi-Fi puts every phone behind one
 * address (60 phones ≈ 4 requests/s). Ten per second per address leaves room for that and
 * stops a script from hammering the one route that needs no token. Over the limit: 429 with
 * Retry-After (seconds), which the page waits out.
 */
export const PUBLIC_RATE_LIMIT: RateLimitOptions = {
  max: 600,
  timeWindow: 60_000,
  errorResponseBuilder: (_request, context) =>
    new ApiError(
      429,
      'rate_limited',
      `Too many requests from this address: try again in ${context.after}.`,
    ),
};

export function registerPublicTicketRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/public/tickets/:id',
    {
      config: { rateLimit: PUBLIC_RATE_LIMIT },
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
