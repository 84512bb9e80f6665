// The server's PostgreSQL schema, one numbered step at a time, recorded in schema_migrations.
// Several server instances may start at once against one database: an advisory lock makes one of
// them migrate while the others wait, then find nothing left to do.
import type { PoolClient } from 'pg';
import { ticketOfPayload } from '../../sync/ticket-projection';
import { TICKET_UPSERT_PG, ticketValues } from './ticket-upsert';

export interface PostgresMigration {
  version: number;
  name: string;
  up(client: PoolClient): Promise<void>;
}

const initial: PostgresMigration = {
  version: 1,
  name: 'branches-config-events',
  async up(client) {
    await client.query(`
      CREATE TABLE admin_tokens (
        token_hash TEXT PRIMARY KEY,           -- sha256 hex; the token itself is never stored
        created_at BIGINT NOT NULL
      );

      CREATE TABLE branches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        log_pos BIGINT NOT NULL DEFAULT 0,     -- position of the branch's last stored event
        rejected_count BIGINT NOT NULL DEFAULT 0,
        last_push_at BIGINT,
        config_version INTEGER NOT NULL DEFAULT 0  -- 0: empty branch, the first hub's config wins
      );

      CREATE TABLE branch_tokens (
        token_hash TEXT PRIMARY KEY,
        branch_id TEXT NOT NULL REFERENCES branches(id),
        created_at BIGINT NOT NULL
      );

      CREATE TABLE config_versions (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        version INTEGER NOT NULL,
        config TEXT NOT NULL,                  -- JSON text: kept exactly as the hub will read it
        created_at BIGINT NOT NULL,
        PRIMARY KEY (branch_id, version)
      );

      CREATE TABLE device_logs (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        device_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        ack_seq BIGINT NOT NULL,
        last_push_at BIGINT NOT NULL,
        PRIMARY KEY (branch_id, device_id, epoch)
      );

      -- pos is taken under the branch row lock, so per branch it is also commit order: a pull
      -- cursor never skips an event that commits later with a smaller position.
      CREATE TABLE events (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        pos BIGINT NOT NULL,
        event_id UUID NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        device_seq BIGINT NOT NULL,
        hlc TEXT COLLATE "C" NOT NULL,         -- byte order: stamps compare as clocks
        type TEXT NOT NULL,
        payload TEXT NOT NULL,                 -- JSON text as pushed (jsonb would reorder keys)
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (branch_id, pos),
        UNIQUE (branch_id, device_id, epoch, device_seq)
      );
      CREATE INDEX events_rejected ON events (branch_id, pos) WHERE status = 'rejected';
    `);
  },
};

const ticketProjection: PostgresMigration = {
  version: 2,
  name: 'ticket-projection',
  async up(client) {
    await client.query(`
      CREATE TABLE tickets (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        ticket_id TEXT NOT NULL,
        number TEXT NOT NULL,
        service_id TEXT NOT NULL,
        issued_service_id TEXT NOT NULL,
        status TEXT NOT NULL,
        business_day TEXT COLLATE "C" NOT NULL,
        queued_at BIGINT NOT NULL,
        called_at BIGINT,
        finished_at BIGINT,
        counter_id TEXT,
        hlc TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (branch_id, ticket_id)
      );
      CREATE INDEX tickets_by_day ON tickets (business_day, branch_id);
    `);
    // Project the history already held, branch by branch, in log order.
    const { rows } = await client.query<{ branch_id: string; hlc: string; payload: string }>(
      `SELECT branch_id, hlc, payload FROM events
       WHERE status = 'applied' AND type LIKE 'ticket.%' ORDER BY branch_id, pos`,
    );
    for (const row of rows) {
      const parsed = ticketOfPayload(JSON.parse(row.payload) as Record<string, unknown>);
      if (parsed.ok)
        await client.query(
          TICKET_UPSERT_PG,
          ticketValues(row.branch_id, [{ ticket: parsed.ticket, hlc: row.hlc }]),
        );
    }
  },
};

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [initial, ticketProjection];

/** Any constant will do, as long as nothing else in the database uses it. */
const MIGRATION_LOCK = 0x6775_6963;

export async function migratePostgres(
  client: PoolClient,
  target: number = POSTGRES_MIGRATIONS.length,
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > POSTGRES_MIGRATIONS.length)
      throw new Error(
        `The server database is at schema ${newest}, newer than this server (${POSTGRES_MIGRATIONS.length}).`,
      );
    for (const migration of POSTGRES_MIGRATIONS) {
      if (applied.has(migration.version) || migration.version > target) continue;
      await migration.up(client);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.add(migration.version);
    }
    await client.query('COMMIT');
    return Math.max(0, ...applied);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
