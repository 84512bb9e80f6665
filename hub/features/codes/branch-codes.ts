// Reading what a visitor presents (typed at the kiosk, scanned, or sent to the API): a signed
// appointment code, a signed ticket code, or (scanned from a printed ticket) its follow-up URL.
// Every outcome is a value with a sentence for the screen; nothing here throws on any input.
import type { Ticket } from '../../../core/model';
import { verifyCode, VERIFY_FAILURE_MESSAGES } from '../../../hardware/index';
import type { Db } from '../../db/open-database';
import { ON_BUSINESS_DAY, ticketFromRow, type TicketRow } from '../tickets/ticket-rows';
import { parseTicketCodeId, signTicketCode } from './ticket-codes';

export type TicketRef = { ticketId: string } | { businessDay: string; number: string };

export type ReadCode =
  | { ok: true; kind: 'appointment'; codeId: string }
  | { ok: true; kind: 'ticket'; ref: TicketRef }
  | { ok: false; reason: string; message: string };

/** The follow-up URL printed as the ticket's QR code: …/t/<ticket id>. */
const FOLLOW_UP_URL =
  /^https?:\/\/[\x21-\x7e]{1,200}\/t\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Longest input worth reading: a follow-up URL with a long host. Anything longer is refused. */
export const MAX_PRESENTED_LENGTH = 256;

export class BranchCodes {
  private readonly byDayNumber;

  constructor(
    db: Db,
    private readonly secret: Buffer,
  ) {
    this.byDayNumber = db.prepare<{ day: string; number: string }, TicketRow>(
      `SELECT * FROM tickets WHERE ${ON_BUSINESS_DAY} AND number = @number
       ORDER BY issued_at DESC, rowid DESC LIMIT 1`,
    );
  }

  ticketCode(ticket: Ticket): string {
    return signTicketCode(ticket, this.secret);
  }

  /** Reads a code or follow-up URL. `typed`: people may type lower case, so it is upper-cased. */
  read(input: unknown, options: { typed?: boolean } = {}): ReadCode {
    if (typeof input !== 'string')
      return { ok: false, reason: 'not_a_string', message: VERIFY_FAILURE_MESSAGES.not_a_string };
    if (input.length > MAX_PRESENTED_LENGTH)
      return { ok: false, reason: 'too_long', message: VERIFY_FAILURE_MESSAGES.too_long };
    const text = input.trim();
    const url = FOLLOW_UP_URL.exec(text);
    if (url) return { ok: true, kind: 'ticket', ref: { ticketId: url[1]! } };
    const verified = verifyCode(options.typed ? text.toUpperCase() : text, this.secret);
    if (!verified.ok)
      return {
        ok: false,
        reason: verified.reason,
        message: VERIFY_FAILURE_MESSAGES[verified.reason],
      };
    if (verified.kind === 'appointment')
      return { ok: true, kind: 'appointment', codeId: verified.id };
    const ref = parseTicketCodeId(verified.id);
    // Signed by this branch but not in our ticket format: only a future version would do that.
    if (!ref) return { ok: false, reason: 'malformed', message: VERIFY_FAILURE_MESSAGES.malformed };
    return { ok: true, kind: 'ticket', ref };
  }

  /** The ticket a ticket code or follow-up URL names (the latest, should a day repeat a number). */
  findTicket(ref: TicketRef, find: (id: string) => Ticket | undefined): Ticket | undefined {
    if ('ticketId' in ref) return find(ref.ticketId);
    const row = this.byDayNumber.get({ day: ref.businessDay, number: ref.number });
    return row ? ticketFromRow(row) : undefined;
  }
}
