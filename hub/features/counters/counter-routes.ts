import { z } from 'zod';
import {
  CallNextResponse,
  CallTicketBody,
  CounterDto,
  WorkProfileEntryDto,
} from '../../../core/api/schemas';
import type { Counter } from '../../../core/model';
import { actorOf, ADMIN, COUNTER_OR_ADMIN, READ_ROLES } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';
import { ticketToDto } from '../tickets/ticket-rows';
import { merged } from '../../../core/records';

const NewCounterBody = z
  .object({ name: z.string().trim().min(1).max(60), profile: z.array(WorkProfileEntryDto).max(50) })
  .strict();
const CounterPatchBody = NewCounterBody.partial().strict();

export function counterDto(hub: Hub, counter: Counter): CounterDto {
  const current = hub.tickets.inHandOf(counter.id);
  return merged(counter, { currentTicket: current ? ticketToDto(current) : null });
}

export function registerCounterRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/counters',
    {
      config: { roles: READ_ROLES },
      schema: { tags: ['counters'], response: { 200: z.array(CounterDto), ...errorResponses } },
    },
    () => hub.counters.list().map((c) => counterDto(hub, c)),
  );

  app.post(
    '/api/v1/counters',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['counters'],
        body: NewCounterBody,
        response: { 201: CounterDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => ({
        statusCode: 201,
        body: counterDto(hub, hub.counters.create(request.body, actorOf(request))),
      })),
  );

  app.patch(
    '/api/v1/counters/:id',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['counters'],
        params: IdParams,
        body: CounterPatchBody,
        response: { 200: CounterDto, ...errorResponses },
      },
    },
    (request) =>
      counterDto(hub, hub.counters.patch(request.params.id, request.body, actorOf(request))),
  );

  for (const [segment, status] of [
    ['pause', 'paused'],
    ['resume', 'open'],
  ] as const) {
    app.post(
      `/api/v1/counters/:id/${segment}`,
      {
        config: { roles: COUNTER_OR_ADMIN },
        schema: {
          tags: ['counters'],
          params: IdParams,
          response: { 200: CounterDto, ...errorResponses },
        },
      },
      (request, reply) =>
        idempotent(hub, request, reply, () => ({
          statusCode: 200,
          body: counterDto(
            hub,
            hub.counters.setStatus(request.params.id, status, actorOf(request)),
          ),
        })),
    );
  }

  app.post(
    '/api/v1/counters/:id/call-next',
    {
      config: { roles: COUNTER_OR_ADMIN },
      schema: {
        tags: ['counters'],
        summary: 'Call the next ticket for this counter (204 when no one waits for it)',
        params: IdParams,
        response: { 200: CallNextResponse, 204: z.undefined(), ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => {
        const ticket = hub.tickets.callNext(request.params.id, actorOf(request));
        return ticket
          ? { statusCode: 200, body: { ticket: ticketToDto(ticket) } }
          : { statusCode: 204, body: undefined };
      }),
  );

  app.post(
    '/api/v1/counters/:id/call',
    {
      config: { roles: COUNTER_OR_ADMIN },
      schema: {
        tags: ['counters'],
        summary: 'Call one waiting ticket by hand',
        params: IdParams,
        body: CallTicketBody,
        response: { 200: CallNextResponse, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => ({
        statusCode: 200,
        body: {
          ticket: ticketToDto(
            hub.tickets.callSpecific(request.params.id, request.body.ticketId, actorOf(request)),
          ),
        },
      })),
  );
}
