// Version 8: fewer b-trees written by every command. A commit's cost here is its pages (each
// page a WAL frame its fsync must write, and a page the next checkpoint copies: docs/benchmarks.md,
// "Seventh run" and "Ninth run"), and every command appends an event, so four writes that served
// little go (a POST /tickets commit: 15.8 WAL frames before, 11.1 after):
// - AUTOINCREMENT on `events.seq`: it rewrote a row of sqlite_sequence on every append. The hub
//   never deletes events, so a plain INTEGER PRIMARY KEY (the largest seq + 1) numbers them exactly
//   as before. SQLite cannot drop the keyword in place: the table is rebuilt, rows and numbers kept.
// - The UNIQUE index on `events.event_id`: nothing on the hub looks an event up by its id, and the
//   id is a UUIDv7 this hub made (time + 74 random bits); the central server, which receives
//   events from many devices, keeps its own unique index and refuses a duplicate there.
// - The index of events by ticket: its one reader asked which device issued a ticket (to reprint
//   on that kiosk's printer). The ticket now says so itself (`issued_by`, filled from the events
//   for the tickets already there).
// - `tickets_by_day`: its readers (the day's figures, the lookup of a typed ticket number) now
//   read the day's tickets through the (issued service, business day, number) UNIQUE index.
import type { Migration } from './index';

export const migration008: Migration = {
  version: 8,
  name: 'fewer-pages-per-command',
  up(db) {
    db.exec(`
      ALTER TABLE tickets ADD COLUMN issued_by TEXT;   -- the device that asked for it (a kiosk, an admin, the hub)
      UPDATE tickets SET issued_by = (
        SELECT actor_device_id FROM events e
        WHERE e.ticket_id = tickets.id AND e.type = 'ticket.issued' ORDER BY e.seq LIMIT 1);
      DROP INDEX events_by_ticket;
      DROP INDEX tickets_by_day;
    `);
    const { last } = db
      .prepare<[], { last: number | null }>('SELECT MAX(seq) AS last FROM events')
      .get()!;
    const counter = db
      .prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
      .get();
    // A counter ahead of the table means events were deleted by hand: without AUTOINCREMENT the
    // deleted numbers would be given again, and a reader past them would miss those events. That
    // database keeps its AUTOINCREMENT and its counter (correct, one page more per command).
    const keepCounter = counter !== undefined && counter.seq > (last ?? 0);
    db.exec(`
      CREATE TABLE events_v8 (
        seq INTEGER PRIMARY KEY${keepCounter ? ' AUTOINCREMENT' : ''},
        event_id TEXT NOT NULL,                -- UUIDv7, made here (unique: see the top)
        device_id TEXT NOT NULL,               -- the device whose log this is (this hub)
        device_seq INTEGER NOT NULL,           -- gapless per device_id, from 1
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        ticket_id TEXT,
        actor_device_id TEXT,                  -- who asked for it (kiosk, counter, admin)
        payload TEXT NOT NULL,                 -- JSON
        hlc TEXT,                              -- HLC stamp (version 4)
        UNIQUE (device_id, device_seq)
      ) STRICT;
      INSERT INTO events_v8 (seq, event_id, device_id, device_seq, at, type, ticket_id, actor_device_id, payload, hlc)
        SELECT seq, event_id, device_id, device_seq, at, type, ticket_id, actor_device_id, payload, hlc
        FROM events ORDER BY seq;
      DROP TABLE events;
      ALTER TABLE events_v8 RENAME TO events;
    `);
    // The rebuilt table's counter starts at its largest seq (no row at all when it is empty): put
    // the old one back.
    if (keepCounter) {
      db.exec("DELETE FROM sqlite_sequence WHERE name = 'events'");
      db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(counter.seq);
    }
  },
};
