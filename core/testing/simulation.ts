// A branch simulation for the property tests: random worlds and command sequences, and a runner
// that drives QueueModel while checking, after every step, what an independent observer expects.
// The observer keeps its own copy of every ticket from what the commands returned, so a model
// that changed a ticket behind its back, or called someone it should not have, is caught.
import { expect } from 'vitest';
import fc from 'fast-check';
import type { CallPolicy, CallRule, CounterStatus, Ticket } from '../model';
import { businessDay } from '../numbering';
import { QueueModel, QueueModelError, type ModelCounter, type ModelService } from '../queue-model';
import { TransitionError, canApply, isFinal, isHeld, type TicketAction } from '../ticket-lifecycle';
import { deepFreeze } from './tickets';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface World {
  timeZone: string;
  start: number;
  policy: CallPolicy;
  services: ModelService[];
  counters: ModelCounter[];
}

export interface WorldOptions {
  /** Fixes the aging threshold; far beyond any simulated wait, it switches aging off. */
  agingThresholdSec?: number;
}

const ZONES = [
  'UTC',
  'Pacific/Auckland',
  'America/Los_Angeles',
  'Asia/Kathmandu',
  'America/Santiago',
];
const MAX_SERVICES = 4;

/** 1–4 services, 1–4 counters with random work profiles; every service has a counter. */
export function worldArb(options: WorldOptions = {}): fc.Arbitrary<World> {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      start: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2025, 0, 1) }),
      serviceCount: fc.integer({ min: 1, max: MAX_SERVICES }),
      // Weight 0 leaves the service out of that counter's profile.
      weights: fc.array(
        fc.array(fc.integer({ min: 0, max: 4 }), {
          minLength: MAX_SERVICES,
          maxLength: MAX_SERVICES,
        }),
        { minLength: 1, maxLength: 4 },
      ),
      priorityCap: fc.integer({ min: 0, max: 3 }),
      agingThresholdSec:
        options.agingThresholdSec === undefined
          ? fc.constantFrom(60, 300, 900, 1800)
          : fc.constant(options.agingThresholdSec),
      maxRecalls: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      ({ timeZone, start, serviceCount, weights, priorityCap, agingThresholdSec, maxRecalls }) => {
        const services = Array.from({ length: serviceCount }, (_, i) => ({
          id: `s${i}`,
          prefix: 'ABCD'.charAt(i),
          open: true,
        }));
        const counters: ModelCounter[] = weights.map((row, c) => ({
          id: `c${c}`,
          status: 'open',
          profile: services
            .map((s, i) => ({ serviceId: s.id, weight: row[i] ?? 0 }))
            .filter((e) => e.weight > 0),
        }));
        services.forEach((s, i) => {
          if (!counters.some((c) => c.profile.some((e) => e.serviceId === s.id))) {
            counters[i % counters.length]?.profile.push({ serviceId: s.id, weight: 1 });
          }
        });
        return {
          timeZone,
          start,
          services,
          counters,
          policy: { priorityCap, agingThresholdSec, maxRecalls },
        };
      },
    );
}

export type Command =
  | { kind: 'issue'; service: number; priority: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'callNext'; counter: number }
  | { kind: 'call'; counter: number; pick: number }
  | { kind: 'recall' | 'start' | 'finish' | 'noShow'; counter: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'transfer'; pick: number; service: number }
  | { kind: 'counterStatus'; counter: number; status: CounterStatus };

export interface CommandOptions {
  manualCalls?: boolean;
  maxLength?: number;
}

/** Random branch activity; indexes are taken modulo what exists, so every command is usable. */
export function commandsArb(options: CommandOptions = {}): fc.Arbitrary<Command[]> {
  const index = fc.nat({ max: 1000 });
  const counter = fc.nat({ max: 7 });
  const arbitraries: fc.WeightedArbitrary<Command>[] = [
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('issue'), service: index, priority: fc.boolean() }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('advance'),
        // 0 puts several events on the same millisecond, where tie-breaks matter.
        ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * MINUTE })),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('advance'),
        ms: fc.integer({ min: 6 * HOUR, max: 30 * HOUR }),
      }),
    },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('callNext'), counter }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('finish'), counter }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('start'), counter }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('recall'), counter }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('noShow'), counter }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel'), pick: index }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('transfer'), pick: index, service: index }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('counterStatus'),
        counter,
        status: fc.constantFrom<CounterStatus>('open', 'open', 'paused', 'closed'),
      }),
    },
  ];
  if (options.manualCalls !== false) {
    arbitraries.push({
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('call'), counter, pick: index }),
    });
  }
  return fc.array(fc.oneof(...arbitraries), { maxLength: options.maxLength ?? 120, size: 'max' });
}

/** One call as the observer saw it. */
export interface ObservedCall {
  ticketId: string;
  counterId: string;
  priority: boolean;
  rule: CallRule;
  /** A normal ticket was waiting in one of the counter's services just before the call. */
  normalWaiting: boolean;
}

/** Arrival order within one queue: strictly earlier, or the same instant and a smaller number. */
function arrivedBefore(a: Ticket, b: Ticket): boolean {
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt;
  return (
    a.issuedServiceId === b.issuedServiceId && a.businessDay === b.businessDay && a.seq < b.seq
  );
}

export class Simulation {
  readonly model: QueueModel;
  now: number;
  /** Every ticket as last returned by a command, in issue order. */
  readonly observed = new Map<string, Ticket>();
  readonly issued: Ticket[] = [];
  readonly calls: ObservedCall[] = [];
  /** Priority calls in a row, per counter, that overtook a waiting normal ticket. */
  private readonly overtakingRun = new Map<string, number>();
  /**
   * For each ticket waiting past the aging threshold: how many more call-next presses, at
   * counters serving it, may go to someone else. See checkAgingBound.
   */
  private readonly agingBudget = new Map<string, number>();
  private readonly servedBy: Map<string, Set<string>>;
  private readonly agingMs: number;

  constructor(readonly world: World) {
    this.model = new QueueModel({
      timeZone: world.timeZone,
      services: world.services,
      counters: world.counters,
      policy: world.policy,
    });
    this.now = world.start;
    this.agingMs = world.policy.agingThresholdSec * 1000;
    this.servedBy = new Map(
      world.counters.map((c) => [
        c.id,
        new Set(c.profile.filter((e) => e.weight > 0).map((e) => e.serviceId)),
      ]),
    );
  }

  run(commands: Command[]): void {
    for (const command of commands) {
      this.apply(command);
      this.checkInvariants();
    }
  }

  apply(command: Command): void {
    const counterId = `c${'counter' in command ? command.counter % this.world.counters.length : 0}`;
    switch (command.kind) {
      case 'issue':
        return this.issue(
          this.world.services[command.service % this.world.services.length]?.id ?? '',
          command.priority,
        );
      case 'advance':
        this.now += command.ms;
        return;
      case 'callNext':
        this.callNext(counterId);
        return;
      case 'call':
        return this.manualCall(counterId, command.pick);
      case 'recall':
      case 'start':
      case 'finish':
      case 'noShow':
        return this.actOnHeld(counterId, command.kind);
      case 'cancel':
        return this.cancel(command.pick);
      case 'transfer':
        return this.transfer(command.pick, command.service);
      case 'counterStatus':
        this.model.setCounterStatus(counterId, command.status);
        return;
    }
  }

  // ---- commands, each with what the observer expects of it ----

  issue(serviceId: string, priority: boolean): void {
    const ticket = this.model.issue(serviceId, priority, this.now);
    const day = businessDay(this.now, this.world.timeZone);
    const sameDay = this.issued.filter(
      (t) => t.issuedServiceId === serviceId && t.businessDay === day,
    );
    const prefix = this.world.services.find((s) => s.id === serviceId)?.prefix;
    // Numbers run 1, 2, 3… per (service, business day), so the first of a day is 001.
    expect(ticket.seq).toBe(sameDay.length + 1);
    expect(ticket.number).toBe(`${prefix}${String(sameDay.length + 1).padStart(3, '0')}`);
    expect(ticket).toMatchObject({
      status: 'waiting',
      businessDay: day,
      queuedAt: this.now,
      serviceId,
    });
    expect(this.observed.has(ticket.id)).toBe(false);
    this.issued.push(ticket);
    this.changed(undefined, ticket);
  }

  /** Presses "next" at the counter; returns the called ticket, if any. */
  callNext(counterId: string): Ticket | null {
    if (this.refusesCalls(counterId)) {
      expect(() => this.model.callNext(counterId, this.now)).toThrow(QueueModelError);
      return null;
    }
    const waitingBefore = this.waiting();
    const eligible = waitingBefore.filter((t) => this.serves(counterId, t.serviceId));
    this.startAgingBudgets(waitingBefore);

    const called = this.model.callNext(counterId, this.now);
    if (called === null) {
      expect(eligible, 'call-next found no one while someone waited').toEqual([]);
      return null;
    }
    const before = this.observed.get(called.id);
    expect(before && eligible.includes(before), 'called a ticket that was not waiting here').toBe(
      true,
    );
    expect(called).toMatchObject({ status: 'called', counterId, calledAt: this.now, recalls: 0 });
    const rule = called.callReason?.rule;
    expect(rule).toBeDefined();
    expect(rule).not.toBe('manual');

    // FIFO among equals: no one in the same queue arrived before the called ticket.
    const overtaken = eligible.filter(
      (t) =>
        t.serviceId === called.serviceId &&
        t.priority === called.priority &&
        arrivedBefore(t, called),
    );
    expect(
      overtaken.map((t) => t.number),
      `${called.number} overtook its own queue`,
    ).toEqual([]);

    const normalWaiting = eligible.some((t) => !t.priority);
    // Outside aging (which is exempt: the aged ticket arrived before everyone it passes), a
    // waiting priority ticket is called exactly when no normal one waits or the counter's run of
    // overtaking priority calls is still below the cap K.
    if (rule !== 'aging') {
      const run = this.overtakingRun.get(counterId) ?? 0;
      const priorityWaiting = eligible.some((t) => t.priority);
      const priorityDue =
        priorityWaiting && (!normalWaiting || run < this.world.policy.priorityCap);
      expect(called.priority, `priority due: ${priorityDue} (run ${run})`).toBe(priorityDue);
      expect(rule).toBe(priorityDue ? 'priority' : priorityWaiting ? 'priority_cap' : 'weighted');
    }
    this.checkAgingBound(counterId, called);
    this.recordCall(counterId, called, rule as CallRule, normalWaiting);
    return called;
  }

  manualCall(counterId: string, pick: number): void {
    const waiting = this.waiting();
    const target = waiting[pick % Math.max(1, waiting.length)];
    if (!target) return;
    if (this.refusesCalls(counterId)) {
      expect(() => this.model.call(counterId, target.id, this.now)).toThrow(QueueModelError);
      return;
    }
    const normalWaiting = waiting.some((t) => !t.priority && this.serves(counterId, t.serviceId));
    const called = this.model.call(counterId, target.id, this.now);
    expect(called).toMatchObject({
      id: target.id,
      status: 'called',
      counterId,
      callReason: { rule: 'manual' },
    });
    this.recordCall(counterId, called, 'manual', normalWaiting);
  }

  actOnHeld(counterId: string, kind: 'recall' | 'start' | 'finish' | 'noShow'): void {
    const held = this.heldBy(counterId);
    if (!held) return;
    const action: TicketAction = kind === 'noShow' ? 'no_show' : kind;
    if (!canApply(held.status, action)) {
      expect(() => this.lifecycle(kind, held.id)).toThrow(TransitionError);
      return;
    }
    const after = this.lifecycle(kind, held.id);
    if (kind === 'recall') {
      // Exactly maxRecalls recalls are possible; the next one makes a no-show.
      const noShow = held.recalls >= this.world.policy.maxRecalls;
      expect(after).toMatchObject(
        noShow
          ? { status: 'no_show', finishedAt: this.now }
          : { status: 'called', recalls: held.recalls + 1 },
      );
    }
  }

  cancel(pick: number): void {
    const ticket = this.issued[pick % Math.max(1, this.issued.length)];
    if (!ticket) return;
    const current = this.observed.get(ticket.id) as Ticket;
    if (!canApply(current.status, 'cancel')) {
      expect(() => this.model.cancel(ticket.id, this.now)).toThrow(TransitionError);
      return;
    }
    const after = this.model.cancel(ticket.id, this.now);
    expect(after).toMatchObject({ status: 'cancelled', finishedAt: this.now });
    this.changed(current, after);
  }

  transfer(pick: number, service: number): void {
    const ticket = this.issued[pick % Math.max(1, this.issued.length)];
    if (!ticket) return;
    const current = this.observed.get(ticket.id) as Ticket;
    const to = this.world.services[service % this.world.services.length]?.id ?? '';
    if (!canApply(current.status, 'transfer') || to === current.serviceId) {
      expect(() => this.model.transfer(ticket.id, to, this.now)).toThrow(TransitionError);
      return;
    }
    const after = this.model.transfer(ticket.id, to, this.now);
    // The visitor keeps number and place.
    expect(after).toMatchObject({
      status: 'waiting',
      serviceId: to,
      number: current.number,
      queuedAt: current.queuedAt,
      issuedServiceId: current.issuedServiceId,
      counterId: null,
      transfers: current.transfers + 1,
    });
    this.changed(current, after);
  }

  /**
   * Liveness: opens every counter, stops arrivals, and lets each counter finish its ticket and
   * call the next one, round after round. Every service has a counter, so every round with
   * someone waiting calls at least one ticket: W tickets waiting need at most W rounds, plus one
   * to finish the last ones. Returns the number of calls made, which must be exactly W.
   */
  drain(): number {
    for (const c of this.world.counters) this.model.setCounterStatus(c.id, 'open');
    const waitingAtStart = this.waiting().length;
    const callsAtStart = this.calls.length;
    let rounds = 0;
    while (this.waiting().length > 0 || this.world.counters.some((c) => this.heldBy(c.id))) {
      rounds++;
      expect(rounds, 'the queue did not drain within its bound').toBeLessThanOrEqual(
        waitingAtStart + 1,
      );
      for (const c of this.world.counters) {
        if (this.heldBy(c.id)) this.actOnHeld(c.id, 'finish');
        this.callNext(c.id);
        this.checkInvariants();
      }
      this.now += MINUTE;
    }
    expect(this.calls.length - callsAtStart).toBe(waitingAtStart);
    return waitingAtStart;
  }

  // ---- checks ----

  /** What must hold after every command; gathered into one assertion, as it runs very often. */
  checkInvariants(): void {
    const problems: string[] = [];
    const tickets = this.model.tickets();
    if (tickets.length !== this.observed.size) problems.push('the model lost or invented tickets');
    const holders = new Map<string, string[]>();
    for (const t of tickets) {
      // Same objects: the model changed nothing the observer was not told about.
      if (t !== this.observed.get(t.id)) problems.push(`${t.id} changed silently`);
      if (isHeld(t.status)) {
        if (t.counterId === null || !this.servedBy.has(t.counterId)) {
          problems.push(`${t.id} held by nobody`);
        } else {
          holders.set(t.counterId, [...(holders.get(t.counterId) ?? []), t.id]);
        }
      } else if (t.counterId !== null && t.status === 'waiting') {
        problems.push(`waiting ${t.id} still has counter ${t.counterId}`);
      }
    }
    for (const c of this.world.counters) {
      const held = holders.get(c.id) ?? [];
      if (held.length > 1) problems.push(`${c.id} holds ${held.join(', ')}`);
      if ((this.model.heldBy(c.id)?.id ?? null) !== (held[0] ?? null)) {
        problems.push(`${c.id}: heldBy disagrees with the tickets`);
      }
    }
    expect(problems).toEqual([]);
  }

  /**
   * The aging bound. Once ticket X has waited the aging threshold, every call-next at a counter
   * serving X's service calls the oldest head it sees, which arrived no later than X (X's own
   * queue head did). So each such press takes someone from W(X), the tickets waiting with
   * queuedAt ≤ X.queuedAt, and W(X) only grows when a ticket enters the queue with such an old
   * queuedAt (a transfer). X is therefore called within |W(X)| presses, plus one per entry:
   * the budget counts that down and must never reach 0 while X still waits.
   */
  private checkAgingBound(counterId: string, called: Ticket): void {
    for (const [ticketId, budget] of this.agingBudget) {
      const x = this.observed.get(ticketId) as Ticket;
      if (ticketId === called.id || !this.serves(counterId, x.serviceId)) continue;
      expect(
        called.queuedAt,
        `${called.number} was called before aged ${x.number}`,
      ).toBeLessThanOrEqual(x.queuedAt);
      expect(
        budget - 1,
        `aged ${x.number} was passed over more than its bound`,
      ).toBeGreaterThanOrEqual(1);
      this.agingBudget.set(ticketId, budget - 1);
    }
  }

  private startAgingBudgets(waiting: Ticket[]): void {
    for (const x of waiting) {
      if (this.agingBudget.has(x.id) || this.now - x.queuedAt < this.agingMs) continue;
      this.agingBudget.set(x.id, waiting.filter((t) => t.queuedAt <= x.queuedAt).length);
    }
  }

  // ---- bookkeeping ----

  private lifecycle(kind: 'recall' | 'start' | 'finish' | 'noShow', ticketId: string): Ticket {
    const before = this.observed.get(ticketId) as Ticket;
    const after =
      kind === 'recall'
        ? this.model.recall(ticketId, this.now).ticket
        : this.model[kind](ticketId, this.now);
    this.changed(before, after);
    return after;
  }

  private recordCall(
    counterId: string,
    called: Ticket,
    rule: CallRule,
    normalWaiting: boolean,
  ): void {
    this.changed(this.observed.get(called.id), called);
    const run = this.overtakingRun.get(counterId) ?? 0;
    this.overtakingRun.set(counterId, called.priority && normalWaiting ? run + 1 : 0);
    this.calls.push({
      ticketId: called.id,
      counterId,
      priority: called.priority,
      rule,
      normalWaiting,
    });
  }

  /** Records a new version of a ticket, checking what may and may not change. */
  private changed(before: Ticket | undefined, after: Ticket): void {
    if (before) {
      expect(isFinal(before.status), `final ticket ${before.number} changed`).toBe(false);
      expect(after).toMatchObject({
        id: before.id,
        number: before.number,
        issuedServiceId: before.issuedServiceId,
      });
    }
    const wasWaiting = before?.status === 'waiting';
    const isWaiting = after.status === 'waiting';
    if (wasWaiting && !isWaiting) this.agingBudget.delete(after.id);
    if (!wasWaiting && isWaiting) {
      for (const [ticketId, budget] of this.agingBudget) {
        const x = this.observed.get(ticketId) as Ticket;
        if (after.queuedAt <= x.queuedAt) this.agingBudget.set(ticketId, budget + 1);
      }
    }
    this.observed.set(after.id, deepFreeze(after));
  }

  private refusesCalls(counterId: string): boolean {
    return this.model.counterStatus(counterId) !== 'open' || this.heldBy(counterId) !== undefined;
  }

  private heldBy(counterId: string): Ticket | undefined {
    for (const t of this.observed.values()) {
      if (isHeld(t.status) && t.counterId === counterId) return t;
    }
    return undefined;
  }

  private waiting(): Ticket[] {
    return [...this.observed.values()].filter((t) => t.status === 'waiting');
  }

  private serves(counterId: string, serviceId: string): boolean {
    return this.servedBy.get(counterId)?.has(serviceId) ?? false;
  }
}
