// The legal moves of one ticket, as pure functions from a ticket to the next ticket.
// Every function returns a new Ticket and never touches its argument, so the hub can compare the
// old and new rows (for its event log) and tests can replay a history without aliasing surprises.
import type { CallReason, Ticket, TicketStatus } from './model';
import { withChanges } from './records';

export const TICKET_ACTIONS = [
  'call',
  'recall',
  'start',
  'finish',
  'no_show',
  'cancel',
  'transfer',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/**
 * From which statuses each action may start. done, no_show and cancelled appear nowhere: they are
 * final, so a ticket that has left the building can never come back into a queue.
 */
export const ALLOWED_FROM: Readonly<Record<TicketAction, readonly TicketStatus[]>> = {
  call: ['waiting'],
  recall: ['called'],
  start: ['called'],
  finish: ['called', 'serving'],
  no_show: ['called'],
  cancel: ['waiting', 'called'],
  transfer: ['waiting', 'called', 'serving'],
};

export const FINAL_STATUSES: readonly TicketStatus[] = ['done', 'no_show', 'cancelled'];

/** A ticket that has reached one of these never changes again. */
export function isFinal(status: TicketStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Called or serving: a counter is busy with the ticket (ticket.counterId says which). */
export function isHeld(status: TicketStatus): boolean {
  return status === 'called' || status === 'serving';
}

export function canApply(status: TicketStatus, action: TicketAction): boolean {
  return ALLOWED_FROM[action].includes(status);
}

// How actions and statuses read in an error message a counter agent may see.
const ACTION_VERBS: Record<TicketAction, string> = {
  call: 'call',
  recall: 'recall',
  start: 'start',
  finish: 'finish',
  no_show: 'mark as no-show',
  cancel: 'cancel',
  transfer: 'transfer',
};
const STATUS_WORDS: Record<TicketStatus, string> = {
  waiting: 'waiting',
  called: 'called',
  serving: 'serving',
  done: 'done',
  no_show: 'no-show',
  cancelled: 'cancelled',
};

/** An action that the ticket's status does not allow; the hub answers 409 illegal_transition. */
export class TransitionError extends Error {
  readonly action: TicketAction;
  readonly from: TicketStatus;

  constructor(action: TicketAction, from: TicketStatus, message?: string) {
    super(message ?? `cannot ${ACTION_VERBS[action]} a ${STATUS_WORDS[from]} ticket`);
    this.name = 'TransitionError';
    this.action = action;
    this.from = from;
  }
}

/**
 * A transfer to the service the ticket already waits for. It is a TransitionError (so a caller
 * mapping TransitionError to 409 needs nothing more) with its own class for callers that want to
 * tell it apart: the status allowed the transfer, the destination did not.
 */
export class SameServiceTransferError extends TransitionError {
  readonly serviceId: string;

  constructor(from: TicketStatus, serviceId: string) {
    super(
      'transfer',
      from,
      `cannot transfer a ticket to the service it is already in (${serviceId})`,
    );
    this.name = 'SameServiceTransferError';
    this.serviceId = serviceId;
  }
}

function assertCan(t: Ticket, action: TicketAction): void {
  if (!canApply(t.status, action)) throw new TransitionError(action, t.status);
}

/** A counter calls a waiting ticket. */
export function callTicket(t: Ticket, counterId: string, reason: CallReason, now: number): Ticket {
  assertCan(t, 'call');
  return withChanges(t, {
    status: 'called',
    counterId,
    calledAt: now,
    callReason: reason,
    recalls: 0,
  });
}

/**
 * The counter announces a called ticket again. After `maxRecalls` recalls the visitor is taken to
 * have left: the next recall closes the ticket as a no-show instead, so a counter is never stuck
 * re-announcing someone who went home. calledAt keeps the first call: the wait ended then.
 */
export function recallTicket(
  t: Ticket,
  maxRecalls: number,
  now: number,
): { ticket: Ticket; becameNoShow: boolean } {
  assertCan(t, 'recall');
  // `>=` rather than `===`: if an admin lowers maxRecalls while a ticket is called, the ticket
  // must not be recallable forever.
  if (t.recalls >= maxRecalls) {
    return { ticket: withChanges(t, { status: 'no_show', finishedAt: now }), becameNoShow: true };
  }
  return { ticket: withChanges(t, { recalls: t.recalls + 1 }), becameNoShow: false };
}

/** The visitor reached the counter. */
export function startTicket(t: Ticket, now: number): Ticket {
  assertCan(t, 'start');
  return withChanges(t, { status: 'serving', startedAt: now });
}

/**
 * The visit is over. Agents often skip "start", so a ticket finished straight from `called` is
 * taken to have started when it was called: service-time statistics then stay meaningful.
 */
export function finishTicket(t: Ticket, now: number): Ticket {
  assertCan(t, 'finish');
  return withChanges(t, { status: 'done', startedAt: t.startedAt ?? t.calledAt, finishedAt: now });
}

/** The visitor never came to the counter. counterId stays, to record who called in vain. */
export function markNoShow(t: Ticket, now: number): Ticket {
  assertCan(t, 'no_show');
  return withChanges(t, { status: 'no_show', finishedAt: now });
}

/** The visitor gave up (from the kiosk or follow-up page) or staff withdrew the ticket. */
export function cancelTicket(t: Ticket, now: number): Ticket {
  assertCan(t, 'cancel');
  return withChanges(t, { status: 'cancelled', finishedAt: now });
}

/**
 * Sends the ticket to wait for another service. It keeps queuedAt, number and issuedServiceId:
 * the visitor keeps their place and the number on their paper ticket. Everything about the
 * current call is cleared, since the next counter will call it afresh.
 * Throws SameServiceTransferError (a TransitionError) when `toServiceId` is its current service.
 * The time is unused today: it is in the signature like every other transition's, for the day a
 * transfer records its own time, so callers need not change then.
 */
export function transferTicket(t: Ticket, toServiceId: string, _now: number): Ticket {
  assertCan(t, 'transfer');
  if (toServiceId === t.serviceId) throw new SameServiceTransferError(t.status, toServiceId);
  return withChanges(t, {
    status: 'waiting',
    serviceId: toServiceId,
    counterId: null,
    calledAt: null,
    startedAt: null,
    callReason: null,
    recalls: 0,
    transfers: t.transfers + 1,
  });
}
