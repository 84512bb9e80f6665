// Tickets: issuing, calling and every later step, each one transaction with its event.
import { v7 as uuidv7 } from 'uuid';
import {
  chooseNext,
  manualCallReason,
  nextPriorityStreak,
  type ServiceHeads,
  type QueueHead,
} from '../../../core/call-next';
import type { TicketEventType } from '../../../core/api/schemas';
import type { Ticket } from '../../../core/model';
import { businessDay, formatTicketNumber } from '../../../core/numbering';
import {
  callTicket,
  cancelTicket,
  finishTicket,
  markNoShow,
  recallTicket,
  startTicket,
  transferTicket,
  TransitionError,
} from '../../../core/ticket-lifecycle';
import { averageServiceSec, estimateWaitSec } from '../../../core/wait-estimate';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError, notFound } from '../../hub-error';
import type { Actor } from '../actor';
import type { BranchStore } from '../branch/branch-store';
import { assertActsForCounter, type CounterStore } from '../counters/counter-store';
import type { ServiceStore } from '../services/service-store';
import { nextOwnSeq, type GrantedRange } from '../number-blocks/number-block-store';
import { ticketFromRow, ticketToDto, ticketUpdateParams, type TicketRow } from './ticket-rows';
import { merged } from '../../../core/records';

export interface IssueRequest {
  serviceId: string;
  priority?: boolean;
  lang?: string;
  source?: Ticket['source'];
}

/** A ticket a kiosk agent issued from its number block while the hub was unreachable. */
export interface ArrivedTicket {
  id: string;
  serviceId: string;
  businessDay: string;
  seq: number;
  number: string;
  priority: boolean;
  lang: string;
  /** When the visitor took it, on the agent's clock. */
  issuedAt: number;
  /** The same instant on the hub's clock: its place in the queue. */
  queuedAt: number;
}

export interface TicketPosition {
  ahead: number;
  estimatedWaitSec: number | null;
}

export type TicketStepAction = 'recall' | 'start' | 'finish' | 'no_show' | 'cancel';

/** How many finished tickets feed the average service time of a service. */
const RECENT_DURATIONS = 20;

export class TicketStore {
  private readonly byId;
  private readonly lastOwnSeq;
  private readonly insert;
  private readonly insertArrived;
  private readonly grantedRanges;
  private readonly update;
  private readonly head;
  private readonly aheadCount;
  private readonly waitingAtOrAbove;
  private readonly queuedLater;
  private readonly oldestWaiting;
  private readonly recentDurations;
  private readonly inHand;
  private readonly byStatus;
  private readonly issuedByOf;

  constructor(
    private readonly ctx: HubContext,
    private readonly branch: BranchStore,
    private readonly services: ServiceStore,
    private readonly counters: CounterStore,
  ) {
    const { db } = ctx;
    this.byId = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?');
    // The hub's own last number of a (service, day): the highest in no agent's block. Agents'
    // blocks lie above the hub's numbers (FIRST_BLOCK_SEQ), so an agent ticket pushed after an
    // outage must not move the hub's numbering past it. A backward walk of the UNIQUE index that
    // stops at the first own ticket (agent tickets above it are few: one outage's worth).
    this.lastOwnSeq = db.prepare<[string, string], { s: number }>(
      `SELECT seq AS s FROM tickets t
       WHERE issued_service_id = ? AND business_day = ?
         AND NOT EXISTS (SELECT 1 FROM number_blocks b
           WHERE b.service_id = t.issued_service_id AND b.business_day = t.business_day
             AND t.seq BETWEEN b.from_seq AND b.to_seq)
       ORDER BY seq DESC LIMIT 1`,
    );
    this.insert = db.prepare(
      `INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, priority, lang, source, status, issued_at, queued_at, recalls, transfers, issued_by)
       VALUES (@id, @number, @seq, @business_day, @service_id, @service_id, @priority, @lang, @source, 'waiting', @issued_at, @issued_at, 0, 0, @issued_by)`,
    );
    this.insertArrived = db.prepare(
      `INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, priority, lang, source, status, issued_at, queued_at, recalls, transfers, issued_by)
       VALUES (@id, @number, @seq, @business_day, @service_id, @service_id, @priority, @lang, 'walk_in', 'waiting', @issued_at, @queued_at, 0, 0, @issued_by)`,
    );
    // Ranges granted to kiosk agents (migration 005): the hub never draws a number inside one.
    this.grantedRanges = db.prepare<[string, string], GrantedRange>(
      'SELECT from_seq AS "from", to_seq AS "to" FROM number_blocks WHERE service_id = ? AND business_day = ?',
    );
    this.update = db.prepare(
      `UPDATE tickets SET service_id = @service_id, status = @status, queued_at = @queued_at, called_at = @called_at,
         started_at = @started_at, finished_at = @finished_at, counter_id = @counter_id, recalls = @recalls,
         transfers = @transfers, call_reason = @call_reason
       WHERE id = @id`,
    );
    this.head = db.prepare<
      [string, number],
      { ticketId: string; serviceId: string; queuedAt: number; number: string }
    >(
      `SELECT id AS ticketId, service_id AS serviceId, queued_at AS queuedAt, number FROM tickets
       WHERE service_id = ? AND priority = ? AND status = 'waiting' ORDER BY queued_at, rowid LIMIT 1`,
    );
    // Who is called before a ticket: priority first, then arrival order (the queue's own order,
    // with insertion order breaking ties within a millisecond).
    this.aheadCount = db.prepare<
      { service_id: string; priority: number; queued_at: number; id: string },
      { n: number }
    >(
      `SELECT COUNT(*) AS n FROM tickets WHERE service_id = @service_id AND status = 'waiting' AND (
         priority > @priority OR (priority = @priority AND (queued_at < @queued_at OR
           (queued_at = @queued_at AND rowid < (SELECT rowid FROM tickets WHERE id = @id)))))`,
    );
    // Counts kept by the database (migration 007) instead of counting the queue row by row:
    // waiting in a service at a class or above (class 0: everyone waiting there).
    this.waitingAtOrAbove = db.prepare<[string, number], { n: number }>(
      "SELECT COALESCE(SUM(n), 0) AS n FROM queue_counts WHERE service_id = ? AND status = 'waiting' AND priority >= ?",
    );
    // A short walk of the end of tickets_waiting: usually nothing is queued after a new ticket.
    this.queuedLater = db.prepare<[string, number, number], { n: number }>(
      "SELECT COUNT(*) AS n FROM tickets WHERE service_id = ? AND priority = ? AND status = 'waiting' AND queued_at > ?",
    );
    // One MIN per class: each is the first entry of its tickets_waiting range, where a MIN over
    // both classes would walk the whole service's queue (the class sits between the two columns).
    this.oldestWaiting = db.prepare<{ service: string }, { q: number | null }>(
      `SELECT MIN(q) AS q FROM (
         SELECT MIN(queued_at) AS q FROM tickets WHERE service_id = @service AND priority = 0 AND status = 'waiting'
         UNION ALL
         SELECT MIN(queued_at) FROM tickets WHERE service_id = @service AND priority = 1 AND status = 'waiting')`,
    );
    this.recentDurations = db
      .prepare<[string, number], number>(
        `SELECT (finished_at - COALESCE(started_at, called_at)) / 1000.0 AS d FROM tickets
       WHERE service_id = ? AND status = 'done' ORDER BY finished_at DESC LIMIT ?`,
      )
      .pluck();
    this.inHand = db.prepare<[string], TicketRow>(
      "SELECT * FROM tickets WHERE counter_id = ? AND status IN ('called', 'serving')",
    );
    this.byStatus = db.prepare<[string], TicketRow>(
      'SELECT * FROM tickets WHERE status = ? ORDER BY queued_at, rowid',
    );
    this.issuedByOf = db
      .prepare<[string], string | null>('SELECT issued_by FROM tickets WHERE id = ?')
      .pluck();
  }

  /** The device that issued a ticket (its kiosk, or an agent's), null for one it cannot name. */
  issuedBy(id: string): string | null {
    return this.issuedByOf.get(id) ?? null;
  }

  find(id: string): Ticket | undefined {
    const row = this.byId.get(id);
    return row ? ticketFromRow(row) : undefined;
  }

  get(id: string): Ticket {
    const ticket = this.find(id);
    if (!ticket) throw notFound('ticket', id);
    return ticket;
  }

  /** The ticket a counter holds (called or being served), if any. */
  inHandOf(counterId: string): Ticket | null {
    const row = this.inHand.get(counterId);
    return row ? ticketFromRow(row) : null;
  }

  withStatus(status: Ticket['status']): Ticket[] {
    return this.byStatus.all(status).map(ticketFromRow);
  }

  issue(req: IssueRequest, actor: Actor): Ticket & TicketPosition {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const settings = this.branch.settings();
      const service = this.services.find(req.serviceId);
      if (!service) throw notFound('service', req.serviceId);
      if (!service.open)
        throw new HubError(
          409,
          'service_closed',
          `The service "${service.id}" is closed: it issues no ticket now.`,
        );
      if (req.priority && !settings.priorityEnabled) {
        throw new HubError(
          409,
          'priority_disabled',
          'This branch does not issue priority tickets.',
        );
      }
      const lang = req.lang ?? settings.defaultLang;
      if (!settings.languages.includes(lang)) {
        throw new HubError(
          422,
          'unsupported_language',
          `The branch does not offer language "${lang}" (it offers ${settings.languages.join(', ')}).`,
        );
      }
      const day = businessDay(now, settings.timeZone);
      if (settings.capacity !== null && this.branch.occupancyOn(day) >= settings.capacity) {
        throw new HubError(
          409,
          'branch_full',
          `The building is full (${settings.capacity} people): please come back later.`,
        );
      }
      const seq = nextOwnSeq(
        this.lastOwnSeq.get(service.id, day)?.s ?? 0,
        this.grantedRanges.all(service.id, day),
      );
      const id = uuidv7({ msecs: now });
      this.insert.run({
        id,
        number: formatTicketNumber(service.prefix, seq),
        seq,
        business_day: day,
        service_id: service.id,
        priority: req.priority ? 1 : 0,
        lang,
        source: req.source ?? 'walk_in',
        issued_at: now,
        issued_by: actor.deviceId,
      });
      const ticket = this.get(id);
      this.appendTicketEvent('ticket.issued', ticket, actor, now);
      return merged(ticket, this.positionOfNewest(ticket));
    });
  }

  /**
   * Places a ticket an agent issued offline (docs/sync.md, "Offline kiosks"): it keeps its printed
   * number and takes its place by arrival time. The caller (the push receiver) checked the number
   * against the agent's block and runs this inside its transaction.
   */
  placeArrived(arrived: ArrivedTicket, actor: Actor): Ticket {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      this.insertArrived.run({
        id: arrived.id,
        number: arrived.number,
        seq: arrived.seq,
        business_day: arrived.businessDay,
        service_id: arrived.serviceId,
        priority: arrived.priority ? 1 : 0,
        lang: arrived.lang,
        issued_at: arrived.issuedAt,
        queued_at: arrived.queuedAt,
        issued_by: actor.deviceId,
      });
      const ticket = this.get(arrived.id);
      this.appendTicketEvent('ticket.issued', ticket, actor, now, { offline: true });
      return ticket;
    });
  }

  /**
   * Cancels a ticket that is still waiting, on the hub's own decision (no counter holds it): the
   * twin of a kiosk agent's offline ticket (docs/sync.md, "One visitor, one ticket"). Returns null,
   * changing nothing, when the ticket is unknown or no longer waiting.
   */
  cancelWaiting(ticketId: string, actor: Actor, extra: Record<string, unknown>): Ticket | null {
    return runCommand(this.ctx, () => {
      const ticket = this.find(ticketId);
      if (!ticket || ticket.status !== 'waiting') return null;
      const now = this.ctx.clock.now();
      return this.save(cancelTicket(ticket, now), 'ticket.cancelled', actor, now, extra);
    });
  }

  /** The ticket with where it stands (position()), as screens and the API show it. */
  positioned(ticket: Ticket): Ticket & TicketPosition {
    return merged(ticket, this.position(ticket));
  }

  /** Where a waiting ticket stands: people called before it, and the wait that means. */
  position(ticket: Ticket): TicketPosition {
    if (ticket.status !== 'waiting')
      return {
        ahead: 0,
        estimatedWaitSec: ticket.status === 'called' || ticket.status === 'serving' ? 0 : null,
      };
    const ahead =
      this.aheadCount.get({
        service_id: ticket.serviceId,
        priority: ticket.priority ? 1 : 0,
        queued_at: ticket.queuedAt,
        id: ticket.id,
      })?.n ?? 0;
    return { ahead, estimatedWaitSec: this.estimate(ticket.serviceId, ahead) };
  }

  /**
   * position() of the ticket just inserted, without counting the queue: it is the table's last
   * row, so in its class only tickets queued at a later time stand behind it (a clock set back,
   * an offline agent's ticket placed by its own arrival time). Everyone else waiting in its class
   * or a higher one is ahead.
   */
  private positionOfNewest(ticket: Ticket): TicketPosition {
    const priority = ticket.priority ? 1 : 0;
    const atOrAbove = this.waitingAtOrAbove.get(ticket.serviceId, priority)?.n ?? 0;
    const behind = this.queuedLater.get(ticket.serviceId, priority, ticket.queuedAt)?.n ?? 0;
    const ahead = Math.max(0, atOrAbove - 1 - behind);
    return { ahead, estimatedWaitSec: this.estimate(ticket.serviceId, ahead) };
  }

  estimate(serviceId: string, ahead: number): number | null {
    const durations = this.recentDurations.all(serviceId, RECENT_DURATIONS);
    return estimateWaitSec({
      ahead,
      avgServiceSec: averageServiceSec(durations),
      effectiveCounters: this.counters.counterTime(serviceId),
    });
  }

  /** Waiting count, longest wait and the wait a new ticket would face, per service. */
  serviceSummary(serviceId: string): {
    waiting: number;
    longestWaitSec: number;
    estimatedWaitSec: number | null;
  } {
    const waiting = this.waitingAtOrAbove.get(serviceId, 0)?.n ?? 0;
    const oldest = this.oldestWaiting.get({ service: serviceId })?.q ?? null;
    const longestWaitSec =
      oldest === null ? 0 : Math.max(0, Math.round((this.ctx.clock.now() - oldest) / 1000));
    return { waiting, longestWaitSec, estimatedWaitSec: this.estimate(serviceId, waiting) };
  }

  callNext(counterId: string, actor: Actor): Ticket | null {
    assertActsForCounter(actor, counterId);
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const counter = this.assertCounterReady(counterId);
      const settings = this.branch.settings();
      const heads: ServiceHeads[] = counter.profile.map((entry) => ({
        serviceId: entry.serviceId,
        weight: entry.weight,
        priorityHead: this.readHead(entry.serviceId, true),
        normalHead: this.readHead(entry.serviceId, false),
      }));
      const decision = chooseNext({
        heads,
        priorityStreak: this.counters.priorityStreak(counterId),
        policy: {
          priorityCap: settings.priorityCap,
          agingThresholdSec: settings.agingThresholdSec,
          maxRecalls: settings.maxRecalls,
        },
        now,
      });
      if (!decision) return null;
      this.counters.savePriorityStreak(counterId, decision.nextPriorityStreak);
      const called = callTicket(this.get(decision.ticketId), counterId, decision.reason, now);
      return this.save(called, 'ticket.called', actor, now);
    });
  }

  /** Staff call one ticket by hand ("the gentleman with the wheelchair, A042"). */
  callSpecific(counterId: string, ticketId: string, actor: Actor): Ticket {
    assertActsForCounter(actor, counterId);
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const counter = this.assertCounterReady(counterId);
      const ticket = this.get(ticketId);
      const weight = counter.profile.find((p) => p.serviceId === ticket.serviceId)?.weight;
      const called = this.transition(() =>
        callTicket(ticket, counterId, manualCallReason(ticket, weight, now), now),
      );
      // A hand-picked priority ticket that jumps a waiting normal one counts toward the cap too,
      // so "call this ticket" cannot be used to starve normal visitors.
      const normalWaiting = counter.profile.some((p) => {
        const head = this.readHead(p.serviceId, false);
        return head !== null && head.ticketId !== ticket.id;
      });
      this.counters.savePriorityStreak(
        counterId,
        nextPriorityStreak(this.counters.priorityStreak(counterId), ticket.priority, normalWaiting),
      );
      return this.save(called, 'ticket.called', actor, now);
    });
  }

  step(ticketId: string, action: TicketStepAction, actor: Actor): Ticket {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const ticket = this.get(ticketId);
      this.assertMayHandle(actor, ticket);
      switch (action) {
        case 'recall': {
          const { ticket: next, becameNoShow } = this.transition(() =>
            recallTicket(ticket, this.branch.settings().maxRecalls, now),
          );
          return this.save(
            next,
            becameNoShow ? 'ticket.no_show' : 'ticket.recalled',
            actor,
            now,
            becameNoShow ? { reason: 'max_recalls' } : {},
          );
        }
        case 'start':
          return this.save(
            this.transition(() => startTicket(ticket, now)),
            'ticket.started',
            actor,
            now,
          );
        case 'finish':
          return this.save(
            this.transition(() => finishTicket(ticket, now)),
            'ticket.finished',
            actor,
            now,
          );
        case 'no_show':
          return this.save(
            this.transition(() => markNoShow(ticket, now)),
            'ticket.no_show',
            actor,
            now,
          );
        case 'cancel':
          return this.save(
            this.transition(() => cancelTicket(ticket, now)),
            'ticket.cancelled',
            actor,
            now,
          );
      }
    });
  }

  transfer(ticketId: string, toServiceId: string, note: string | undefined, actor: Actor): Ticket {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const ticket = this.get(ticketId);
      this.assertMayHandle(actor, ticket);
      this.services.get(toServiceId);
      const moved = this.transition(() => transferTicket(ticket, toServiceId, now));
      const extra: Record<string, unknown> = {
        fromServiceId: ticket.serviceId,
        counterId: ticket.counterId,
      };
      if (note !== undefined) extra.note = note;
      return this.save(moved, 'ticket.transferred', actor, now, extra);
    });
  }

  private readHead(serviceId: string, priority: boolean): QueueHead | null {
    const row = this.head.get(serviceId, priority ? 1 : 0);
    return row
      ? {
          ticketId: row.ticketId,
          serviceId: row.serviceId,
          priority,
          queuedAt: row.queuedAt,
          number: row.number,
        }
      : null;
  }

  private assertCounterReady(counterId: string) {
    const counter = this.counters.get(counterId);
    if (counter.status !== 'open') {
      throw new HubError(
        409,
        'counter_paused',
        `Counter "${counter.name}" is ${counter.status}: resume it before calling.`,
      );
    }
    const held = this.inHandOf(counterId);
    if (held) {
      throw new HubError(
        409,
        'counter_busy',
        `Counter "${counter.name}" still holds ticket ${held.number}: finish, transfer or mark it first.`,
      );
    }
    return counter;
  }

  /** Counters handle the tickets they hold; admins any ticket. */
  private assertMayHandle(actor: Actor, ticket: Ticket): void {
    if (actor.role === 'admin') return;
    if (
      actor.role === 'counter' &&
      ticket.counterId !== null &&
      ticket.counterId === actor.counterId
    )
      return;
    throw new HubError(403, 'forbidden', `This device does not hold ticket ${ticket.number}.`);
  }

  private transition<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof TransitionError)
        throw new HubError(409, 'illegal_transition', error.message);
      throw error;
    }
  }

  private save(
    ticket: Ticket,
    type: TicketEventType,
    actor: Actor,
    now: number,
    extra: Record<string, unknown> = {},
  ): Ticket {
    this.update.run(ticketUpdateParams(ticket));
    this.appendTicketEvent(type, ticket, actor, now, extra);
    return ticket;
  }

  private appendTicketEvent(
    type: TicketEventType,
    ticket: Ticket,
    actor: Actor,
    now: number,
    extra: Record<string, unknown> = {},
  ): void {
    this.ctx.outbox.append(
      {
        type,
        ticketId: ticket.id,
        actorDeviceId: actor.deviceId,
        payload: { ticket: ticketToDto(ticket), counterId: ticket.counterId, ...extra },
      },
      now,
    );
  }
}
