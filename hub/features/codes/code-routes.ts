// Looking a ticket up by its signed code (typed or scanned at a kiosk or counter).
import { z } from 'zod';
import { TicketWithPositionDto } from '../../../core/api/schemas';
import { READ_ROLES } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import { withPosition } from '../tickets/ticket-rows';

/** `:code` in a route path: a signed code as typed or scanned (the agent checks it the same way). */
export const CodeParams = z
  .object({
    code: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/, 'a code holds only letters, digits and "-"'),
  })
  .strict();

export function registerCodeRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/tickets/by-code/:code',
    {
      config: { roles: READ_ROLES },
      schema: {
        tags: ['tickets'],
        summary: 'A ticket by its signed code, and where it stands',
        params: CodeParams,
        response: { 200: TicketWithPositionDto, ...errorResponses },
      },
    },
    (request) => {
      const read = hub.codes.read(request.params.code, { typed: true });
      if (!read.ok) throw new HubError(422, 'invalid_code', read.message);
      if (read.kind !== 'ticket')
        throw new HubError(
          422,
          'invalid_code',
          'This is an appointment code, not a ticket code: check it in instead.',
        );
      const ticket = hub.codes.findTicket(read.ref, (id) => hub.tickets.find(id));
      if (!ticket)
        throw new HubError(404, 'ticket_not_found', 'No ticket with this code at this branch.');
      return withPosition(hub.tickets.positioned(ticket));
    },
  );
}
