// An in-memory reference model of one branch's queue, composing the domain rules: numbering per
// (service, business day), the ticket lifecycle, and call-next with a per-counter priority streak.
// It is what the property tests drive and the clearest statement of how the rules fit together;
// the hub implements the same behaviour on SQLite. Deliberately simple (linear scans) rather
// than fast: it must be obviously right.
import type {
  CallPolicy,
  CallReason,
  Counter,
  CounterStatus,
  Lang,
  Service,
  Ticket,
  TicketSource,
} from './model';
import { chooseNext, manualCallReason, nextPriorityStreak } from './call-next';
import type { QueueHead, ServiceHeads } from './call-next';
import { businessDay, formatTicketNumber, isValidPrefix, isValidTimeZone } from './numbering';
import {
  callTicket,
  cancelTicket,
  finishTicket,
  isHeld,
  markNoShow,
  recallTicket,
  startTicket,
  transferTicket,
} from './ticket-lifecycle';
import { withChanges } from './records';

export type ModelService = Pick<Service, 'id' | 'prefix' | 'open'>;
export type ModelCounter = Pick<Counter, 'id' | 'status' | 'profile'>;

export interface QueueModelConfig {
  timeZone: string;
  services: ModelService[];
  counters: ModelCounter[];
  policy: CallPolicy;
  /** The language of tickets issued without one. */
  defaultLang?: Lang;
}

/** A request the branch refuses (not a lifecycle rule: those throw TransitionError). */
export const QUEUE_MODEL_ERROR_CODES = [
  'unknown_service',
  'unknown_counter',
  'unknown_ticket',
  'service_closed',
  'counter_not_open',
  'counter_busy',
] as const;
export type QueueModelErrorCode = (typeof QUEUE_MODEL_ERROR_CODES)[number];

export class QueueModelError extends Error {
  readonly code: QueueModelErrorCode;

  constructor(code: QueueModelErrorCode, message: string) {
    super(message);
    this.name = 'QueueModelError';
    this.code = code;
  }
}

/** One call, automatic or manual, as the counter screen and the statistics would see it. */
export interface CallRecord {
  ticketId: string;
  counterId: string;
  at: number;
  /** The service the ticket waited for when called (it may have been transferred since). */
  serviceId: string;
  priority: boolean;
  reason: CallReason;
}

function isServed(weight: number): boolean {
  return weight > 0 && Number.isFinite(weight);
}

function headOf(t: Ticket): QueueHead {
  return {
    ticketId: t.id,
    serviceId: t.serviceId,
    priority: t.priority,
    queuedAt: t.queuedAt,
    number: t.number,
  };
}

export class QueueModel {
  readonly timeZone: string;
  readonly policy: CallPolicy;
  private readonly defaultLang: Lang;
  private readonly services = new Map<string, ModelService>();
  private readonly counters = new Map<string, ModelCounter>();
  /** Every ticket ever issued, in issue order; values are replaced, never mutated. */
  private readonly ticketsById = new Map<string, Ticket>();
  /** The last sequence drawn per service and business day: numbering restarts with each day. */
  private readonly lastSeq = new Map<string, number>();
  private readonly streaks = new Map<string, number>();
  /** counterId → the ticket it holds: a counter serves one visitor at a time. */
  private readonly holding = new Map<string, string>();
  private readonly callLog: CallRecord[] = [];

  constructor(config: QueueModelConfig) {
    if (!isValidTimeZone(config.timeZone)) {
      throw new RangeError(`unknown time zone ${config.timeZone}`);
    }
    this.timeZone = config.timeZone;
    this.policy = { ...config.policy };
    this.defaultLang = config.defaultLang ?? 'fr';
    const prefixes = new Set<string>();
    for (const s of config.services) {
      if (!isValidPrefix(s.prefix)) {
        throw new RangeError(`service ${s.id}: invalid prefix ${s.prefix}`);
      }
      // Two services sharing a letter would both announce "A001" on the same day.
      if (prefixes.has(s.prefix)) {
        throw new RangeError(`service ${s.id}: prefix ${s.prefix} is taken`);
      }
      prefixes.add(s.prefix);
      this.services.set(s.id, { ...s });
    }
    for (const c of config.counters) {
      this.counters.set(c.id, withChanges(c, { profile: c.profile.map((e) => ({ ...e })) }));
      this.streaks.set(c.id, 0);
    }
  }

  // ---- queries ----

  /** Every ticket ever issued, in issue order. */
  tickets(): Ticket[] {
    return [...this.ticketsById.values()];
  }

  ticket(ticketId: string): Ticket {
    const t = this.ticketsById.get(ticketId);
    if (!t) throw new QueueModelError('unknown_ticket', `no ticket ${ticketId}`);
    return t;
  }

  waiting(): Ticket[] {
    return this.tickets().filter((t) => t.status === 'waiting');
  }

  /** The ticket the counter is calling or serving, if any. */
  heldBy(counterId: string): Ticket | null {
    this.counter(counterId);
    const ticketId = this.holding.get(counterId);
    return ticketId === undefined ? null : this.ticket(ticketId);
  }

  priorityStreak(counterId: string): number {
    this.counter(counterId);
    return this.streaks.get(counterId) ?? 0;
  }

  /** Every call made, oldest first. */
  calls(): readonly CallRecord[] {
    return this.callLog;
  }

  counterStatus(counterId: string): CounterStatus {
    return this.counter(counterId).status;
  }

  /** The counter's weight for the service, or undefined when it does not serve it. */
  weightFor(counterId: string, serviceId: string): number | undefined {
    let weight: number | undefined;
    for (const entry of this.counter(counterId).profile) {
      if (entry.serviceId === serviceId && isServed(entry.weight)) {
        weight = (weight ?? 0) + entry.weight;
      }
    }
    return weight;
  }

  /** The heads of the counter's queues, as the hub would read them with indexed queries. */
  headsFor(counterId: string): ServiceHeads[] {
    const firstWaiting = new Map<string, Ticket>();
    for (const t of this.ticketsById.values()) {
      if (t.status !== 'waiting') continue;
      const key = `${t.serviceId}\u0000${t.priority}`;
      const current = firstWaiting.get(key);
      // Within a queue: arrival, then issue order (ids are issued in order), like the hub's
      // ORDER BY queued_at, rowid.
      if (!current || t.queuedAt < current.queuedAt) firstWaiting.set(key, t);
      else if (t.queuedAt === current.queuedAt && t.id < current.id) firstWaiting.set(key, t);
    }
    const head = (serviceId: string, priority: boolean): QueueHead | null => {
      const t = firstWaiting.get(`${serviceId}\u0000${priority}`);
      return t ? headOf(t) : null;
    };
    const heads: ServiceHeads[] = [];
    for (const serviceId of new Set(this.counter(counterId).profile.map((e) => e.serviceId))) {
      const weight = this.weightFor(counterId, serviceId);
      if (weight === undefined) continue;
      heads.push({
        serviceId,
        weight,
        priorityHead: head(serviceId, true),
        normalHead: head(serviceId, false),
      });
    }
    return heads;
  }

  // ---- configuration changes ----

  setCounterStatus(counterId: string, status: CounterStatus): void {
    // A counter may pause while holding a ticket: it can still finish it, it just calls no one.
    this.counter(counterId).status = status;
  }

  setServiceOpen(serviceId: string, open: boolean): void {
    this.service(serviceId).open = open;
  }

  // ---- commands ----

  /** A kiosk issues the next number of the service for today's business day. */
  issue(
    serviceId: string,
    priority: boolean,
    now: number,
    options: { lang?: Lang; source?: TicketSource } = {},
  ): Ticket {
    const service = this.service(serviceId);
    if (!service.open) {
      throw new QueueModelError('service_closed', `service ${serviceId} is closed`);
    }
    const day = businessDay(now, this.timeZone);
    const seqKey = `${serviceId}\u0000${day}`;
    const seq = (this.lastSeq.get(seqKey) ?? 0) + 1;
    const number = formatTicketNumber(service.prefix, seq);
    this.lastSeq.set(seqKey, seq);
    // Zero-padded so that id order is issue order, which keeps tie-breaks readable in tests.
    const id = `t${String(this.ticketsById.size + 1).padStart(6, '0')}`;
    const ticket: Ticket = {
      id,
      number,
      seq,
      businessDay: day,
      issuedServiceId: serviceId,
      serviceId,
      priority,
      lang: options.lang ?? this.defaultLang,
      source: options.source ?? 'walk_in',
      status: 'waiting',
      issuedAt: now,
      queuedAt: now,
      calledAt: null,
      startedAt: null,
      finishedAt: null,
      counterId: null,
      recalls: 0,
      transfers: 0,
      callReason: null,
    };
    this.ticketsById.set(id, ticket);
    return ticket;
  }

  /** The counter presses "next": null when none of its services has anyone waiting. */
  callNext(counterId: string, now: number): Ticket | null {
    this.assertFree(counterId);
    const decision = chooseNext({
      heads: this.headsFor(counterId),
      priorityStreak: this.priorityStreak(counterId),
      policy: this.policy,
      now,
    });
    if (!decision) return null;
    const called = callTicket(this.ticket(decision.ticketId), counterId, decision.reason, now);
    this.recordCall(called, counterId, decision.reason, decision.nextPriorityStreak, now);
    return called;
  }

  /** Staff call a particular waiting ticket, whatever the rules would have chosen. */
  call(counterId: string, ticketId: string, now: number): Ticket {
    this.assertFree(counterId);
    const ticket = this.ticket(ticketId);
    const reason = manualCallReason(ticket, this.weightFor(counterId, ticket.serviceId), now);
    const called = callTicket(ticket, counterId, reason, now);
    const normalWaiting = this.headsFor(counterId).some((s) => s.normalHead !== null);
    const streak = nextPriorityStreak(
      this.priorityStreak(counterId),
      ticket.priority,
      normalWaiting,
    );
    this.recordCall(called, counterId, reason, streak, now);
    return called;
  }

  recall(ticketId: string, now: number): { ticket: Ticket; becameNoShow: boolean } {
    const result = recallTicket(this.ticket(ticketId), this.policy.maxRecalls, now);
    this.store(result.ticket);
    return result;
  }

  start(ticketId: string, now: number): Ticket {
    return this.store(startTicket(this.ticket(ticketId), now));
  }

  finish(ticketId: string, now: number): Ticket {
    return this.store(finishTicket(this.ticket(ticketId), now));
  }

  noShow(ticketId: string, now: number): Ticket {
    return this.store(markNoShow(this.ticket(ticketId), now));
  }

  cancel(ticketId: string, now: number): Ticket {
    return this.store(cancelTicket(this.ticket(ticketId), now));
  }

  /** Back to waiting in another service, keeping number and place (see transferTicket). */
  transfer(ticketId: string, toServiceId: string, now: number): Ticket {
    // A closed service still serves those already waiting, so transfers into it are allowed.
    this.service(toServiceId);
    return this.store(transferTicket(this.ticket(ticketId), toServiceId, now));
  }

  // ---- internals ----

  private service(serviceId: string): ModelService {
    const s = this.services.get(serviceId);
    if (!s) throw new QueueModelError('unknown_service', `no service ${serviceId}`);
    return s;
  }

  private counter(counterId: string): ModelCounter {
    const c = this.counters.get(counterId);
    if (!c) throw new QueueModelError('unknown_counter', `no counter ${counterId}`);
    return c;
  }

  private assertFree(counterId: string): void {
    const counter = this.counter(counterId);
    if (counter.status !== 'open') {
      throw new QueueModelError('counter_not_open', `counter ${counterId} is ${counter.status}`);
    }
    const held = this.holding.get(counterId);
    if (held !== undefined) {
      throw new QueueModelError('counter_busy', `counter ${counterId} still holds ticket ${held}`);
    }
  }

  private recordCall(
    called: Ticket,
    counterId: string,
    reason: CallReason,
    streak: number,
    now: number,
  ): void {
    this.store(called);
    this.streaks.set(counterId, streak);
    this.callLog.push({
      ticketId: called.id,
      counterId,
      at: now,
      serviceId: called.serviceId,
      priority: called.priority,
      reason,
    });
  }

  /** Saves the new version of a ticket and keeps "which counter holds what" in step with it. */
  private store(next: Ticket): Ticket {
    const previous = this.ticketsById.get(next.id);
    if (previous?.counterId != null && this.holding.get(previous.counterId) === previous.id) {
      this.holding.delete(previous.counterId);
    }
    if (isHeld(next.status) && next.counterId !== null) this.holding.set(next.counterId, next.id);
    this.ticketsById.set(next.id, next);
    return next;
  }
}
