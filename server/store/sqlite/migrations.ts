// The server's SQLite schema, one numbered step at a time; PRAGMA user_version records the last
// step applied. Each step runs in its own transaction with its version bump, so a crash leaves
// either the old or the new schema, never half of one.
import type Database from 'better-sqlite3';
import { ticketOfPayload, type TicketSnapshot } from '../../sync/ticket-projection';

export interface SqliteMigration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

const initial: SqliteMigration = {
  version: 1,
  name: 'branches-config-events',
  up(db) {
    db.exec(`
      CREATE TABLE admin_tokens (
        token_hash TEXT PRIMARY KEY,           -- sha256 hex; the token itself is never stored
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE branches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        log_pos INTEGER NOT NULL DEFAULT 0,    -- position of the branch's last stored event
        rejected_count INTEGER NOT NULL DEFAULT 0,
        last_push_at INTEGER,
        config_version INTEGER NOT NULL DEFAULT 0  -- 0: empty branch, the first hub's config wins
      ) STRICT;

      CREATE TABLE branch_tokens (
        token_hash TEXT PRIMARY KEY,
        branch_id TEXT NOT NULL REFERENCES branches(id),
        created_at INTEGER NOT NULL
      ) STRICT;

      -- Every version of every branch's configuration: the current one is branches.config_version.
      CREATE TABLE config_versions (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        version INTEGER NOT NULL,
        config TEXT NOT NULL,                  -- JSON {settings, services, counters, devices}
        created_at INTEGER NOT NULL,
        PRIMARY KEY (branch_id, version)
      ) STRICT;

      -- One acknowledgement per device log: a new epoch is a new log.
      CREATE TABLE device_logs (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        device_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        ack_seq INTEGER NOT NULL,
        last_push_at INTEGER NOT NULL,
        PRIMARY KEY (branch_id, device_id, epoch)
      ) STRICT;

      -- The branch's event history in commit order (pos), which is what pull cursors walk.
      CREATE TABLE events (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        pos INTEGER NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        device_seq INTEGER NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,                 -- JSON, as pushed
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (branch_id, pos),
        UNIQUE (branch_id, device_id, epoch, device_seq)
      ) STRICT;
      CREATE INDEX events_rejected ON events (branch_id, pos) WHERE status = 'rejected';
    `);
  },
};

const ticketProjection: SqliteMigration = {
  version: 2,
  name: 'ticket-projection',
  up(db) {
    db.exec(`
      -- Each ticket's latest snapshot (highest HLC) from its ticket.* events: the admin's ticket
      -- list and the reports read this instead of replaying history.
      CREATE TABLE tickets (
        branch_id TEXT NOT NULL REFERENCES branches(id),
        ticket_id TEXT NOT NULL,
        number TEXT NOT NULL,
        service_id TEXT NOT NULL,
        issued_service_id TEXT NOT NULL,
        status TEXT NOT NULL,
        business_day TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        called_at INTEGER,
        finished_at INTEGER,
        counter_id TEXT,
        hlc TEXT NOT NULL,
        PRIMARY KEY (branch_id, ticket_id)
      ) STRICT;
      CREATE INDEX tickets_by_day ON tickets (business_day, branch_id);
    `);
    // Branches synced before this version: project the history they already hold.
    const upsert = db.prepare(TICKET_UPSERT_SQL);
    const rows = db
      .prepare<[], { branch_id: string; hlc: string; payload: string }>(
        `SELECT branch_id, hlc, payload FROM events
         WHERE status = 'applied' AND type LIKE 'ticket.%' ORDER BY branch_id, pos`,
      )
      // better-sqlite3 cannot write while a read cursor is open: read first, then project.
      .all();
    for (const row of rows) {
      const parsed = ticketOfPayload(JSON.parse(row.payload) as Record<string, unknown>);
      if (parsed.ok) upsert.run(ticketParams(row.branch_id, parsed.ticket, row.hlc));
    }
  },
};

export const TICKET_UPSERT_SQL = `
  INSERT INTO tickets (branch_id, ticket_id, number, service_id, issued_service_id, status,
                       business_day, queued_at, called_at, finished_at, counter_id, hlc)
  VALUES (@branch_id, @ticket_id, @number, @service_id, @issued_service_id, @status,
          @business_day, @queued_at, @called_at, @finished_at, @counter_id, @hlc)
  ON CONFLICT (branch_id, ticket_id) DO UPDATE SET
    number = excluded.number, service_id = excluded.service_id,
    issued_service_id = excluded.issued_service_id, status = excluded.status,
    business_day = excluded.business_day, queued_at = excluded.queued_at,
    called_at = excluded.called_at, finished_at = excluded.finished_at,
    counter_id = excluded.counter_id, hlc = excluded.hlc
  WHERE excluded.hlc > tickets.hlc`;

export function ticketParams(branchId: string, t: TicketSnapshot, hlc: string) {
  return {
    branch_id: branchId,
    ticket_id: t.ticketId,
    number: t.number,
    service_id: t.serviceId,
    issued_service_id: t.issuedServiceId,
    status: t.status,
    business_day: t.businessDay,
    queued_at: t.queuedAt,
    called_at: t.calledAt,
    finished_at: t.finishedAt,
    counter_id: t.counterId,
    hlc,
  };
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [initial, ticketProjection];

/** Applies the steps above `user_version`, up to `target` (tests stop early to seed old rows). */
export function migrateSqlite(
  db: Database.Database,
  target: number = SQLITE_MIGRATIONS.length,
): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length)
    throw new Error(
      `The server database is at schema ${current}, newer than this server (${SQLITE_MIGRATIONS.length}).`,
    );
  for (const migration of SQLITE_MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    current = migration.version;
  }
  return current;
}
