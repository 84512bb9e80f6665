// Why a kiosk could not issue a ticket, as something a visitor can understand. Pure, so the
// mapping from hub error codes is unit-tested.
import { TicketWithPositionDto } from '../../core/api/schemas';
import { isApiError } from '../api';

export type KioskProblem =
  | { kind: 'service_closed' }
  | { kind: 'branch_full' }
  | { kind: 'appointment_not_found' }
  | { kind: 'appointment_unavailable' }
  | { kind: 'appointment_cancelled' }
  | { kind: 'appointment_not_today' }
  /** A kiosk agent cannot reach the hub, where appointments live: a walk-in ticket still works. */
  | { kind: 'appointment_offline' }
  /** A kiosk agent that cannot reach the hub and has no numbers of its own left for the service. */
  | { kind: 'kiosk_offline' }
  | { kind: 'network' }
  | { kind: 'other'; message: string };

export function problemFromError(error: unknown): KioskProblem {
  if (!isApiError(error)) return { kind: 'other', message: String(error) };
  if (error.code === 'service_closed') return { kind: 'service_closed' };
  if (error.code === 'branch_full') return { kind: 'branch_full' };
  // The agent's sentence is English and for logs: the visitor gets our own words.
  if (error.code === 'hub_unreachable') return { kind: 'kiosk_offline' };
  if (error.status === 0) return { kind: 'network' };
  return { kind: 'other', message: error.message };
}

/**
 * Check-in answers. A 404 is either "this code names no appointment" (appointment_not_found) or,
 * on a hub without the route, "no such route": say which, kindly. A code that is not one of ours
 * (invalid_code) reads to the visitor like an unknown one. A kiosk agent that cannot reach its hub
 * answers 503 hub_unreachable (with an English sentence): our own words, and the walk-in way.
 */
export function checkInProblem(error: unknown): KioskProblem {
  if (!isApiError(error)) return problemFromError(error);
  if (error.code === 'appointment_not_found' || error.code === 'invalid_code') {
    return { kind: 'appointment_not_found' };
  }
  if (error.code === 'appointment_cancelled') return { kind: 'appointment_cancelled' };
  if (error.code === 'appointment_not_today') return { kind: 'appointment_not_today' };
  if (error.code === 'hub_unreachable') return { kind: 'appointment_offline' };
  if (error.status === 404 || error.status === 405) return { kind: 'appointment_unavailable' };
  return problemFromError(error);
}

/** "Already checked in" comes with the ticket it got then: show that ticket again. */
export function alreadyCheckedInTicket(error: unknown): TicketWithPositionDto | null {
  if (!isApiError(error, 'already_checked_in')) return null;
  const body = error.body;
  const ticket = typeof body === 'object' && body !== null && 'ticket' in body ? body.ticket : null;
  const parsed = TicketWithPositionDto.safeParse(ticket);
  return parsed.success ? parsed.data : null;
}

/** Building full = waiting + being called + being served reached the branch capacity. */
export function isBranchFull(capacity: number | null | undefined, occupancy: number): boolean {
  return capacity !== null && capacity !== undefined && occupancy >= capacity;
}
