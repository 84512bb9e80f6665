// The production store: PostgreSQL, shared by any number of stateless server instances.
// A push locks its branch row (FOR NO KEY UPDATE), so pushes to one branch serialise and log
// positions follow commit order, while pushes to different branches run in parallel. Pokes travel
// between instances by NOTIFY, sent inside the push transaction so they leave only on commit.
import pg from 'pg';
import type { BranchConfig, BranchConfigInput } from '../../../core/sync/config';
import type { PulledEvent } from '../../../core/sync/protocol';
import { planPush } from '../../../core/sync/push-plan';
import { branchNotFound } from '../../server-error';
import { latestSnapshots } from '../../sync/ticket-projection';
import { configAfterWrite, type StoredConfigRow } from '../config-write';
import { LocalPokes } from '../local-pokes';
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
import { migratePostgres } from './migrations';
import { TICKET_UPSERT_PG, ticketValues } from './ticket-upsert';

const POKE_CHANNEL = 'guichet_poke';
const INT8_OID = 20;

/** BIGINT columns hold milliseconds and counters, all far below 2^53: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Errors after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 3;

interface BranchRow {
  id: string;
  name: string;
  created_at: number;
  log_pos: number;
  rejected_count: number;
  last_push_at: number | null;
  config_version: number;
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

const TICKET_COLUMNS = `branch_id AS "branchId", ticket_id AS "ticketId", number,
  service_id AS "serviceId", issued_service_id AS "issuedServiceId", status,
  business_day AS "businessDay", queued_at AS "queuedAt", called_at AS "calledAt",
  finished_at AS "finishedAt", counter_id AS "counterId"`;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Connections per instance; pushes to different branches use one each while they run. */
  poolSize?: number;
  /** Called when the LISTEN connection fails (it reconnects by itself). */
  onListenError?: (error: Error) => void;
}

export class PostgresStore implements ServerStore {
  readonly kind = 'postgres' as const;
  private readonly pokes = new LocalPokes();
  private listener: pg.Client | null = null;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresStoreOptions,
  ) {}

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      types,
    });
    // An idle connection dropped by the server must not crash the process.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, options);
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
      } finally {
        client.release();
      }
      await store.listen();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, types });
    client.on('notification', (message) => {
      if (message.channel !== POKE_CHANNEL || !message.payload) return;
      try {
        const { b, d } = JSON.parse(message.payload) as { b: string; d: string | null };
        this.pokes.emit({ branchId: b, fromDeviceId: d });
      } catch {
        // Not ours: ignore.
      }
    });
    client.on('error', (error) => {
      this.options.onListenError?.(error);
      if (this.listener === client) this.listener = null;
      client.end().catch(() => undefined);
      // Missing pokes only delays pulls (hubs also pull every 30 s); reconnect in the background.
      if (!this.closed) setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${POKE_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.listener = client;
  }

  private async transaction<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        const code = (error as { code?: unknown }).code;
        if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  async addAdminToken(tokenHash: string, now: number): Promise<void> {
    await this.pool.query('INSERT INTO admin_tokens (token_hash, created_at) VALUES ($1, $2)', [
      tokenHash,
      now,
    ]);
  }

  async isAdminToken(tokenHash: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM admin_tokens WHERE token_hash = $1', [
      tokenHash,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async createBranch(b: {
    id: string;
    name: string;
    tokenHash: string;
    now: number;
  }): Promise<BranchRecord> {
    return this.transaction(async (c) => {
      const { rows } = await c.query<BranchRow>(
        'INSERT INTO branches (id, name, created_at) VALUES ($1, $2, $3) RETURNING *',
        [b.id, b.name, b.now],
      );
      await c.query(
        'INSERT INTO branch_tokens (token_hash, branch_id, created_at) VALUES ($1, $2, $3)',
        [b.tokenHash, b.id, b.now],
      );
      return toBranch(rows[0] as BranchRow);
    });
  }

  async listBranches(): Promise<BranchRecord[]> {
    const { rows } = await this.pool.query<BranchRow>(
      'SELECT * FROM branches ORDER BY created_at, id',
    );
    return rows.map(toBranch);
  }

  async branch(branchId: string): Promise<BranchRecord | null> {
    const { rows } = await this.pool.query<BranchRow>('SELECT * FROM branches WHERE id = $1', [
      branchId,
    ]);
    return rows[0] ? toBranch(rows[0]) : null;
  }

  async branchIdForToken(tokenHash: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ branch_id: string }>(
      'SELECT branch_id FROM branch_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0]?.branch_id ?? null;
  }

  async deviceLogs(branchId: string): Promise<DeviceLogRecord[]> {
    const { rows } = await this.pool.query<DeviceLogRecord>(
      `SELECT device_id AS "deviceId", epoch, ack_seq AS "ackSeq", last_push_at AS "lastPushAt"
       FROM device_logs WHERE branch_id = $1 ORDER BY device_id, epoch`,
      [branchId],
    );
    return rows;
  }

  async rejectedEvents(branchId: string, limit: number): Promise<RejectedEventRecord[]> {
    const { rows } = await this.pool.query<RejectedEventRecord>(
      `SELECT device_id AS "deviceId", epoch, device_seq AS "deviceSeq", event_id::text AS "eventId",
              type, reason, received_at AS "receivedAt"
       FROM events WHERE branch_id = $1 AND status = 'rejected' ORDER BY pos DESC LIMIT $2`,
      [branchId, limit],
    );
    return rows;
  }

  private async configAt(
    c: pg.PoolClient | pg.Pool,
    branchId: string,
    version: number,
  ): Promise<BranchConfig | null> {
    if (version === 0) return null;
    const { rows } = await c.query<StoredConfigRow>(
      'SELECT version, config, created_at FROM config_versions WHERE branch_id = $1 AND version = $2',
      [branchId, version],
    );
    return rows[0] ? configAfterWrite.fromRow(rows[0]) : null;
  }

  async config(branchId: string): Promise<BranchConfig | null> {
    const branch = await this.branch(branchId);
    if (!branch) throw branchNotFound(branchId);
    return this.configAt(this.pool, branchId, branch.configVersion);
  }

  async writeConfig(
    branchId: string,
    input: BranchConfigInput,
    write: ConfigWrite,
    now: number,
  ): Promise<ConfigWriteResult> {
    return this.transaction(async (c) => {
      const { rows } = await c.query<{ config_version: number }>(
        'SELECT config_version FROM branches WHERE id = $1 FOR NO KEY UPDATE',
        [branchId],
      );
      const branch = rows[0];
      if (!branch) throw branchNotFound(branchId);
      const current = await this.configAt(c, branchId, branch.config_version);
      const decision = configAfterWrite.decide(current, input, write, now);
      if (decision.changed) {
        await c.query(
          'INSERT INTO config_versions (branch_id, version, config, created_at) VALUES ($1, $2, $3, $4)',
          [branchId, decision.config.version, decision.json, now],
        );
        await c.query('UPDATE branches SET config_version = $1 WHERE id = $2', [
          decision.config.version,
          branchId,
        ]);
        await notify(c, { branchId, fromDeviceId: null });
      }
      return { config: decision.config, changed: decision.changed };
    });
  }

  async push(command: PushCommand): Promise<PushOutcome> {
    const { branchId, deviceId, epoch, now } = command;
    return this.transaction(async (c) => {
      const branchRows = await c.query<{ log_pos: number }>(
        'SELECT log_pos FROM branches WHERE id = $1 FOR NO KEY UPDATE',
        [branchId],
      );
      const branch = branchRows.rows[0];
      if (!branch) throw branchNotFound(branchId);
      const ackRows = await c.query<{ ack_seq: number }>(
        'SELECT ack_seq FROM device_logs WHERE branch_id = $1 AND device_id = $2 AND epoch = $3',
        [branchId, deviceId, epoch],
      );
      const ack = ackRows.rows[0]?.ack_seq ?? 0;
      // One query for every id that could be stored (what is at or below the ack is skipped anyway).
      const candidates = command.events.filter((e) => e.deviceSeq > ack).map((e) => e.eventId);
      const known = new Set<string>();
      if (candidates.length > 0) {
        const { rows } = await c.query<{ id: string }>(
          'SELECT event_id::text AS id FROM events WHERE event_id = ANY($1::uuid[])',
          [candidates],
        );
        for (const row of rows) known.add(row.id);
      }
      const plan = planPush({
        ack,
        events: command.events,
        isKnown: (id) => known.has(id),
        check: command.check,
      });
      const stored = plan.toStore;
      if (stored.length > 0) {
        await c.query(
          `INSERT INTO events (branch_id, pos, event_id, device_id, epoch, device_seq, hlc, type,
                               payload, status, reason, received_at)
           SELECT $1::text, pos, id, $2::text, $3::text, seq, hlc, type, payload, status, reason, $4::bigint
           FROM unnest($5::bigint[], $6::uuid[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                       $11::text[], $12::text[]) AS e(pos, id, seq, hlc, type, payload, status, reason)`,
          [
            branchId,
            deviceId,
            epoch,
            now,
            stored.map((_, i) => branch.log_pos + i + 1),
            stored.map((p) => p.event.eventId),
            stored.map((p) => p.event.deviceSeq),
            stored.map((p) => p.event.hlc),
            stored.map((p) => p.event.type),
            stored.map((p) => JSON.stringify(p.event.payload)),
            stored.map((p) => p.status),
            stored.map((p) => p.reason),
          ],
        );
        const snapshots = latestSnapshots(
          stored.filter((p) => p.status === 'applied').map((p) => p.event),
        );
        if (snapshots.length > 0)
          await c.query(TICKET_UPSERT_PG, ticketValues(branchId, snapshots));
        await c.query(
          `UPDATE branches SET log_pos = $1, rejected_count = rejected_count + $2, last_push_at = $3
           WHERE id = $4`,
          [
            branch.log_pos + stored.length,
            stored.filter((p) => p.status === 'rejected').length,
            now,
            branchId,
          ],
        );
        await notify(c, { branchId, fromDeviceId: deviceId });
      }
      if (plan.ackSeq !== ack || stored.length > 0 || ackRows.rows.length === 0)
        await c.query(
          `INSERT INTO device_logs (branch_id, device_id, epoch, ack_seq, last_push_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (branch_id, device_id, epoch) DO UPDATE SET
             ack_seq = excluded.ack_seq, last_push_at = excluded.last_push_at`,
          [branchId, deviceId, epoch, plan.ackSeq, now],
        );
      return { ackSeq: plan.ackSeq, results: plan.results, stored: stored.length };
    });
  }

  async pull(request: PullRequest): Promise<PullSlice> {
    // One snapshot, so the events, the head and the config agree with one another.
    return this.transaction(async (c) => {
      const { rows: branchRows } = await c.query<BranchRow>(
        'SELECT log_pos, config_version FROM branches WHERE id = $1',
        [request.branchId],
      );
      const branch = branchRows[0];
      if (!branch) throw branchNotFound(request.branchId);
      const { rows } = await c.query<{
        pos: number;
        event_id: string;
        device_id: string;
        epoch: string;
        device_seq: number;
        hlc: string;
        type: string;
        payload: string;
      }>(
        `SELECT pos, event_id::text AS event_id, device_id, epoch, device_seq, hlc, type, payload
         FROM events
         WHERE branch_id = $1 AND pos > $2 AND status = 'applied' AND device_id <> $3
         ORDER BY pos LIMIT $4`,
        [request.branchId, request.afterPos, request.excludeDeviceId ?? '', request.limit],
      );
      const last = rows.at(-1);
      const lastPos = rows.length === request.limit && last ? last.pos : branch.log_pos;
      const events: PulledEvent[] = rows.map((r) => ({
        deviceId: r.device_id,
        epoch: r.epoch,
        eventId: r.event_id,
        deviceSeq: r.device_seq,
        hlc: r.hlc,
        type: r.type,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
      }));
      return {
        events,
        lastPos,
        headPos: branch.log_pos,
        config: await this.configAt(c, request.branchId, branch.config_version),
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async ticketsOfDay(branchId: string, businessDay: string): Promise<TicketRecord[]> {
    if (!(await this.branch(branchId))) throw branchNotFound(branchId);
    const { rows } = await this.pool.query<TicketRecord>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE branch_id = $1 AND business_day = $2
       ORDER BY queued_at, number`,
      [branchId, businessDay],
    );
    return rows;
  }

  async ticketsBetween(fromDay: string, toDay: string): Promise<TicketRecord[]> {
    const { rows } = await this.pool.query<TicketRecord>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE business_day BETWEEN $1 AND $2
       ORDER BY branch_id, business_day, queued_at`,
      [fromDay, toDay],
    );
    return rows;
  }

  onPoke(listener: (poke: Poke) => void): () => void {
    return this.pokes.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

async function notify(c: pg.PoolClient, poke: Poke): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [
    POKE_CHANNEL,
    JSON.stringify({ b: poke.branchId, d: poke.fromDeviceId }),
  ]);
}
