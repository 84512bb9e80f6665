// Issuing a ticket on the agent while the hub is unreachable: one transaction draws the number from
// a granted block, stores the ticket and its answer, and appends `ticket.issued` to the agent's
// log. Only after the commit is the number shown (or printed): a crash never reuses one.
import { randomUUID } from 'node:crypto';
import type { IssuedTicketDto, IssueTicketBody } from '../../core/api/schemas';
import { businessDay, formatTicketNumber } from '../../core/numbering';
import { writeTransaction, type Db } from '../db/open-database';
import type { Clock } from '../clock';
import { HubError } from '../hub-error';
import {
  AGENT_TICKET_ISSUED,
  type AgentTicketIssuedPayload,
} from '../features/agent-sync/agent-events';
import type { AgentBlocks } from './agent-blocks';
import type { AgentLog } from './agent-log';
import type { AgentMeta } from './agent-meta';

/** Offline without a number for this service today: the kiosk shows the hub is unreachable. */
export class NoOfflineNumbers extends Error {
  override name = 'NoOfflineNumbers';
}

export class AgentIssuer {
  private readonly insertTicket;
  private readonly byKey;
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly meta: AgentMeta,
    private readonly blocks: AgentBlocks,
    private readonly log: AgentLog,
  ) {
    this.insertTicket = db.prepare(
      `INSERT INTO tickets (id, block_id, service_id, business_day, seq, number, answer, idempotency_key)
       VALUES (@id, @block_id, @service_id, @business_day, @seq, @number, @answer, @idempotency_key)`,
    );
    this.byKey = db.prepare<[string], { answer: string }>(
      'SELECT answer FROM tickets WHERE idempotency_key = ?',
    );
    this.byId = db.prepare<[string], { answer: string }>('SELECT answer FROM tickets WHERE id = ?');
  }

  /** The answer given for an Idempotency-Key here, if this agent issued it. */
  replay(key: string): IssuedTicketDto | null {
    const row = this.byKey.get(key);
    return row ? (JSON.parse(row.answer) as IssuedTicketDto) : null;
  }

  /** A ticket issued here (its answer as given then), if any. */
  find(id: string): IssuedTicketDto | null {
    const row = this.byId.get(id);
    return row ? (JSON.parse(row.answer) as IssuedTicketDto) : null;
  }

  /** The business day on the hub's clock, as this agent last measured it. */
  today(): string | null {
    const tz = this.meta.timeZone();
    return tz ? businessDay(this.clock.now() + this.meta.clockOffsetMs(), tz) : null;
  }

  issue(body: IssueTicketBody, idempotencyKey: string | null): IssuedTicketDto {
    return writeTransaction(this.db, () => {
      if (idempotencyKey) {
        const earlier = this.replay(idempotencyKey);
        if (earlier) return earlier;
      }
      const agentId = this.meta.agentId();
      const day = this.today();
      const services = this.meta.services();
      if (!services)
        throw new NoOfflineNumbers('The hub is unreachable and this kiosk never reached it yet.');
      const service = services.find((s) => s.id === body.serviceId);
      if (!service) throw new HubError(404, 'service_not_found', `No service "${body.serviceId}".`);
      const drawn = agentId && day ? this.blocks.draw(service.id, day) : null;
      if (!agentId || !day || !drawn)
        throw new NoOfflineNumbers(
          'The hub is unreachable and this kiosk holds no numbers for this service today.',
        );
      const now = this.clock.now();
      const offset = this.meta.clockOffsetMs();
      const ticket = {
        id: randomUUID(),
        serviceId: service.id,
        businessDay: day,
        seq: drawn.seq,
        number: formatTicketNumber(drawn.prefix, drawn.seq),
        priority: body.priority ?? false,
        lang: body.lang ?? Object.keys(service.name)[0] ?? 'fr',
        issuedAt: now,
      };
      const iso = new Date(now + offset).toISOString();
      const answer: IssuedTicketDto = {
        id: ticket.id,
        number: ticket.number,
        serviceId: ticket.serviceId,
        issuedServiceId: ticket.serviceId,
        status: 'waiting',
        priority: ticket.priority,
        lang: ticket.lang,
        source: 'walk_in',
        businessDay: day,
        issuedAt: iso,
        queuedAt: iso,
        calledAt: null,
        startedAt: null,
        finishedAt: null,
        counterId: null,
        recalls: 0,
        transfers: 0,
        callReason: null,
        // The last count the hub gave: an estimate, the hub places the ticket when it is back.
        ahead: service.waiting,
        estimatedWaitSec: null,
      };
      this.insertTicket.run({
        id: ticket.id,
        block_id: drawn.blockId,
        service_id: ticket.serviceId,
        business_day: day,
        seq: ticket.seq,
        number: ticket.number,
        answer: JSON.stringify(answer),
        idempotency_key: idempotencyKey,
      });
      // The key goes with the ticket: the hub cancels a twin it issued for a forward of this same
      // request whose answer came too late (docs/sync.md, "One visitor, one ticket").
      const payload: AgentTicketIssuedPayload = {
        ticket,
        clockOffsetMs: offset,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      this.log.append(agentId, AGENT_TICKET_ISSUED, payload, now);
      return answer;
    });
  }
}
