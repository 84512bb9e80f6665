import { describe, it, expect } from 'vitest';
import { TICKET_STATUSES, type CallReason, type Ticket, type TicketStatus } from './model';
import {
  SameServiceTransferError,
  TICKET_ACTIONS,
  TransitionError,
  callTicket,
  canApply,
  cancelTicket,
  finishTicket,
  isFinal,
  isHeld,
  markNoShow,
  recallTicket,
  startTicket,
  transferTicket,
  type TicketAction,
} from './ticket-lifecycle';
import { deepFreeze, makeTicket } from './testing/tickets';

const T0 = 1_700_000_000_000;
const reason: CallReason = {
  rule: 'weighted',
  serviceId: 'svc-a',
  waitedSec: 60,
  weight: 1,
  score: 60,
};

const waiting = (): Ticket => deepFreeze(makeTicket({}, T0));
const called = (): Ticket => deepFreeze(callTicket(makeTicket({}, T0), 'c1', reason, T0 + 60_000));
const serving = (): Ticket => deepFreeze(startTicket(called(), T0 + 90_000));

describe('canApply', () => {
  const legal: Record<TicketAction, TicketStatus[]> = {
    call: ['waiting'],
    recall: ['called'],
    start: ['called'],
    finish: ['called', 'serving'],
    no_show: ['called'],
    cancel: ['waiting', 'called'],
    transfer: ['waiting', 'called', 'serving'],
  };

  it('allows exactly the documented transitions', () => {
    for (const action of TICKET_ACTIONS) {
      for (const status of TICKET_STATUSES) {
        expect(canApply(status, action), `${action} from ${status}`).toBe(
          legal[action].includes(status),
        );
      }
    }
  });

  it('lets nothing out of a final status', () => {
    for (const status of ['done', 'no_show', 'cancelled'] as const) {
      expect(isFinal(status)).toBe(true);
      expect(TICKET_ACTIONS.some((action) => canApply(status, action))).toBe(false);
    }
    expect(['waiting', 'called', 'serving'].some((s) => isFinal(s as TicketStatus))).toBe(false);
  });

  it('counts called and serving tickets as held by a counter', () => {
    expect(TICKET_STATUSES.filter(isHeld)).toEqual(['called', 'serving']);
  });
});

describe('TransitionError', () => {
  it('says what was refused and from where', () => {
    const error = new TransitionError('finish', 'waiting');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('cannot finish a waiting ticket');
    expect(error.name).toBe('TransitionError');
    expect([error.action, error.from]).toEqual(['finish', 'waiting']);
    expect(new TransitionError('no_show', 'done').message).toBe(
      'cannot mark as no-show a done ticket',
    );
  });

  it('is what every illegal transition throws', () => {
    expect(() => finishTicket(waiting(), T0)).toThrow(new TransitionError('finish', 'waiting'));
    expect(() => callTicket(called(), 'c2', reason, T0)).toThrow(TransitionError);
    expect(() => startTicket(serving(), T0)).toThrow('cannot start a serving ticket');
    expect(() => markNoShow(waiting(), T0)).toThrow(TransitionError);
    expect(() => cancelTicket(serving(), T0)).toThrow('cannot cancel a serving ticket');
    expect(() => recallTicket(waiting(), 3, T0)).toThrow('cannot recall a waiting ticket');
    const done = finishTicket(serving(), T0 + 200_000);
    expect(() => transferTicket(done, 'svc-b', T0)).toThrow('cannot transfer a done ticket');
  });
});

describe('callTicket', () => {
  it('hands a waiting ticket to a counter with the reason and the time', () => {
    const before = waiting();
    const after = callTicket(before, 'c1', reason, T0 + 60_000);
    expect(after).toEqual({
      ...before,
      status: 'called',
      counterId: 'c1',
      calledAt: T0 + 60_000,
      callReason: reason,
      recalls: 0,
    });
    expect(before.status).toBe('waiting');
  });
});

describe('recallTicket', () => {
  it('counts recalls up to maxRecalls, then turns the ticket into a no-show', () => {
    let ticket = called();
    for (let i = 1; i <= 3; i++) {
      const result = recallTicket(ticket, 3, T0 + 60_000 + i * 30_000);
      expect(result.becameNoShow).toBe(false);
      expect(result.ticket).toMatchObject({ status: 'called', recalls: i, finishedAt: null });
      // The call time stays the first call's: that is when the wait ended.
      expect(result.ticket.calledAt).toBe(T0 + 60_000);
      ticket = deepFreeze(result.ticket);
    }
    const last = recallTicket(ticket, 3, T0 + 500_000);
    expect(last.becameNoShow).toBe(true);
    expect(last.ticket).toMatchObject({ status: 'no_show', recalls: 3, finishedAt: T0 + 500_000 });
    expect(() => recallTicket(last.ticket, 3, T0 + 600_000)).toThrow(TransitionError);
  });

  it('makes a no-show at once when no recall is allowed', () => {
    expect(recallTicket(called(), 0, T0 + 70_000)).toMatchObject({
      becameNoShow: true,
      ticket: { status: 'no_show', finishedAt: T0 + 70_000 },
    });
  });

  it('does not let a lowered maxRecalls leave a ticket recallable forever', () => {
    const recalledTwice = deepFreeze({ ...called(), recalls: 2 });
    expect(recallTicket(recalledTwice, 1, T0 + 80_000).becameNoShow).toBe(true);
  });
});

describe('startTicket and finishTicket', () => {
  it('records when service started and ended', () => {
    const started = startTicket(called(), T0 + 90_000);
    expect(started).toMatchObject({ status: 'serving', startedAt: T0 + 90_000 });
    const done = finishTicket(deepFreeze(started), T0 + 300_000);
    expect(done).toMatchObject({
      status: 'done',
      startedAt: T0 + 90_000,
      finishedAt: T0 + 300_000,
    });
  });

  it('takes the call time as the start of a ticket finished without being started', () => {
    const done = finishTicket(called(), T0 + 300_000);
    expect(done).toMatchObject({
      status: 'done',
      startedAt: T0 + 60_000,
      finishedAt: T0 + 300_000,
    });
  });
});

describe('markNoShow and cancelTicket', () => {
  it('close a called ticket, keeping who called it', () => {
    expect(markNoShow(called(), T0 + 120_000)).toMatchObject({
      status: 'no_show',
      counterId: 'c1',
      finishedAt: T0 + 120_000,
    });
    expect(cancelTicket(called(), T0 + 120_000)).toMatchObject({
      status: 'cancelled',
      finishedAt: T0 + 120_000,
    });
  });

  it('let a waiting visitor give up', () => {
    expect(cancelTicket(waiting(), T0 + 5_000)).toMatchObject({
      status: 'cancelled',
      finishedAt: T0 + 5_000,
    });
  });
});

describe('transferTicket', () => {
  it('sends a served ticket back to wait elsewhere, keeping its number and place', () => {
    const before = deepFreeze({ ...serving(), recalls: 2 });
    const after = transferTicket(before, 'svc-b', T0 + 400_000);
    expect(after).toEqual({
      ...before,
      status: 'waiting',
      serviceId: 'svc-b',
      counterId: null,
      calledAt: null,
      startedAt: null,
      callReason: null,
      recalls: 0,
      transfers: 1,
    });
    expect(after.queuedAt).toBe(T0);
    expect(after.number).toBe('A001');
    expect(after.issuedServiceId).toBe('svc-a');
  });

  it('counts successive transfers', () => {
    const once = transferTicket(waiting(), 'svc-b', T0 + 1_000);
    const twice = transferTicket(deepFreeze(once), 'svc-a', T0 + 2_000);
    expect(twice).toMatchObject({ serviceId: 'svc-a', issuedServiceId: 'svc-a', transfers: 2 });
  });

  it('refuses a transfer to the service the ticket is already in', () => {
    const attempt = () => transferTicket(called(), 'svc-a', T0 + 400_000);
    expect(attempt).toThrow(SameServiceTransferError);
    expect(attempt).toThrow(TransitionError);
    expect(attempt).toThrow('cannot transfer a ticket to the service it is already in (svc-a)');
  });
});
