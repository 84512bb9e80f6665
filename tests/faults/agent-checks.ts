// What must hold on the kiosk agent → hub link after every run (docs/sync.md, "What the fault
// suite checks"), read from the agent's database and the hub's (both read-only, while they run)
// and from the recorded kiosk history. Each check returns problems; none means it holds. The
// link-agnostic checks (numbers unique, single caller, nothing lost) are in history-checks.ts.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_PUSH_EVENTS, PushAnswer } from '../../core/sync/protocol';
import { SUPERSEDED_REASON } from '../../hub/features/agent-sync/agent-push-store';
import { call } from '../support/test-hub';
import { readOnly } from './history-checks';
import type { LoadHistory } from './load';

interface AgentEventRow {
  device_seq: number;
  event_id: string;
  hlc: string;
  type: string;
  payload: string;
}

interface AgentTicket {
  id: string;
  number: string;
  serviceId: string;
  businessDay: string;
}

/** The agent's side: its log, the tickets it issued offline, where its push stands. */
export interface AgentSnapshot {
  agentId: string | null;
  epoch: string;
  ackedSeq: number;
  lastSeq: number;
  events: AgentEventRow[];
  tickets: AgentTicket[];
}

export function readAgent(agentDbFile: string): AgentSnapshot {
  return readOnly(agentDbFile, (db) => {
    const meta = new Map(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    const events = db
      .prepare<[], AgentEventRow>(
        'SELECT device_seq, event_id, hlc, type, payload FROM events ORDER BY device_seq',
      )
      .all();
    const tickets = db
      .prepare<[], AgentTicket>(
        `SELECT id, number, service_id AS serviceId, business_day AS businessDay FROM tickets`,
      )
      .all();
    return {
      agentId: meta.get('agent_id') ?? null,
      epoch: meta.get('epoch') ?? '',
      ackedSeq: Number(meta.get('acked_seq') ?? 0),
      lastSeq: events.at(-1)?.device_seq ?? 0,
      events,
      tickets,
    };
  });
}

/** The hub's copy of one agent log, and its rows for the agent's tickets. */
export interface HubAgentSide {
  ack: number;
  events: { event_id: string; device_seq: number; status: string; reason: string | null }[];
  tickets: AgentTicket[];
  /** How many `ticket.issued` events the hub's own log holds per agent ticket. */
  issuedEvents: Map<string, number>;
}

export function readHubAgentSide(hubDbFile: string, agent: AgentSnapshot): HubAgentSide {
  const agentId = agent.agentId ?? '';
  return readOnly(hubDbFile, (db) => {
    const ack =
      db
        .prepare<[string, string], { acked_seq: number }>(
          'SELECT acked_seq FROM agent_logs WHERE agent_id = ? AND epoch = ?',
        )
        .get(agentId, agent.epoch)?.acked_seq ?? 0;
    const events = db
      .prepare<
        [string, string],
        { event_id: string; device_seq: number; status: string; reason: string | null }
      >(
        `SELECT event_id, device_seq, status, reason FROM agent_events
         WHERE agent_id = ? AND epoch = ? ORDER BY device_seq`,
      )
      .all(agentId, agent.epoch);
    const ticket = db.prepare<[string], AgentTicket>(
      `SELECT id, number, issued_service_id AS serviceId, business_day AS businessDay
       FROM tickets WHERE id = ?`,
    );
    const issued = db.prepare<[string], { n: number }>(
      "SELECT COUNT(*) AS n FROM events WHERE type = 'ticket.issued' AND ticket_id = ?",
    );
    const tickets: AgentTicket[] = [];
    const issuedEvents = new Map<string, number>();
    for (const t of agent.tickets) {
      const row = ticket.get(t.id);
      if (row) tickets.push(row);
      issuedEvents.set(t.id, issued.get(t.id)?.n ?? 0);
    }
    return { ack, events, tickets, issuedEvents };
  });
}

/** The agent-side state hash: its offline tickets as both sides must hold them. */
export function agentStateHash(tickets: readonly AgentTicket[]): string {
  const rows = [...tickets]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => [t.id, t.number, t.serviceId, t.businessDay]);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/** Agent and hub agree: nothing left to push, the hub acknowledges it all, the same tickets. */
export function agentAgreement(
  agent: AgentSnapshot,
  hub: HubAgentSide,
): { agreed: boolean; detail: string } {
  const backlog = agent.lastSeq - agent.ackedSeq;
  const same = agentStateHash(agent.tickets) === agentStateHash(hub.tickets);
  return {
    agreed: backlog === 0 && hub.ack === agent.lastSeq && same,
    detail: `agent backlog ${backlog}, hub ack ${hub.ack}/${agent.lastSeq}, agent hash ${same ? 'equal' : 'differs'} (${agent.tickets.length} vs ${hub.tickets.length} tickets)`,
  };
}

/**
 * The agent's log is gapless and the hub holds it exactly once: the same event at each position
 * 1..n, each applied (none refused), the acknowledgement at n; each offline ticket is on the hub
 * with its number, service and day, announced by exactly one `ticket.issued` of the hub's log.
 */
export function checkAgentLog(agent: AgentSnapshot, hub: HubAgentSide): string[] {
  const problems: string[] = [];
  if (!agent.events.every((e, i) => e.device_seq === i + 1))
    problems.push(`agent log is not gapless: ${agent.events.map((e) => e.device_seq).join(',')}`);
  if (hub.ack !== agent.lastSeq)
    problems.push(`hub acknowledges ${hub.ack} of the agent log's ${agent.lastSeq} events`);
  if (hub.events.length !== agent.events.length)
    problems.push(
      `hub holds ${hub.events.length} agent events, the agent wrote ${agent.events.length}`,
    );
  hub.events.forEach((e, i) => {
    const mine = agent.events[i];
    if (e.device_seq !== i + 1 || !mine || mine.event_id !== e.event_id)
      problems.push(`hub agent event at position ${i + 1} is ${e.device_seq}/${e.event_id}`);
    if (e.status !== 'applied')
      problems.push(`hub ${e.status} agent event ${e.device_seq}: ${e.reason ?? ''}`);
  });
  const onHub = new Map(hub.tickets.map((t) => [t.id, t]));
  for (const t of agent.tickets) {
    const row = onHub.get(t.id);
    if (!row) problems.push(`agent ticket ${t.number} (${t.id}) is not on the hub`);
    else if (JSON.stringify(row) !== JSON.stringify(t))
      problems.push(`agent ticket ${t.id}: agent ${JSON.stringify(t)}, hub ${JSON.stringify(row)}`);
    const announced = hub.issuedEvents.get(t.id) ?? 0;
    if (announced !== 1)
      problems.push(`agent ticket ${t.number}: ${announced} ticket.issued events on the hub`);
  }
  return problems;
}

const LedgerAnswer = z.object({ id: z.string() });
const CancelPayload = z.object({
  reason: z.string().optional(),
  supersededBy: z.object({ ticketId: z.string() }).optional(),
});

export interface TwinReport {
  problems: string[];
  /** Twins cancelled when the agent's ticket arrived. */
  cancelled: number;
  /** Twins a counter had already called when the agent's ticket arrived (left to that counter). */
  calledBefore: number;
}

/**
 * One visitor, one ticket (docs/sync.md): where the hub committed a kiosk request (its ledger
 * holds a ticket under the key) but the kiosk got the agent's offline ticket, the hub's twin must
 * be out of the queue (cancelled as superseded, or called before the agent's ticket arrived), and
 * no counter may call the twin once the visitor's ticket is on the hub.
 */
export function checkTwins(
  history: LoadHistory,
  hubDbFile: string,
  kioskDeviceId: string,
): TwinReport {
  const report: TwinReport = { problems: [], cancelled: 0, calledBefore: 0 };
  readOnly(hubDbFile, (db) => {
    const ledger = db.prepare<[string, string], { status_code: number; response: string | null }>(
      'SELECT status_code, response FROM idempotency_keys WHERE device_id = ? AND key = ?',
    );
    const status = db.prepare<[string], { status: string; number: string }>(
      'SELECT status, number FROM tickets WHERE id = ?',
    );
    const eventsOf = db.prepare<[string], { seq: number; type: string; payload: string }>(
      'SELECT seq, type, payload FROM events WHERE ticket_id = ? ORDER BY seq',
    );
    for (const issued of history.issued) {
      const row = ledger.get(kioskDeviceId, issued.key);
      if (!row || row.status_code !== 201 || row.response === null) continue;
      const answer = LedgerAnswer.safeParse(JSON.parse(row.response));
      if (!answer.success || answer.data.id === issued.id) continue;
      const twin = answer.data.id;
      const twinRow = status.get(twin);
      const arrival = eventsOf.all(issued.id).find((e) => e.type === 'ticket.issued')?.seq;
      const twinEvents = eventsOf.all(twin);
      if (!twinRow) {
        report.problems.push(`twin ${twin} of key ${issued.key} is in the ledger, not the hub`);
        continue;
      }
      if (twinRow.status === 'waiting')
        report.problems.push(
          `key ${issued.key}: the kiosk holds ${issued.number}, the hub's twin ${twinRow.number} still waits`,
        );
      if (arrival === undefined) continue; // reported as lost by checkNoTicketLost
      const calledAfter = twinEvents.filter((e) => e.type === 'ticket.called' && e.seq > arrival);
      if (calledAfter.length > 0)
        report.problems.push(
          `key ${issued.key}: twin ${twinRow.number} called after ${issued.number} reached the hub`,
        );
      const cancel = twinEvents.find((e) => e.type === 'ticket.cancelled');
      const calledBefore = twinEvents.some((e) => e.type === 'ticket.called' && e.seq < arrival);
      if (cancel) {
        const payload = CancelPayload.safeParse(JSON.parse(cancel.payload));
        const ok =
          payload.success &&
          payload.data.reason === SUPERSEDED_REASON &&
          payload.data.supersededBy?.ticketId === issued.id;
        if (!ok)
          report.problems.push(`twin ${twinRow.number} cancelled without naming ${issued.number}`);
        else report.cancelled += 1;
      } else if (calledBefore) report.calledBefore += 1;
      else
        report.problems.push(
          `twin ${twinRow.number} of ${issued.number} is ${twinRow.status}, neither cancelled nor called first`,
        );
    }
  });
  return report;
}

/** The hub's state as the re-push check compares it: every ticket row and the log's length. */
function hubFingerprint(hubDbFile: string): string {
  return readOnly(hubDbFile, (db) => {
    const tickets = db.prepare('SELECT * FROM tickets ORDER BY id').all();
    const events = db.prepare('SELECT COUNT(*) AS n FROM events').get();
    const agentEvents = db.prepare('SELECT COUNT(*) AS n FROM agent_events').get();
    return createHash('sha256')
      .update(JSON.stringify([tickets, events, agentEvents]))
      .digest('hex');
  });
}

/**
 * A batch pushed k times changes nothing: the agent's whole log, pushed again `times` times
 * straight to the hub (as a replaying network would), is answered `duplicate` event by event with
 * the same acknowledgement, and the hub's tickets and logs stay exactly as they were.
 */
export async function checkRepush(
  hubUrl: string,
  kioskToken: string,
  agent: AgentSnapshot,
  hubDbFile: string,
  times: number,
): Promise<string[]> {
  if (!agent.agentId || agent.events.length === 0) return [];
  const problems: string[] = [];
  const before = hubFingerprint(hubDbFile);
  const events = agent.events.map((e) => ({
    eventId: e.event_id,
    deviceSeq: e.device_seq,
    hlc: e.hlc,
    type: e.type,
    payload: JSON.parse(e.payload) as unknown,
  }));
  for (let round = 0; round < times; round++) {
    for (let from = 0; from < events.length; from += MAX_PUSH_EVENTS) {
      const answer = await call(hubUrl, 'POST', '/api/v1/sync/push', {
        token: kioskToken,
        body: {
          deviceId: agent.agentId,
          epoch: agent.epoch,
          events: events.slice(from, from + MAX_PUSH_EVENTS),
        },
        headers: { connection: 'close' },
      });
      const parsed = PushAnswer.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) {
        problems.push(`re-push ${round + 1}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
        return problems;
      }
      if (parsed.data.ackSeq !== agent.lastSeq)
        problems.push(
          `re-push ${round + 1}: ack ${parsed.data.ackSeq}, log ends at ${agent.lastSeq}`,
        );
      const notDuplicate = parsed.data.results.filter((r) => r.status !== 'duplicate');
      if (notDuplicate.length > 0)
        problems.push(`re-push ${round + 1}: ${notDuplicate.length} events not answered duplicate`);
    }
  }
  if (hubFingerprint(hubDbFile) !== before)
    problems.push(`pushing the agent's log ${times} more times changed the hub`);
  return problems;
}
