// What a scanned code is, before asking the hub: an appointment to check in, a ticket's signed
// code or follow-up URL to show, or something we can refuse at once with a clear sentence.
// Pure and total: any string in, a route out, never a throw.
import type { ScannerResultEvent } from '../../core/api/schemas';

export type ScanRoute =
  | { kind: 'appointment'; code: string }
  | { kind: 'ticket'; code: string }
  | { kind: 'follow_up'; ticketId: string }
  | { kind: 'invalid'; reason: 'empty' | 'too_long' | 'not_printable' | 'unknown' };

/** The hub takes codes of 1–64 printable ASCII characters; URLs may be a little longer. */
export const MAX_SCAN_LENGTH = 256;
const MAX_CODE_LENGTH = 64;

const FOLLOW_UP = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?\/t\/([A-Za-z0-9_-]{1,64})\/?(?:[?#]\S*)?$/i;

export function routeScan(raw: string): ScanRoute {
  const text = raw.trim();
  if (!text) return { kind: 'invalid', reason: 'empty' };
  if (text.length > MAX_SCAN_LENGTH) return { kind: 'invalid', reason: 'too_long' };
  if (!/^[\x20-\x7e]+$/.test(text)) return { kind: 'invalid', reason: 'not_printable' };
  const url = FOLLOW_UP.exec(text);
  if (url?.[1]) return { kind: 'follow_up', ticketId: url[1] };
  const code = text.toUpperCase();
  if (code.length > MAX_CODE_LENGTH) return { kind: 'invalid', reason: 'too_long' };
  if (!/^[A-Z0-9-]+$/.test(code)) return { kind: 'invalid', reason: 'unknown' };
  if (code.startsWith('GT1-')) return { kind: 'ticket', code };
  if (code.startsWith('GA1-')) return { kind: 'appointment', code };
  return { kind: 'invalid', reason: 'unknown' };
}

/**
 * What the kiosk shows for a scan, whichever scanner read it (the keyboard wedge here, or the
 * hub's serial scanner through `scanner.result`): the reasons visitors can act on, or "unreadable".
 */
export type ScanProblem =
  | 'unreadable'
  | 'not_found'
  | 'already_used'
  | 'appointment_cancelled'
  | 'appointment_not_today'
  | 'ticket_not_found'
  | 'service_closed'
  | 'branch_full'
  | 'no_check_in'
  /** A kiosk agent cannot reach its hub: an appointment cannot be checked in (take a walk-in). */
  | 'check_in_offline'
  /** A kiosk agent cannot reach its hub: a ticket code cannot be looked up (keep the ticket). */
  | 'lookup_offline';

/** A hub error code or scanner `reason` as a scan problem. */
export function scanProblem(reason: string | undefined | null): ScanProblem {
  switch (reason) {
    case 'appointment_not_found':
      return 'not_found';
    case 'appointment_cancelled':
      return 'appointment_cancelled';
    case 'appointment_not_today':
      return 'appointment_not_today';
    case 'ticket_not_found':
      return 'ticket_not_found';
    case 'already_checked_in':
      return 'already_used';
    case 'service_closed':
      return 'service_closed';
    case 'branch_full':
      return 'branch_full';
    default:
      // bad_signature, malformed, too_long, not_printable, incomplete, invalid_code, anything
      // newer: the visitor can only try again or ask, whatever the detail.
      return 'unreadable';
  }
}

/** A failed lookup or check-in after a wedge scan, as the problem to show. */
export function scanErrorProblem(
  route: Exclude<ScanRoute['kind'], 'invalid'>,
  status: number,
  code: string,
): ScanProblem {
  // A ticket code or follow-up URL the hub does not know is "no such ticket", whatever the code.
  if (route !== 'appointment' && status === 404) return 'ticket_not_found';
  // A kiosk agent cut off from its hub (503): nothing wrong with the code, only with the moment.
  if (code === 'hub_unreachable')
    return route === 'appointment' ? 'check_in_offline' : 'lookup_offline';
  // An older hub without the check-in route.
  if (
    route === 'appointment' &&
    (status === 404 || status === 405) &&
    code !== 'appointment_not_found'
  )
    return 'no_check_in';
  return scanProblem(code);
}

type ScannedTicket = NonNullable<ScannerResultEvent['ticket']>;

export type ScanOutcome =
  | { kind: 'checked_in'; ticket: ScannedTicket; print: ScannerResultEvent['print'] }
  | { kind: 'ticket_status'; ticket: ScannedTicket }
  | { kind: 'problem'; problem: ScanProblem };

/** A serial scanner's result from the hub, as the kiosk's result screens. */
export function outcomeOfScannerResult(event: ScannerResultEvent): ScanOutcome {
  const { ticket } = event;
  if (event.ok && ticket && event.kind === 'appointment') {
    return { kind: 'checked_in', ticket, print: event.print };
  }
  if (event.ok && ticket) return { kind: 'ticket_status', ticket };
  // A second check-in shows where the first one's ticket stands.
  if (event.reason === 'already_checked_in' && ticket) return { kind: 'ticket_status', ticket };
  return { kind: 'problem', problem: scanProblem(event.reason) };
}
