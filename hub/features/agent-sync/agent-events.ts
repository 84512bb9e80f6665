// What a kiosk agent writes to its log and pushes to its hub (docs/sync.md, "Offline kiosks"):
// shared by the agent that writes it and the hub that checks it, so both read one shape.
import { z } from 'zod';

/** An agent may be off by minutes, not days: a larger offset is a broken measurement. */
const MAX_OFFSET_MS = 24 * 60 * 60 * 1000;

export const AgentIssuedTicket = z
  .object({
    id: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
    serviceId: z.string().min(1).max(64),
    businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** As printed: the prefix then at least three digits. */
    number: z.string().regex(/^[A-Z]\d{3,}$/, 'a ticket number such as A042'),
    priority: z.boolean(),
    lang: z.string().min(2).max(16),
    /** The agent's wall clock (ms) when the visitor took the ticket. */
    issuedAt: z.number().int().min(0),
  })
  .strict();
export type AgentIssuedTicket = z.infer<typeof AgentIssuedTicket>;

/** The kiosk's Idempotency-Key, as the hub's API accepts it (1–128 printable ASCII). */
export const AgentIdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, '1 to 128 printable ASCII characters');

/**
 * `ticket.issued` from an agent: the ticket and the clock offset (hub − agent) known then, and
 * the kiosk request's Idempotency-Key when it had one: the hub may have committed a forward of
 * that same request whose answer came too late (docs/sync.md, "One visitor, one ticket").
 */
export const AgentTicketIssuedPayload = z
  .object({
    ticket: AgentIssuedTicket,
    clockOffsetMs: z.number().int().min(-MAX_OFFSET_MS).max(MAX_OFFSET_MS),
    idempotencyKey: AgentIdempotencyKey.optional(),
  })
  .strict();
export type AgentTicketIssuedPayload = z.infer<typeof AgentTicketIssuedPayload>;

/** The only type an agent writes: counters never call through an agent. */
export const AGENT_TICKET_ISSUED = 'ticket.issued';

/**
 * The ticket's place on the hub's clock: the agent's instant corrected by the offset it measured,
 * never later than the hub's now (a ticket cannot have arrived in the future).
 */
export function arrivalOnHubClock(payload: AgentTicketIssuedPayload, hubNow: number): number {
  return Math.max(0, Math.min(hubNow, payload.ticket.issuedAt + payload.clockOffsetMs));
}
