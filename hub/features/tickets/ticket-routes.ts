import { z } from 'zod';
import {
  IssuedTicketDto,
  IssueTicketBody,
  QueueDto,
  TicketDto,
  TicketWithPositionDto,
  TransferBody,
} from '../../../core/api/schemas';
import { actorOf, COUNTER_OR_ADMIN, KIOSK_OR_ADMIN, READ_ROLES } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';
import { printAfterIssue } from '../printing/print-after-commit';
import type { TicketStepAction } from './ticket-store';
import { ticketToDto, withPosition } from './ticket-rows';

/** URL segment → the step it asks for. */
const STEPS: Record<string, TicketStepAction> = {
  recall: 'recall',
  start: 'start',
  finish: 'finish',
  'no-show': 'no_show',
  cancel: 'cancel',
};

export function registerTicketRoutes(app: ZodApp, hub: Hub): void {
  app.post(
    '/api/v1/tickets',
    {
      config: { roles: KIOSK_OR_ADMIN },
      schema: {
        tags: ['tickets'],
        summary: 'Issue a ticket',
        body: IssueTicketBody,
        response: { 201: IssuedTicketDto, ...errorResponses },
      },
    },
    (request, reply) => {
      // Printing starts when the answer is sent, after the commit (see print-after-commit.ts).
      const printing = printAfterIssue(hub, request, reply);
      return idempotent(hub, request, printing.sink, () => {
        const issued = hub.tickets.issue(request.body, actorOf(request));
        printing.issued(issued);
        return { statusCode: 201, body: printing.answer(issued) };
      });
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    {
      config: { roles: READ_ROLES },
      schema: {
        tags: ['tickets'],
        summary: 'A ticket and where it stands',
        params: IdParams,
        response: { 200: TicketWithPositionDto, ...errorResponses },
      },
    },
    (request) => {
      const ticket = hub.tickets.get(request.params.id);
      return withPosition(hub.tickets.positioned(ticket));
    },
  );

  for (const [segment, action] of Object.entries(STEPS)) {
    app.post(
      `/api/v1/tickets/:id/${segment}`,
      {
        config: { roles: COUNTER_OR_ADMIN },
        schema: {
          tags: ['tickets'],
          summary: `${segment} a ticket`,
          params: IdParams,
          response: { 200: TicketDto, ...errorResponses },
        },
      },
      (request, reply) =>
        idempotent(hub, request, reply, () => ({
          statusCode: 200,
          body: ticketToDto(hub.tickets.step(request.params.id, action, actorOf(request))),
        })),
    );
  }

  app.post(
    '/api/v1/tickets/:id/transfer',
    {
      config: { roles: COUNTER_OR_ADMIN },
      schema: {
        tags: ['tickets'],
        summary: 'Send a ticket to another service, keeping its number and place',
        params: IdParams,
        body: TransferBody,
        response: { 200: TicketDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => ({
        statusCode: 200,
        body: ticketToDto(
          hub.tickets.transfer(
            request.params.id,
            request.body.serviceId,
            request.body.note,
            actorOf(request),
          ),
        ),
      })),
  );

  app.get(
    '/api/v1/queue',
    {
      config: { roles: READ_ROLES },
      schema: {
        tags: ['tickets'],
        summary: 'Tickets waiting, called and being served',
        querystring: z.object({}).strict(),
        response: { 200: QueueDto, ...errorResponses },
      },
    },
    () => {
      // One read transaction: the snapshot and its seq describe the same moment.
      return hub.ctx.db.transaction(() => ({
        businessDay: hub.branch.businessDayNow(),
        waiting: hub.tickets.withStatus('waiting').map(ticketToDto),
        called: hub.tickets.withStatus('called').map(ticketToDto),
        serving: hub.tickets.withStatus('serving').map(ticketToDto),
        seq: hub.ctx.outbox.lastSeq(),
      }))();
    },
  );
}
