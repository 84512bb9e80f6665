// Appointments: admin creates them (and gets the code to print or show) and lists a day's; a
// kiosk (or admin) checks one in by its signed code, which issues and prints its ticket.
import { z } from 'zod';
import {
  AlreadyCheckedInBody,
  AppointmentDto,
  CreatedAppointmentDto,
  ErrorBody,
  Id,
  IssuedTicketDto,
  LangCode,
} from '../../../core/api/schemas';
import { businessDay } from '../../../core/numbering';
import { actorOf, ADMIN, KIOSK_OR_ADMIN } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import { printAfterIssue } from '../printing/print-after-commit';
import { withPosition } from '../tickets/ticket-rows';
import { AlreadyCheckedInError, type Appointment } from './appointment-store';
import { qrSvg } from './qr-svg';

const NewAppointmentBody = z
  .object({
    serviceId: Id,
    at: z.iso.datetime({ offset: true }),
    lang: LangCode.optional(),
  })
  .strict();

const DayQuery = z
  .object({
    date: z.iso.date().optional().describe('YYYY-MM-DD in the branch time zone; default today'),
  })
  .strict();

/** What a kiosk sends: printable ASCII, as long as a code can be (a little slack for spaces). */
export const PresentedCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x20-\x7e]+$/, 'a code holds only printable ASCII characters');
const CheckInBody = z.object({ code: PresentedCode }).strict();

const iso = (ms: number): string => new Date(ms).toISOString();

export function appointmentDto(hub: Hub, a: Appointment): AppointmentDto {
  return {
    id: a.id,
    serviceId: a.serviceId,
    at: iso(a.at),
    lang: a.lang,
    status: a.status,
    ticketId: a.ticketId,
    createdAt: iso(a.createdAt),
    checkedInAt: a.checkedInAt === null ? null : iso(a.checkedInAt),
    code: hub.appointments.codeOf(a),
  };
}

export function registerAppointmentRoutes(app: ZodApp, hub: Hub): void {
  app.post(
    '/api/v1/appointments',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['appointments'],
        summary: 'Create an appointment and get its signed code (text, QR as SVG)',
        body: NewAppointmentBody,
        response: { 201: CreatedAppointmentDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => {
        const created = hub.appointments.create(
          {
            serviceId: request.body.serviceId,
            at: Date.parse(request.body.at),
            ...(request.body.lang ? { lang: request.body.lang } : {}),
          },
          actorOf(request),
        );
        const appointment = appointmentDto(hub, created);
        return {
          statusCode: 201,
          body: {
            appointment,
            code: appointment.code,
            qrText: appointment.code,
            qrSvg: qrSvg(appointment.code),
          },
        };
      }),
  );

  app.get(
    '/api/v1/appointments',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['appointments'],
        summary: "A day's appointments",
        querystring: DayQuery,
        response: { 200: z.array(AppointmentDto), ...errorResponses },
      },
    },
    (request) => {
      const day =
        request.query.date ?? businessDay(hub.ctx.clock.now(), hub.branch.settings().timeZone);
      return hub.appointments.onDay(day).map((a) => appointmentDto(hub, a));
    },
  );

  app.post(
    '/api/v1/appointments/check-in',
    {
      config: { roles: KIOSK_OR_ADMIN },
      schema: {
        tags: ['appointments'],
        summary: 'Check an appointment in by its code: issues (and prints) its ticket',
        body: CheckInBody,
        response: {
          201: IssuedTicketDto,
          ...errorResponses,
          409: z.union([AlreadyCheckedInBody, ErrorBody]),
        },
      },
    },
    (request, reply) => {
      const read = hub.codes.read(request.body.code, { typed: true });
      if (!read.ok) throw new HubError(422, 'invalid_code', read.message);
      if (read.kind !== 'appointment')
        throw new HubError(
          422,
          'invalid_code',
          'This is a ticket code, not an appointment code: look the ticket up instead.',
        );
      const printing = printAfterIssue(hub, request, reply);
      try {
        idempotent(hub, request, printing.sink, () => {
          const { ticket } = hub.appointments.checkIn(read.codeId, actorOf(request));
          printing.issued(ticket);
          return { statusCode: 201, body: printing.answer(ticket) };
        });
      } catch (error) {
        if (!(error instanceof AlreadyCheckedInError)) throw error;
        reply.code(409).send({
          error: { code: error.code, message: error.message },
          ticket: withPosition(error.ticket),
        });
      }
    },
  );
}
