// The hub receiving a kiosk agent's log (docs/sync.md, "Push"): one transaction per push,
// idempotent by eventId and by deviceSeq at or below the acknowledgement, refusing gaps, through
// the shared pure decision `planPush`. An applied `ticket.issued` places the agent's ticket in
// the queue with its block number and its arrival time, and settles its twin: a ticket the hub
// issued for a forward of the same kiosk request whose answer reached the agent too late
// (docs/sync.md, "One visitor, one ticket").
import { hash } from 'node:crypto';
import { z } from 'zod';
import type { Ticket } from '../../../core/model';
import type { PushAnswer, PushBody, SyncEvent } from '../../../core/sync/protocol';
import { planPush, type EventVerdict } from '../../../core/sync/push-plan';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import { agentIdFor, type NumberBlockStore } from '../number-blocks/number-block-store';
import type { ServiceStore } from '../services/service-store';
import { ticketToDto } from '../tickets/ticket-rows';
import type { TicketStore } from '../tickets/ticket-store';
import { AGENT_TICKET_ISSUED, AgentTicketIssuedPayload, arrivalOnHubClock } from './agent-events';

/** The reason a twin is cancelled with (in its `ticket.cancelled` event). */
export const SUPERSEDED_REASON = 'superseded_by_offline_ticket';

/** Where the hub keeps what each agent log's pushes showed: the `meta` table, one key per log. */
export const pushMetaKey = (agentId: string, epoch: string): string =>
  `agent_push/${agentId}/${epoch}`;

/** What the hub remembers of an agent log's pushes beyond its events (GET /api/v1/sync/agents). */
export const AgentPushMeta = z.object({
  /** The hub's clock at the last push received, whatever it carried. */
  at: z.number().int(),
  /** The highest deviceSeq any push of this log carried: the agent's log reaches at least this. */
  knownEnd: z.number().int().min(0),
});
export type AgentPushMeta = z.infer<typeof AgentPushMeta>;

/** The part of a stored `POST /tickets` answer that names the ticket it issued. */
const LedgerTicket = z.object({ id: z.string() });

/**
 * The request hash a ledger row gets when an agent's offline ticket claims its key first: no real
 * request hashes to it (theirs start with the method), so a late copy of the forwarded request is
 * answered 422 `idempotency_key_reused` and issues nothing.
 */
const offlineClaimHash = (ticketId: string): string =>
  hash('sha256', `agent-offline-ticket ${ticketId}`, 'hex');

export class AgentPushStore {
  private readonly ackOf;
  private readonly saveAck;
  private readonly knownEvent;
  private readonly storeEvent;
  private readonly ticketExists;
  private readonly seqTaken;
  private readonly ledgerRow;
  private readonly claimKey;
  private readonly readMeta;
  private readonly writeMeta;

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
    // The Idempotency-Key ledger (hub/features/idempotency): what the hub answered this kiosk.
    this.ledgerRow = db.prepare<[string, string], { status_code: number; response: string | null }>(
      'SELECT status_code, response FROM idempotency_keys WHERE device_id = ? AND key = ?',
    );
    this.claimKey = db.prepare(
      `INSERT OR IGNORE INTO idempotency_keys (device_id, key, request_hash, status_code, response, created_at)
       VALUES (@device_id, @key, @request_hash, 201, @response, @created_at)`,
    );
    this.readMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.writeMeta = db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
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
      this.notePush(agentId, body, plan.ackSeq, now);
      return { ackSeq: plan.ackSeq, results: plan.results, receiverTime: now };
    });
  }

  /** What the pushes of a log showed (null: none received). */
  pushMeta(agentId: string, epoch: string): AgentPushMeta | null {
    const raw = this.readMeta.get(pushMetaKey(agentId, epoch))?.value;
    if (raw === undefined) return null;
    try {
      const parsed = AgentPushMeta.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Every push counts as contact, duplicates included; the known end of the log only grows. */
  private notePush(agentId: string, body: PushBody, ackSeq: number, now: number): void {
    const previous = this.pushMeta(agentId, body.epoch);
    const carried = body.events.reduce((max, e) => Math.max(max, e.deviceSeq), 0);
    const knownEnd = Math.max(previous?.knownEnd ?? 0, carried, ackSeq);
    const meta: AgentPushMeta = { at: now, knownEnd };
    this.writeMeta.run(pushMetaKey(agentId, body.epoch), JSON.stringify(meta));
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
    const placed = this.tickets.placeArrived(
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
    if (payload.idempotencyKey !== undefined)
      this.settleTwin(actor, payload.idempotencyKey, placed, now);
  }

  /**
   * One visitor, one ticket (docs/sync.md): the kiosk request behind this offline ticket may also
   * have been committed here as a forward whose answer came too late. The visitor holds the agent's
   * printed ticket, so the hub's twin goes: cancelled in this transaction while it still waits.
   * One a counter already called is left to that counter (nobody answers it: a no-show). With no
   * answer under the key yet, the key is claimed for the agent's ticket, so a late copy of the
   * forward issues nothing.
   */
  private settleTwin(actor: Actor, key: string, placed: Ticket, now: number): void {
    const row = this.ledgerRow.get(actor.deviceId, key);
    if (!row) {
      this.claimKey.run({
        device_id: actor.deviceId,
        key,
        request_hash: offlineClaimHash(placed.id),
        response: JSON.stringify(ticketToDto(placed)),
        created_at: now,
      });
      return;
    }
    if (row.status_code !== 201 || row.response === null) return; // that forward issued nothing
    let twin: string | null = null;
    try {
      const parsed = LedgerTicket.safeParse(JSON.parse(row.response));
      twin = parsed.success ? parsed.data.id : null;
    } catch {
      twin = null;
    }
    if (twin === null || twin === placed.id) return;
    // A twin is a walk-in of the same service (the same request). A key the kiosk also used on
    // another request, say an appointment check-in, names a ticket that is no twin: left alone.
    const held = this.tickets.find(twin);
    if (!held || held.issuedServiceId !== placed.issuedServiceId || held.source !== 'walk_in')
      return;
    this.tickets.cancelWaiting(twin, actor, {
      reason: SUPERSEDED_REASON,
      supersededBy: { ticketId: placed.id, number: placed.number },
    });
  }
}
