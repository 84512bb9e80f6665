// The hub receiving a kiosk agent's log (docs/sync.md, "Push"): one transaction per push,
// idempotent by eventId and by deviceSeq at or below the acknowledgement, refusing gaps, through
// the shared pure decision `planPush`. An applied `ticket.issued` places the agent's ticket in
// the queue with its block number and its arrival time.
import type { PushAnswer, PushBody, SyncEvent } from '../../../core/sync/protocol';
import { planPush, type EventVerdict } from '../../../core/sync/push-plan';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import { agentIdFor, type NumberBlockStore } from '../number-blocks/number-block-store';
import type { ServiceStore } from '../services/service-store';
import type { TicketStore } from '../tickets/ticket-store';
import { AGENT_TICKET_ISSUED, AgentTicketIssuedPayload, arrivalOnHubClock } from './agent-events';

export class AgentPushStore {
  private readonly ackOf;
  private readonly saveAck;
  private readonly knownEvent;
  private readonly storeEvent;
  private readonly ticketExists;
  private readonly seqTaken;

  constructor(
    private readonly ctx: HubContext,
    private readonly services: ServiceStore,
    private readonly tickets: TicketStore,
    private readonly blocks: NumberBlockStore,
  ) {
    const { db } = ctx;
    this.ackOf = db.prepare<[string, string], { acked_seq: number }>(
      'SELECT acked_seq FROM agent_logs WHERE agent_id = ? AND epoch = ?',
    );
    this.saveAck = db.prepare<[string, string, number]>(
      `INSERT INTO agent_logs (agent_id, epoch, acked_seq) VALUES (?, ?, ?)
       ON CONFLICT (agent_id, epoch) DO UPDATE SET acked_seq = excluded.acked_seq`,
    );
    this.knownEvent = db.prepare<[string], { one: number }>(
      'SELECT 1 AS one FROM agent_events WHERE event_id = ?',
    );
    this.storeEvent = db.prepare(
      `INSERT INTO agent_events (event_id, agent_id, epoch, device_seq, hlc, type, payload, status, reason, received_at)
       VALUES (@event_id, @agent_id, @epoch, @device_seq, @hlc, @type, @payload, @status, @reason, @received_at)`,
    );
    this.ticketExists = db.prepare<[string], { one: number }>(
      'SELECT 1 AS one FROM tickets WHERE id = ?',
    );
    this.seqTaken = db.prepare<[string, string, number], { one: number }>(
      'SELECT 1 AS one FROM tickets WHERE issued_service_id = ? AND business_day = ? AND seq = ?',
    );
  }

  receive(body: PushBody, actor: Actor): PushAnswer {
    const agentId = agentIdFor(actor.deviceId);
    if (body.deviceId !== agentId)
      throw new HubError(
        403,
        'forbidden',
        `This kiosk token pushes the log "${agentId}", not "${body.deviceId}".`,
      );
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      // Numbers claimed earlier in this batch: two events of one batch cannot share a number.
      const claimed = new Set<string>();
      const plan = planPush<SyncEvent>({
        ack: this.ackOf.get(agentId, body.epoch)?.acked_seq ?? 0,
        events: body.events,
        isKnown: (eventId) => this.knownEvent.get(eventId) !== undefined,
        check: (event) => this.check(agentId, body.epoch, event, claimed),
      });
      for (const planned of plan.toStore) {
        const { event } = planned;
        this.storeEvent.run({
          event_id: event.eventId,
          agent_id: agentId,
          epoch: body.epoch,
          device_seq: event.deviceSeq,
          hlc: event.hlc,
          type: event.type,
          payload: JSON.stringify(event.payload),
          status: planned.status,
          reason: planned.reason,
          received_at: now,
        });
        if (planned.status === 'applied') this.apply(event, actor, now);
      }
      this.saveAck.run(agentId, body.epoch, plan.ackSeq);
      return { ackSeq: plan.ackSeq, results: plan.results, receiverTime: now };
    });
  }

  private check(
    agentId: string,
    epoch: string,
    event: SyncEvent,
    claimed: Set<string>,
  ): EventVerdict {
    if (event.type !== AGENT_TICKET_ISSUED)
      return { ok: false, reason: `an agent writes only ${AGENT_TICKET_ISSUED}` };
    const parsed = AgentTicketIssuedPayload.safeParse(event.payload);
    if (!parsed.success)
      return { ok: false, reason: `invalid payload: ${parsed.error.issues[0]?.message ?? ''}` };
    const t = parsed.data.ticket;
    if (!this.services.find(t.serviceId)) return { ok: false, reason: 'unknown service' };
    if (!this.blocks.holding(agentId, epoch, t.serviceId, t.businessDay, t.seq))
      return { ok: false, reason: `number ${t.seq} is in no block of this agent epoch` };
    const key = `${t.serviceId} ${t.businessDay} ${t.seq}`;
    if (
      claimed.has(key) ||
      this.seqTaken.get(t.serviceId, t.businessDay, t.seq) ||
      this.ticketExists.get(t.id)
    )
      return { ok: false, reason: `ticket ${t.number} (or its id) exists already` };
    claimed.add(key);
    return { ok: true };
  }

  private apply(event: SyncEvent, actor: Actor, now: number): void {
    // check() accepted this payload: parsing again cannot fail.
    const payload = AgentTicketIssuedPayload.parse(event.payload);
    const t = payload.ticket;
    this.tickets.placeArrived(
      {
        id: t.id,
        serviceId: t.serviceId,
        businessDay: t.businessDay,
        seq: t.seq,
        number: t.number,
        priority: t.priority,
        lang: t.lang,
        issuedAt: t.issuedAt,
        queuedAt: arrivalOnHubClock(payload, now),
      },
      actor,
    );
  }
}
