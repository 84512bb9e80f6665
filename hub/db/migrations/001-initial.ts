// Version 1: the branch, its services and counters, the tickets, and the event outbox.
import type { Migration } from './index';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- One row: the branch this hub runs. Settings are columns so each has a type and a default.
      CREATE TABLE branch (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        default_lang TEXT NOT NULL,
        languages TEXT NOT NULL,               -- JSON array of language codes
        capacity INTEGER,                      -- NULL: no limit
        priority_enabled INTEGER NOT NULL DEFAULT 1,
        inactivity_timeout_sec INTEGER NOT NULL DEFAULT 30,
        announcement_templates TEXT NOT NULL,  -- JSON object lang -> template
        priority_cap INTEGER NOT NULL DEFAULT 2,
        aging_threshold_sec INTEGER NOT NULL DEFAULT 1800,
        max_recalls INTEGER NOT NULL DEFAULT 3
      ) STRICT;

      CREATE TABLE services (
        id TEXT PRIMARY KEY,
        prefix TEXT NOT NULL UNIQUE CHECK (length(prefix) = 1),
        names TEXT NOT NULL,                   -- JSON object lang -> name
        open INTEGER NOT NULL DEFAULT 1,
        position INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE counters (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paused', 'closed')),
        position INTEGER NOT NULL DEFAULT 0,
        -- Priority calls in a row that overtook a waiting normal ticket (the cap counts these).
        priority_streak INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE counter_services (
        counter_id TEXT NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
        service_id TEXT NOT NULL REFERENCES services(id),
        weight INTEGER NOT NULL CHECK (weight > 0),
        PRIMARY KEY (counter_id, service_id)
      ) STRICT;

      CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        seq INTEGER NOT NULL,
        business_day TEXT NOT NULL,
        issued_service_id TEXT NOT NULL REFERENCES services(id),
        service_id TEXT NOT NULL REFERENCES services(id),
        priority INTEGER NOT NULL DEFAULT 0,
        lang TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'walk_in',
        status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
        issued_at INTEGER NOT NULL,
        queued_at INTEGER NOT NULL,
        called_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        counter_id TEXT REFERENCES counters(id),
        recalls INTEGER NOT NULL DEFAULT 0,
        transfers INTEGER NOT NULL DEFAULT 0,
        call_reason TEXT,                      -- JSON CallReason
        -- A number is drawn once per service and business day, whatever happens to the ticket later.
        UNIQUE (issued_service_id, business_day, seq)
      ) STRICT;

      -- The heads of each queue, read by "call next": one short index walk per (service, class).
      -- Ties within a millisecond go by rowid (insertion order), which the index carries implicitly.
      CREATE INDEX tickets_waiting ON tickets (service_id, priority, queued_at) WHERE status = 'waiting';
      -- At most one ticket in hand per counter, enforced by the database itself.
      CREATE UNIQUE INDEX tickets_in_hand ON tickets (counter_id) WHERE status IN ('called', 'serving');
      CREATE INDEX tickets_done ON tickets (service_id, finished_at) WHERE status = 'done';
      -- People in the building today (capacity check on every issue): only the active rows.
      CREATE INDEX tickets_active ON tickets (business_day) WHERE status IN ('waiting', 'called', 'serving');
      CREATE INDEX tickets_by_day ON tickets (business_day, service_id);

      -- The outbox: every state change, in the same transaction as the change itself.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,         -- UUIDv7
        device_id TEXT NOT NULL,               -- the device whose log this is (this hub)
        device_seq INTEGER NOT NULL,           -- gapless per device_id, from 1
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        ticket_id TEXT,
        actor_device_id TEXT,                  -- who asked for it (kiosk, counter, admin)
        payload TEXT NOT NULL,                 -- JSON
        UNIQUE (device_id, device_seq)
      ) STRICT;
      CREATE INDEX events_by_ticket ON events (ticket_id);
    `);
  },
};
