// Appointments and their check-in: the visitor's signed code becomes a ticket in the booked
// service, flagged 'appointment', in the same transaction that marks the appointment checked in
// (so a code can never yield two tickets, even scanned at two kiosks at once).
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Ticket } from '../../../core/model';
import { businessDay } from '../../../core/numbering';
import { signCode } from '../../../hardware/index';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError, notFound } from '../../hub-error';
import type { Actor } from '../actor';
import type { BranchStore } from '../branch/branch-store';
import type { ServiceStore } from '../services/service-store';
import type { TicketPosition, TicketStore } from '../tickets/ticket-store';

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface Appointment {
  id: string;
  /** The id inside its signed code: short, A-Z 0-9 (the code format's limit is 20). */
  codeId: string;
  serviceId: string;
  at: number;
  lang: string | null;
  status: AppointmentStatus;
  ticketId: string | null;
  createdAt: number;
  checkedInAt: number | null;
}

interface Row {
  id: string;
  code_id: string;
  service_id: string;
  at: number;
  lang: string | null;
  status: string;
  ticket_id: string | null;
  created_at: number;
  checked_in_at: number | null;
}

const fromRow = (r: Row): Appointment => ({
  id: r.id,
  codeId: r.code_id,
  serviceId: r.service_id,
  at: r.at,
  lang: r.lang,
  status: r.status as AppointmentStatus, // the CHECK constraint keeps it in the union
  ticketId: r.ticket_id,
  createdAt: r.created_at,
  checkedInAt: r.checked_in_at,
});

/** Crockford base32 (no I, L, O, U): read aloud or typed from paper without confusion. */
const CODE_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_ID_LENGTH = 10; // 50 random bits

function newCodeId(): string {
  return Array.from(randomBytes(CODE_ID_LENGTH), (b) => CODE_ID_ALPHABET[b & 31]).join('');
}

/** A second check-in of the same code: the answer names the ticket the first one issued. */
export class AlreadyCheckedInError extends HubError {
  constructor(
    readonly appointment: Appointment,
    readonly ticket: Ticket & TicketPosition,
  ) {
    super(
      409,
      'already_checked_in',
      `This appointment was already checked in: its ticket is ${ticket.number}.`,
    );
  }
}

export interface NewAppointment {
  serviceId: string;
  at: number;
  lang?: string;
}

export class AppointmentStore {
  private readonly byId;
  private readonly byCodeId;
  private readonly inRange;
  private readonly insert;
  private readonly markCheckedIn;

  constructor(
    private readonly ctx: HubContext,
    private readonly branch: BranchStore,
    private readonly services: ServiceStore,
    private readonly tickets: TicketStore,
    private readonly secret: Buffer,
  ) {
    const { db } = ctx;
    this.byId = db.prepare<[string], Row>('SELECT * FROM appointments WHERE id = ?');
    this.byCodeId = db.prepare<[string], Row>('SELECT * FROM appointments WHERE code_id = ?');
    this.inRange = db.prepare<[number, number], Row>(
      'SELECT * FROM appointments WHERE at BETWEEN ? AND ? ORDER BY at, id',
    );
    this.insert = db.prepare(
      `INSERT INTO appointments (id, code_id, service_id, at, lang, status, created_at)
       VALUES (@id, @code_id, @service_id, @at, @lang, 'booked', @created_at)`,
    );
    this.markCheckedIn = db.prepare(
      "UPDATE appointments SET status = 'checked_in', ticket_id = ?, checked_in_at = ? WHERE id = ? AND status = 'booked'",
    );
  }

  get(id: string): Appointment {
    const row = this.byId.get(id);
    if (!row) throw notFound('appointment', id);
    return fromRow(row);
  }

  /** The signed code printed on the confirmation and scanned at the kiosk. */
  codeOf(appointment: Appointment): string {
    return signCode('appointment', appointment.codeId, this.secret);
  }

  create(input: NewAppointment, actor: Actor): Appointment {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      this.services.get(input.serviceId);
      const settings = this.branch.settings();
      if (input.lang !== undefined && !settings.languages.includes(input.lang))
        throw new HubError(
          422,
          'unsupported_language',
          `The branch does not offer language "${input.lang}" (it offers ${settings.languages.join(', ')}).`,
        );
      let codeId = newCodeId();
      while (this.byCodeId.get(codeId)) codeId = newCodeId(); // 50 bits: practically never
      const id = uuidv7({ msecs: now });
      this.insert.run({
        id,
        code_id: codeId,
        service_id: input.serviceId,
        at: input.at,
        lang: input.lang ?? null,
        created_at: now,
      });
      this.ctx.outbox.append(
        {
          type: 'appointment.created',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { appointmentId: id, serviceId: input.serviceId, at: input.at },
        },
        now,
      );
      return this.get(id);
    });
  }

  /** Appointments whose time falls on `day` (YYYY-MM-DD) in the branch's time zone. */
  onDay(day: string): Appointment[] {
    const { timeZone } = this.branch.settings();
    const midnightUtc = Date.parse(`${day}T00:00:00Z`);
    // Any zone's day lies within a day and a half of UTC midnight; the zone decides the rest.
    return this.inRange
      .all(midnightUtc - 86_400_000, midnightUtc + 2 * 86_400_000)
      .map(fromRow)
      .filter((a) => businessDay(a.at, timeZone) === day);
  }

  /**
   * Checks in the appointment whose code id is `codeId` (the code was verified by the caller):
   * issues its ticket as `actor` and marks it checked in, in one transaction.
   */
  checkIn(
    codeId: string,
    actor: Actor,
  ): { appointment: Appointment; ticket: Ticket & TicketPosition } {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const row = this.byCodeId.get(codeId);
      if (!row)
        throw new HubError(
          404,
          'appointment_not_found',
          'This code is valid but names no appointment at this branch (was it cancelled or made elsewhere?).',
        );
      const appointment = fromRow(row);
      if (appointment.status === 'checked_in' && appointment.ticketId !== null) {
        const ticket = this.tickets.get(appointment.ticketId);
        throw new AlreadyCheckedInError(appointment, this.tickets.positioned(ticket));
      }
      if (appointment.status === 'cancelled')
        throw new HubError(409, 'appointment_cancelled', 'This appointment was cancelled.');
      const { timeZone } = this.branch.settings();
      const day = businessDay(appointment.at, timeZone);
      if (day !== businessDay(now, timeZone))
        throw new HubError(
          409,
          'appointment_not_today',
          `This appointment is on ${day}, not today: it can only be checked in on its day.`,
        );
      const ticket = this.tickets.issue(
        {
          serviceId: appointment.serviceId,
          source: 'appointment',
          ...(appointment.lang !== null ? { lang: appointment.lang } : {}),
        },
        actor,
      );
      this.markCheckedIn.run(ticket.id, now, appointment.id);
      this.ctx.outbox.append(
        {
          type: 'appointment.checked_in',
          ticketId: ticket.id,
          actorDeviceId: actor.deviceId,
          payload: { appointmentId: appointment.id, ticketId: ticket.id },
        },
        now,
      );
      return { appointment: this.get(appointment.id), ticket };
    });
  }
}
