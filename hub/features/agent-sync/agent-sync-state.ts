// What the admin sees of the kiosk agents (GET /api/v1/sync/agents): per agent log (agent, epoch),
// which device, whether the epoch is the current one, the last push and block, the acknowledged
// position, the backlog the pushes showed, and the events the hub refused with their reasons.
// Read only, from the tables the push and the number blocks write.
import { z } from 'zod';
import type { AgentRejectedEventDto, AgentSyncStateDto } from '../../../core/api/schemas';
import type { Db } from '../../db/open-database';
import type { AgentPushStore } from './agent-push-store';

/** Refused events listed per log (the count covers them all). */
export const REJECTED_LISTED = 50;

interface LogRow {
  agent_id: string;
  epoch: string;
  acked_seq: number | null;
  device_id: string | null;
  last_block_at: number | null;
  live_blocks: number | null;
}

interface RejectedRow {
  event_id: string;
  device_seq: number;
  type: string;
  reason: string;
  payload: string;
  received_at: number;
}

/** The ticket a refused event carried, read leniently: a refused payload may be malformed. */
const CarriedTicket = z.object({
  ticket: z.object({ id: z.string().optional(), number: z.string().optional() }).optional(),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const AGENT_PREFIX = 'agent-';

function carried(payload: string): { ticketId: string | null; ticketNumber: string | null } {
  try {
    const parsed = CarriedTicket.safeParse(JSON.parse(payload));
    const ticket = parsed.success ? parsed.data.ticket : undefined;
    return { ticketId: ticket?.id ?? null, ticketNumber: ticket?.number ?? null };
  } catch {
    return { ticketId: null, ticketNumber: null };
  }
}

export class AgentSyncStates {
  private readonly logs;
  private readonly counts;
  private readonly rejectedRows;
  private readonly deviceName;

  constructor(
    db: Db,
    private readonly pushes: AgentPushStore,
  ) {
    // Every log the hub knows: pushed to it, or granted blocks (an agent that never had to issue
    // offline never pushes, and is still worth seeing).
    this.logs = db.prepare<[], LogRow>(
      `WITH known AS (
         SELECT agent_id, epoch FROM agent_logs
         UNION SELECT agent_id, epoch FROM number_blocks
       )
       SELECT k.agent_id, k.epoch, l.acked_seq,
         (SELECT kiosk_device_id FROM number_blocks b
            WHERE b.agent_id = k.agent_id AND b.epoch = k.epoch LIMIT 1) AS device_id,
         (SELECT MAX(granted_at) FROM number_blocks b
            WHERE b.agent_id = k.agent_id AND b.epoch = k.epoch) AS last_block_at,
         (SELECT COUNT(*) FROM number_blocks b
            WHERE b.agent_id = k.agent_id AND b.epoch = k.epoch AND b.retired_at IS NULL) AS live_blocks
       FROM known k LEFT JOIN agent_logs l ON l.agent_id = k.agent_id AND l.epoch = k.epoch`,
    );
    this.counts = db.prepare<
      [string, string],
      { applied: number | null; rejected: number | null; last_received: number | null }
    >(
      `SELECT SUM(status = 'applied') AS applied, SUM(status = 'rejected') AS rejected,
         MAX(received_at) AS last_received
       FROM agent_events WHERE agent_id = ? AND epoch = ?`,
    );
    this.rejectedRows = db.prepare<[string, string, number], RejectedRow>(
      `SELECT event_id, device_seq, type, reason, payload, received_at FROM agent_events
       WHERE agent_id = ? AND epoch = ? AND status = 'rejected' ORDER BY device_seq DESC LIMIT ?`,
    );
    this.deviceName = db.prepare<[string], { name: string }>(
      'SELECT name FROM devices WHERE id = ?',
    );
  }

  /** Current epochs first, then the most recently heard from. */
  list(): AgentSyncStateDto[] {
    const logs = this.logs
      .all()
      .map((row) => ({ live: (row.live_blocks ?? 0) > 0, state: this.state(row) }));
    const heard = (s: AgentSyncStateDto) =>
      Math.max(Date.parse(s.lastPushAt ?? '') || 0, Date.parse(s.lastBlockAt ?? '') || 0);
    // An agent's current epoch holds blocks not retired; when none does (blocks of past days
    // pruned), the epoch heard from last.
    for (const log of logs) {
      const siblings = logs.filter((x) => x.state.agentId === log.state.agentId);
      log.state.current = siblings.some((x) => x.live)
        ? log.live
        : siblings.every((x) => heard(x.state) <= heard(log.state));
    }
    return logs
      .map((x) => x.state)
      .sort(
        (a, b) =>
          Number(b.current) - Number(a.current) ||
          heard(b) - heard(a) ||
          (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0),
      );
  }

  private state(row: LogRow): AgentSyncStateDto {
    const deviceId =
      row.device_id ??
      (row.agent_id.startsWith(AGENT_PREFIX) ? row.agent_id.slice(AGENT_PREFIX.length) : '');
    const counts = this.counts.get(row.agent_id, row.epoch);
    const meta = this.pushes.pushMeta(row.agent_id, row.epoch);
    const ackSeq = row.acked_seq ?? 0;
    // Pushes before the hub kept their time: the last event received is the best it knows.
    const lastPush = meta?.at ?? counts?.last_received ?? null;
    const rejected: AgentRejectedEventDto[] = this.rejectedRows
      .all(row.agent_id, row.epoch, REJECTED_LISTED)
      .map((r) => ({
        eventId: r.event_id,
        deviceSeq: r.device_seq,
        type: r.type,
        reason: r.reason,
        ...carried(r.payload),
        receivedAt: new Date(r.received_at).toISOString(),
      }));
    return {
      agentId: row.agent_id,
      deviceId,
      deviceName: this.deviceName.get(deviceId)?.name ?? null,
      epoch: row.epoch,
      current: true, // settled by list(), which sees the agent's other epochs
      lastPushAt: iso(lastPush),
      lastBlockAt: iso(row.last_block_at),
      ackSeq,
      backlog: meta ? Math.max(0, meta.knownEnd - ackSeq) : null,
      applied: counts?.applied ?? 0,
      rejectedCount: counts?.rejected ?? 0,
      rejected,
    };
  }
}
