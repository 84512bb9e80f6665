// Version 8: the outbox's `seq` without AUTOINCREMENT. AUTOINCREMENT only adds a row in
// sqlite_sequence that every append rewrites: one more page in every command's commit (16 pages
// a POST /tickets before this version; a commit's pages are what its fsync costs here, see
// docs/benchmarks.md, "Seventh run"). The hub never deletes events, so a plain INTEGER PRIMARY KEY
// (the largest seq + 1) numbers them exactly as AUTOINCREMENT did. SQLite cannot drop the keyword
// in place: the table is rebuilt, rows and numbers unchanged.
import type { Migration } from './index';

export const migration008: Migration = {
  version: 8,
  name: 'events-plain-rowid',
  up(db) {
    const { last } = db
      .prepare<[], { last: number | null }>('SELECT MAX(seq) AS last FROM events')
      .get()!;
    const counter = db
      .prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
      .get();
    // A counter ahead of the table means events were deleted by hand: without AUTOINCREMENT the
    // deleted numbers would be given again, and a reader past them would miss those events. That
    // database keeps its AUTOINCREMENT (correct, one page more per command).
    if (counter && counter.seq > (last ?? 0)) return;
    db.exec(`
      CREATE TABLE events_v8 (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,         -- UUIDv7
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
      CREATE INDEX events_by_ticket ON events (ticket_id);
    `);
  },
};
