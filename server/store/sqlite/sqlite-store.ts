// The embedded store: one SQLite file, WAL, synchronous=FULL (an acknowledged push survives a
// power cut). better-sqlite3 is synchronous, so each push is one BEGIN IMMEDIATE transaction that
// no other request can interleave with; pokes stay inside this process.
import Database from 'better-sqlite3';
import type { BranchConfig, BranchConfigInput } from '../../../core/sync/config';
import type { PulledEvent } from '../../../core/sync/protocol';
import { planPush } from '../../../core/sync/push-plan';
import { branchNotFound } from '../../server-error';
import { latestSnapshots } from '../../sync/ticket-projection';
import { configAfterWrite, type StoredConfigRow } from '../config-write';
import type {
  BranchRecord,
  ConfigWrite,
  ConfigWriteResult,
  DeviceLogRecord,
  Poke,
  PullRequest,
  PullSlice,
  PushCommand,
  PushOutcome,
  RejectedEventRecord,
  ServerStore,
  TicketRecord,
} from '../ports';
import { LocalPokes } from '../local-pokes';
import { TICKET_UPSERT_SQL, migrateSqlite, ticketParams } from './migrations';

interface BranchRow {
  id: string;
  name: string;
  created_at: number;
  log_pos: number;
  rejected_count: number;
  last_push_at: number | null;
  config_version: number;
}

interface EventRow {
  pos: number;
  event_id: string;
  device_id: string;
  epoch: string;
  device_seq: number;
  hlc: string;
  type: string;
  payload: string;
}

interface TicketRow {
  branch_id: string;
  ticket_id: string;
  number: string;
  service_id: string;
  issued_service_id: string;
  status: TicketRecord['status'];
  business_day: string;
  queued_at: number;
  called_at: number | null;
  finished_at: number | null;
  counter_id: string | null;
}

const toBranch = (r: BranchRow): BranchRecord => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  configVersion: r.config_version,
  eventCount: r.log_pos,
  rejectedCount: r.rejected_count,
  lastPushAt: r.last_push_at,
});

const toTicket = (r: TicketRow): TicketRecord => ({
  branchId: r.branch_id,
  ticketId: r.ticket_id,
  number: r.number,
  serviceId: r.service_id,
  issuedServiceId: r.issued_service_id,
  status: r.status,
  businessDay: r.business_day,
  queuedAt: r.queued_at,
  calledAt: r.called_at,
  finishedAt: r.finished_at,
  counterId: r.counter_id,
});

/** Opens (creating if needed) the file with the durability settings read back, then migrates. */
export function openSqliteDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    const journal = db.pragma('journal_mode = WAL', { simple: true });
    if (String(journal).toLowerCase() !== 'wal' && file !== ':memory:')
      throw new Error(`SQLite refused journal_mode=WAL (got ${String(journal)})`);
    db.pragma('synchronous = FULL');
    if (db.pragma('synchronous', { simple: true }) !== 2)
      throw new Error('SQLite refused synchronous=FULL: pushes would not be durable');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export class SqliteStore implements ServerStore {
  readonly kind = 'sqlite' as const;
  private readonly pokes = new LocalPokes();
  private readonly q;

  constructor(private readonly db: Database.Database) {
    migrateSqlite(db);
    this.q = {
      addAdmin: db.prepare('INSERT INTO admin_tokens (token_hash, created_at) VALUES (?, ?)'),
      isAdmin: db.prepare<[string], { n: number }>(
        'SELECT 1 AS n FROM admin_tokens WHERE token_hash = ?',
      ),
      insertBranch: db.prepare('INSERT INTO branches (id, name, created_at) VALUES (?, ?, ?)'),
      insertBranchToken: db.prepare(
        'INSERT INTO branch_tokens (token_hash, branch_id, created_at) VALUES (?, ?, ?)',
      ),
      branches: db.prepare<[], BranchRow>('SELECT * FROM branches ORDER BY created_at, id'),
      branch: db.prepare<[string], BranchRow>('SELECT * FROM branches WHERE id = ?'),
      branchForToken: db.prepare<[string], { branch_id: string }>(
        'SELECT branch_id FROM branch_tokens WHERE token_hash = ?',
      ),
      deviceLogs: db.prepare<[string], DeviceLogRecord>(
        `SELECT device_id AS deviceId, epoch, ack_seq AS ackSeq, last_push_at AS lastPushAt
         FROM device_logs WHERE branch_id = ? ORDER BY device_id, epoch`,
      ),
      rejected: db.prepare<[string, number], RejectedEventRecord>(
        `SELECT device_id AS deviceId, epoch, device_seq AS deviceSeq, event_id AS eventId, type,
                reason, received_at AS receivedAt
         FROM events WHERE branch_id = ? AND status = 'rejected' ORDER BY pos DESC LIMIT ?`,
      ),
      config: db.prepare<[string, number], StoredConfigRow>(
        'SELECT version, config, created_at FROM config_versions WHERE branch_id = ? AND version = ?',
      ),
      insertConfig: db.prepare(
        'INSERT INTO config_versions (branch_id, version, config, created_at) VALUES (?, ?, ?, ?)',
      ),
      setConfigVersion: db.prepare('UPDATE branches SET config_version = ? WHERE id = ?'),
      ack: db.prepare<[string, string, string], { ack_seq: number }>(
        'SELECT ack_seq FROM device_logs WHERE branch_id = ? AND device_id = ? AND epoch = ?',
      ),
      knownEvent: db.prepare<[string], { n: number }>(
        'SELECT 1 AS n FROM events WHERE event_id = ?',
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (branch_id, pos, event_id, device_id, epoch, device_seq, hlc, type,
                             payload, status, reason, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertTicket: db.prepare(TICKET_UPSERT_SQL),
      saveAck: db.prepare(
        `INSERT INTO device_logs (branch_id, device_id, epoch, ack_seq, last_push_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (branch_id, device_id, epoch) DO UPDATE SET
           ack_seq = excluded.ack_seq, last_push_at = excluded.last_push_at`,
      ),
      advanceBranch: db.prepare(
        `UPDATE branches SET log_pos = ?, rejected_count = rejected_count + ?, last_push_at = ?
         WHERE id = ?`,
      ),
      eventsAfter: db.prepare<[string, number, string, number], EventRow>(
        `SELECT pos, event_id, device_id, epoch, device_seq, hlc, type, payload FROM events
         WHERE branch_id = ? AND pos > ? AND status = 'applied' AND device_id <> ?
         ORDER BY pos LIMIT ?`,
      ),
      ticketsOfDay: db.prepare<[string, string], TicketRow>(
        `SELECT * FROM tickets WHERE branch_id = ? AND business_day = ?
         ORDER BY queued_at, number`,
      ),
      ticketsBetween: db.prepare<[string, string], TicketRow>(
        `SELECT * FROM tickets WHERE business_day BETWEEN ? AND ?
         ORDER BY branch_id, business_day, queued_at`,
      ),
    };
  }

  async addAdminToken(tokenHash: string, now: number): Promise<void> {
    this.q.addAdmin.run(tokenHash, now);
  }

  async isAdminToken(tokenHash: string): Promise<boolean> {
    return this.q.isAdmin.get(tokenHash) !== undefined;
  }

  async createBranch(b: {
    id: string;
    name: string;
    tokenHash: string;
    now: number;
  }): Promise<BranchRecord> {
    this.db
      .transaction(() => {
        this.q.insertBranch.run(b.id, b.name, b.now);
        this.q.insertBranchToken.run(b.tokenHash, b.id, b.now);
      })
      .immediate();
    return toBranch(this.q.branch.get(b.id) as BranchRow);
  }

  async listBranches(): Promise<BranchRecord[]> {
    return this.q.branches.all().map(toBranch);
  }

  async branch(branchId: string): Promise<BranchRecord | null> {
    const row = this.q.branch.get(branchId);
    return row ? toBranch(row) : null;
  }

  async branchIdForToken(tokenHash: string): Promise<string | null> {
    return this.q.branchForToken.get(tokenHash)?.branch_id ?? null;
  }

  async deviceLogs(branchId: string): Promise<DeviceLogRecord[]> {
    return this.q.deviceLogs.all(branchId);
  }

  async rejectedEvents(branchId: string, limit: number): Promise<RejectedEventRecord[]> {
    return this.q.rejected.all(branchId, limit);
  }

  private currentConfig(branchId: string, version: number): BranchConfig | null {
    if (version === 0) return null;
    const row = this.q.config.get(branchId, version);
    return row ? configAfterWrite.fromRow(row) : null;
  }

  async config(branchId: string): Promise<BranchConfig | null> {
    const branch = this.q.branch.get(branchId);
    if (!branch) throw branchNotFound(branchId);
    return this.currentConfig(branchId, branch.config_version);
  }

  async writeConfig(
    branchId: string,
    input: BranchConfigInput,
    write: ConfigWrite,
    now: number,
  ): Promise<ConfigWriteResult> {
    const result = this.db
      .transaction((): ConfigWriteResult => {
        const branch = this.q.branch.get(branchId);
        if (!branch) throw branchNotFound(branchId);
        const current = this.currentConfig(branchId, branch.config_version);
        const decision = configAfterWrite.decide(current, input, write, now);
        if (decision.changed) {
          this.q.insertConfig.run(branchId, decision.config.version, decision.json, now);
          this.q.setConfigVersion.run(decision.config.version, branchId);
        }
        return { config: decision.config, changed: decision.changed };
      })
      .immediate();
    if (result.changed) this.pokes.emit({ branchId, fromDeviceId: null });
    return result;
  }

  async push(command: PushCommand): Promise<PushOutcome> {
    const { branchId, deviceId, epoch, now } = command;
    const outcome = this.db
      .transaction((): PushOutcome => {
        const branch = this.q.branch.get(branchId);
        if (!branch) throw branchNotFound(branchId);
        const ack = this.q.ack.get(branchId, deviceId, epoch)?.ack_seq ?? 0;
        const plan = planPush({
          ack,
          events: command.events,
          isKnown: (id) => this.q.knownEvent.get(id) !== undefined,
          check: command.check,
        });
        let pos = branch.log_pos;
        let rejected = 0;
        for (const { event, status, reason } of plan.toStore) {
          pos += 1;
          if (status === 'rejected') rejected += 1;
          this.q.insertEvent.run(
            branchId,
            pos,
            event.eventId,
            deviceId,
            epoch,
            event.deviceSeq,
            event.hlc,
            event.type,
            JSON.stringify(event.payload),
            status,
            reason,
            now,
          );
        }
        const applied = plan.toStore.filter((p) => p.status === 'applied').map((p) => p.event);
        for (const { ticket, hlc } of latestSnapshots(applied))
          this.q.upsertTicket.run(ticketParams(branchId, ticket, hlc));
        if (plan.ackSeq !== ack || plan.toStore.length > 0 || ack === 0)
          this.q.saveAck.run(branchId, deviceId, epoch, plan.ackSeq, now);
        if (plan.toStore.length > 0) this.q.advanceBranch.run(pos, rejected, now, branchId);
        return { ackSeq: plan.ackSeq, results: plan.results, stored: plan.toStore.length };
      })
      .immediate();
    if (outcome.stored > 0) this.pokes.emit({ branchId, fromDeviceId: deviceId });
    return outcome;
  }

  async pull(request: PullRequest): Promise<PullSlice> {
    // One read transaction, so the events, the head and the config agree with one another.
    return this.db
      .transaction((): PullSlice => {
        const branch = this.q.branch.get(request.branchId);
        if (!branch) throw branchNotFound(request.branchId);
        const rows = this.q.eventsAfter.all(
          request.branchId,
          request.afterPos,
          request.excludeDeviceId ?? '',
          request.limit,
        );
        // A full page ends at its last event; a short one has read everything up to the head
        // (the rows it skipped are the puller's own events or rejected ones).
        const lastPos =
          rows.length === request.limit ? (rows.at(-1) as EventRow).pos : branch.log_pos;
        return {
          events: rows.map(toPulled),
          lastPos,
          headPos: branch.log_pos,
          config: this.currentConfig(request.branchId, branch.config_version),
        };
      })
      .deferred();
  }

  async ticketsOfDay(branchId: string, businessDay: string): Promise<TicketRecord[]> {
    if (!this.q.branch.get(branchId)) throw branchNotFound(branchId);
    return this.q.ticketsOfDay.all(branchId, businessDay).map(toTicket);
  }

  async ticketsBetween(fromDay: string, toDay: string): Promise<TicketRecord[]> {
    return this.q.ticketsBetween.all(fromDay, toDay).map(toTicket);
  }

  onPoke(listener: (poke: Poke) => void): () => void {
    return this.pokes.subscribe(listener);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function toPulled(row: EventRow): PulledEvent {
  return {
    deviceId: row.device_id,
    epoch: row.epoch,
    eventId: row.event_id,
    deviceSeq: row.device_seq,
    hlc: row.hlc,
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}
